import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MotoServer } from '../cloud/moto-harness.js';
import { writeDefinitionWithSdk } from '../support/sagemaker-sdk.js';
import { summary, Workspace } from './harness.js';

/**
 * A Lambda step is an effect: two runs of a pipeline register twice, while a resume of a run keeps the registration
 * it made. The definition is written by the real SageMaker SDK (LambdaStep); its functions are mapped to local
 * TypeScript handlers in cairn.json. Register appends a line to registrations.txt; Gate fails while gate-closed exists.
 */
const SCRIPT = `
from cairn_oracle import session, save
from sagemaker.lambda_helper import Lambda
from sagemaker.workflow.lambda_step import LambdaStep, LambdaOutput, LambdaOutputTypeEnum
from sagemaker.workflow.pipeline import Pipeline

s = session()
def fn(name):
    return Lambda(function_arn=f"arn:aws:lambda:us-east-1:111122223333:function:{name}", session=s)

register = LambdaStep(name="Register", lambda_func=fn("register"), inputs={"model": "churn"},
                      outputs=[LambdaOutput(output_name="version", output_type=LambdaOutputTypeEnum.String)])
gate = LambdaStep(name="Gate", lambda_func=fn("gate"), inputs={"version": register.properties.Outputs["version"]},
                  outputs=[LambdaOutput(output_name="ok", output_type=LambdaOutputTypeEnum.String)])
save(Pipeline(name="lambda-twice", steps=[register, gate], sagemaker_session=s))
`;

const moto = new MotoServer();
beforeAll(() => moto.start());
afterAll(() => moto.stop());
let ws: Workspace;
beforeEach(() => { ws = new Workspace(); });
afterEach(() => ws.dispose());

describe('a Lambda step with side effects', () => {
  it('registers in each of two runs, and not again when a run is resumed', async () => {
    const sdk = await writeDefinitionWithSdk(moto, SCRIPT);
    ws.write('pipeline.json', readFileSync(sdk.file, 'utf8'));
    const log = join(ws.dir, 'registrations.txt');
    const flag = join(ws.dir, 'gate-closed');
    ws.write('handlers/register.ts', [
      "import { appendFileSync, readFileSync } from 'node:fs';",
      'export function handler(event: { model: string }): Record<string, string> {',
      `  appendFileSync(${JSON.stringify(log)}, event.model + '\\n');`,
      `  return { version: String(readFileSync(${JSON.stringify(log)}, 'utf8').split('\\n').length - 1) };`,
      '}',
    ].join('\n'));
    ws.write('handlers/gate.ts', [
      "import { existsSync } from 'node:fs';",
      'export function handler(event: { version: string }): Record<string, string> {',
      `  if (existsSync(${JSON.stringify(flag)})) throw new Error('gate closed');`,
      '  return { ok: event.version };',
      '}',
    ].join('\n'));
    ws.write('cairn.json', { lambdas: {
      'arn:aws:lambda:*:*:function:register': { module: './handlers/register.ts' },
      'arn:aws:lambda:*:*:function:gate': { module: './handlers/gate.ts' },
    } });
    const registrations = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l !== '').length : 0);

    const plan = await ws.json(['plan', 'pipeline.json', '--json']);
    const rows = (plan.json as unknown as { steps: { name: string; rule?: string; why: string }[] }).steps;
    expect(rows.map((r) => [r.name, r.rule])).toEqual([['Register', 'never across runs'], ['Gate', 'never across runs']]);
    expect(rows[0]?.why).toContain('side-effecting step type: Lambda runs in every run');

    ws.write('gate-closed', '');
    const failed = await ws.json(['run', 'pipeline.json', '--json']);
    expect(failed.result.code).toBe(1);
    expect(summary(failed.json)).toEqual({ Register: 'succeeded', Gate: 'failed' });
    expect(registrations()).toBe(1);

    rmSync(flag);
    const resumed = await ws.json(['resume', failed.json.runId, '--json']);
    expect(resumed.result.code, resumed.result.stderr).toBe(0);
    // The resume keeps Register's success of its own run (shown as reused): no second registration.
    expect(summary(resumed.json)).toEqual({ Register: 'succeeded (reused)', Gate: 'succeeded' });
    expect(registrations()).toBe(1);

    const second = await ws.json(['run', 'pipeline.json', '--json']);
    expect(second.result.code, second.result.stderr).toBe(0);
    expect(summary(second.json)).toEqual({ Register: 'succeeded', Gate: 'succeeded' });
    expect(registrations()).toBe(2);
    const explained = await ws.run(['explain', second.json.runId, 'Register']);
    expect(explained.stdout).toContain('side-effecting step type: Lambda runs in every run');
  });
});
