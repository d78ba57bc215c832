import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pyStep } from './fixtures.js';
import { collect, summary, waitFor, Workspace, type RunJson } from './harness.js';

type Json = Record<string, unknown>;
const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:register-model';

let ws: Workspace;
beforeEach(() => { ws = new Workspace(); });
afterEach(() => ws.dispose());

function definition(steps: Json[], parameters: Json[] = []): Json {
  return { Version: '2020-12-01', Metadata: {}, Parameters: parameters, Steps: steps };
}

/** A Processing step that writes its ContainerArguments to output `args`. */
function consumer(name: string, args: unknown[]): Json {
  const step = pyStep(name, "import sys; open('/opt/ml/processing/output/args/args.txt', 'w').write(' '.join(sys.argv[1:]))", [], ['args']);
  ((step.Arguments as Json).AppSpecification as Json).ContainerArguments = args;
  return step;
}

function argsOf(runId: string, step: string): string {
  return readFileSync(join(ws.home, 's3/test-bucket/runs', runId, step, 'args/args.txt'), 'utf8');
}

const lambdaStep = (args: Json): Json => ({
  Name: 'Register', Type: 'Lambda', Arguments: args, FunctionArn: ARN,
  OutputParameters: [{ OutputName: 'modelName', OutputType: 'String' }, { OutputName: 'version', OutputType: 'Integer' }],
});

const callbackStep: Json = {
  Name: 'Approve', Type: 'Callback', Arguments: { model: { Get: 'Parameters.Model' } },
  SqsQueueUrl: 'https://sqs.us-east-1.amazonaws.com/111122223333/approvals',
  OutputParameters: [{ OutputName: 'approvedBy', OutputType: 'String' }],
};

/** Reads the child's output until the Callback step's "waits: cairn callback <token>" line shows the token. */
async function tokenFrom(child: ReturnType<Workspace['spawn']>): Promise<{ token: string; done: ReturnType<typeof collect> }> {
  let seen = '';
  child.stdout?.on('data', (d: Buffer) => { seen += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { seen += d.toString(); });
  const done = collect(child);
  const token = await waitFor('the callback token', () => /waits: cairn callback ([0-9a-f]{32}) --success/.exec(seen)?.[1]);
  return { token, done };
}

describe('Lambda and Callback steps', () => {
  it('runs a TypeScript Lambda handler whose OutputParameters feed a Processing step, and reuses it when unchanged', async () => {
    ws.write('handlers/register.ts', [
      'interface Event { model: string; stage: string }',
      'export async function handler(event: Event, context: { functionName: string }): Promise<Record<string, unknown>> {',
      '  console.log(`registering ${event.model} in ${context.functionName}`);',
      '  return { modelName: `${event.model}-${event.stage}`, version: "7", extra: true };',
      '}',
    ].join('\n'));
    ws.write('cairn.json', { lambdas: { 'arn:aws:lambda:*:*:function:register-model': { module: './handlers/register.ts' } } });
    ws.write('pipeline.json', definition([
      // A Lambda step runs in every run unless it opts in to reuse (test/e2e/lambda-twice.test.ts): this one does.
      { ...lambdaStep({ model: { Get: 'Parameters.Model' }, stage: 'prod' }), CacheConfig: { Enabled: true } },
      consumer('Use', [{ Get: "Steps.Register.OutputParameters['modelName']" },
        { 'Std:Join': { On: '', Values: ['v', { Get: "Steps.Register.OutputParameters['version']" }] } }]),
    ], [{ Name: 'Model', Type: 'String', DefaultValue: 'churn' }]));

    const first = await ws.json(['run', 'pipeline.json', '--json']);
    expect(first.result.code, first.result.stderr).toBe(0);
    expect(summary(first.json)).toEqual({ Register: 'succeeded', Use: 'succeeded' });
    expect(argsOf(first.json.runId, 'Use')).toBe('churn-prod v7');
    const logs = await ws.run(['logs', first.json.runId, 'Register']);
    expect(logs.stdout).toContain('registering churn in register-model');

    const again = await ws.json(['run', 'pipeline.json', '--json']);
    expect(summary(again.json)).toEqual({ Register: 'succeeded (reused)', Use: 'succeeded (reused)' });
    // A code change in the handler re-runs it.
    ws.write('handlers/register.ts', readFileSync(join(ws.dir, 'handlers/register.ts'), 'utf8').replace('"7"', '8'));
    const changed = await ws.json(['run', 'pipeline.json', '--json']);
    expect(summary(changed.json)).toEqual({ Register: 'succeeded', Use: 'succeeded' });
    expect(argsOf(changed.json.runId, 'Use')).toBe('churn-prod v8');
  });

  it('fails the step with the message and the line in the user\'s handler file; refuses an unmapped FunctionArn at plan time', async () => {
    ws.write('handlers/register.ts', [
      'export function handler(event: { model: string }): unknown {',
      '  if (event.model === "bad") {',
      '    throw new Error(`cannot register ${event.model}`);',
      '  }',
      '  return { modelName: 1, version: 2 };',
      '}',
    ].join('\n'));
    ws.write('cairn.json', { lambdas: { [ARN]: { module: './handlers/register.ts', export: 'handler' } } });
    ws.write('pipeline.json', definition([lambdaStep({ model: { Get: 'Parameters.Model' } })], [{ Name: 'Model', Type: 'String', DefaultValue: 'bad' }]));
    const failed = await ws.json(['run', 'pipeline.json', '--json']);
    expect(failed.result.code).toBe(1);
    expect(failed.json.steps[0]).toMatchObject({ name: 'Register', status: 'failed' });
    expect(failed.result.stderr).toContain('handlers/register.ts:3:11: handler "handler" threw: cannot register bad');

    const typed = await ws.json(['run', 'pipeline.json', '--param', 'Model=good', '--json']);
    expect(typed.result.code).toBe(1);
    expect(typed.result.stderr).toContain('output "modelName" must be a String, not the number 1');

    ws.write('cairn.json', { lambdas: {} });
    const plan = await ws.run(['plan', 'pipeline.json']);
    expect(plan.stdout + plan.stderr).toContain(`no local handler for FunctionArn "${ARN}"`);
    expect(plan.stdout + plan.stderr).toContain('"lambdas"');
  });

  it('runs a command handler in a container (event file in, last stdout line out) and honours a handler timeout', async () => {
    ws.write('handlers/spin.ts', 'export function handler(): unknown { for (;;) { /* busy */ } }');
    ws.write('cairn.json', { lambdas: {
      [ARN]: { command: ['python3', '-c', [
        'import json, os', "e = json.load(open(os.environ['CAIRN_LAMBDA_EVENT']))", "print('scoring', e['model'])",
        "print(json.dumps({'modelName': e['model'].upper(), 'version': 4}))",
      ].join('\n')], image: 'cairn-local/python:3.11-numpy' },
      'arn:aws:lambda:*:*:function:spin': { module: './handlers/spin.ts', timeout: 1 },
    } });
    ws.write('pipeline.json', definition([
      lambdaStep({ model: 'churn' }),
      consumer('Use', [{ Get: "Steps.Register.OutputParameters['modelName']" }]),
      { Name: 'Spin', Type: 'Lambda', FunctionArn: 'arn:aws:lambda:us-east-1:1:function:spin', Arguments: {}, DependsOn: ['Use'] },
    ]));
    const r = await ws.json(['run', 'pipeline.json', '--json']);
    expect(r.result.code).toBe(1);
    expect(summary(r.json)).toEqual({ Register: 'succeeded', Use: 'succeeded', Spin: 'failed' });
    expect(argsOf(r.json.runId, 'Use')).toBe('CHURN');
    expect(r.result.stderr).toContain('did not finish within its timeout of 1 s');
  });

  it('waits for a callback across a kill -9 and a resume, completed from a second process', async () => {
    ws.write('pipeline.json', definition([callbackStep, consumer('After', [{ Get: "Steps.Approve.OutputParameters['approvedBy']" }])],
      [{ Name: 'Model', Type: 'String', DefaultValue: 'churn' }]));
    const child = ws.spawn(['run', 'pipeline.json']);
    const { token, done } = await tokenFrom(child);
    const runId = await waitFor('the run id', async () => {
      const r = await ws.run(['runs', '--json']);
      return r.code === 0 ? (JSON.parse(r.stdout) as { runId: string }[])[0]?.runId : undefined;
    });
    const message = JSON.parse(readFileSync(join(ws.home, 'runs', runId, 'steps/Approve/attempt-1/callback-message.json'), 'utf8')) as Json;
    expect(message).toMatchObject({ token, arguments: { model: 'churn' }, status: 'Executing' });
    child.kill('SIGKILL');
    await done;

    // A wrong type is refused and leaves the token waiting; the right values complete it while no cairn runs.
    const bad = await ws.run(['callback', token, '--success', '{"approvedBy": 3}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('output "approvedBy" must be a String');
    const sent = await ws.json<Json>(['callback', token, '--success', '{"approvedBy": "alice"}', '--json']);
    expect(sent.result.code).toBe(0);
    expect(sent.json).toMatchObject({ token, runId, step: 'Approve', status: 'succeeded', runWaiting: false });
    const again = await ws.json<Json>(['callback', token, '--failure', 'too late', '--json']);
    expect(again.result.code).toBe(2);
    expect(String(again.json.error)).toContain('was already completed');

    const resumed = await ws.json<RunJson>(['resume', runId, '--json']);
    expect(resumed.result.code, resumed.result.stderr).toBe(0);
    expect(summary(resumed.json)).toEqual({ Approve: 'succeeded', After: 'succeeded' });
    expect(argsOf(runId, 'After')).toBe('alice');
  });

  it('waits on the same token after a restart and takes a callback sent while it waits; --failure fails the step', async () => {
    ws.write('pipeline.json', definition([callbackStep], [{ Name: 'Model', Type: 'String', DefaultValue: 'churn' }]));
    const first = ws.spawn(['run', 'pipeline.json', '--json']);
    const { token, done } = await tokenFrom(first);
    first.kill('SIGKILL');
    await done;
    const runId = (JSON.parse((await ws.run(['runs', '--json'])).stdout) as { runId: string }[])[0]!.runId;

    const resume = ws.spawn(['resume', runId, '--json']);
    const waiting = await tokenFrom(resume);
    expect(waiting.token).toBe(token);
    const sent = await ws.json<Json>(['callback', token, '--failure', 'rejected by the review board', '--json']);
    expect(sent.json).toMatchObject({ status: 'failed', reason: 'rejected by the review board', runWaiting: true });
    const r = await waiting.done;
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as RunJson;
    expect(summary(j)).toEqual({ Approve: 'failed' });
    expect(r.stderr).toContain('rejected by the review board');

    const unknown = await ws.run(['callback', 'ffffffffffffffffffffffffffffffff', '--success', '{}']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no callback token');
  });
});
