import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useMotoServer } from '../cloud/moto-harness.js';
import { SDK_BUCKET, writeDefinitionWithSdk, type SdkDefinition } from '../support/sagemaker-sdk.js';
import { Workspace, type CliResult, type RunJson } from './harness.js';

/**
 * `@step` function pipelines (sagemaker.workflow.function_step), written with the real SDK: their pickled functions
 * and arguments sit in moto until `cairn pull` brings them into the store; the jobs run on the SDK stand-in image
 * (containers/images/python-sagemaker), read and write S3 through the run's endpoint, and the ConditionStep's
 * `Std:JsonGet` on MakeStats' results.json decides the branch.
 */
const IMAGE = 'cairn-local/python-sagemaker:3.11';
const SCRIPT = (name: string, threshold: number): string => `
from cairn_oracle import session, save, ROLE
from sagemaker.workflow.function_step import step
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.condition_step import ConditionStep
from sagemaker.workflow.conditions import ConditionGreaterThan
from sagemaker.workflow.fail_step import FailStep

s = session()

@step(name="MakeStats", image_uri="${IMAGE}", instance_type="ml.m5.large", role=ROLE, keep_alive_period_in_seconds=0)
def make_stats(n: int):
    return {"count": n, "mean": n / 2.0}

@step(name="Report", image_uri="${IMAGE}", instance_type="ml.m5.large", role=ROLE, keep_alive_period_in_seconds=0)
def report(stats):
    return {"summary": f"{stats['count']} rows, mean {stats['mean']}"}

stats = make_stats(10)
rep = report(stats)
cond = ConditionStep(name="Enough", conditions=[ConditionGreaterThan(left=stats["count"], right=${threshold})],
                     if_steps=[rep], else_steps=[FailStep(name="TooFew", error_message="too few rows")])
save(Pipeline(name="${name}", steps=[cond], sagemaker_session=s))
`;

async function pullAndRun(ws: Workspace, sdk: SdkDefinition): Promise<{ result: CliResult; json: RunJson }> {
  ws.write('pipeline.json', readFileSync(sdk.file, 'utf8'));
  const pulled = await ws.run(['pull', 'pipeline.json']);
  expect(pulled.code, pulled.stderr).toBe(0);
  return ws.json<RunJson>(['run', 'pipeline.json', '--json']);
}

describe('@step function pipelines written with the real SDK run locally', () => {
  const { moto } = useMotoServer();
  let ws: Workspace;
  let enough: SdkDefinition;
  let tooFew: SdkDefinition;
  beforeAll(async () => {
    enough = await writeDefinitionWithSdk(moto, SCRIPT('fn-enough', 5));
    tooFew = await writeDefinitionWithSdk(moto, SCRIPT('fn-too-few', 50));
  }, 240_000);
  beforeEach(() => { ws = new Workspace(); });
  afterEach(() => ws.dispose());

  it('pulls the pickled functions, runs both functions, and the JsonGet on results.json takes the if-branch', async () => {
    const run = await pullAndRun(ws, enough);
    const states = Object.fromEntries(run.json.steps.map((s) => [s.name, s.status]));
    expect({ code: run.result.code, states }, run.result.stderr).toEqual({
      code: 0, states: { MakeStats: 'succeeded', Enough: 'succeeded', Report: 'succeeded', TooFew: 'skipped' },
    });
    // MakeStats' return value, as the function job wrote it through the run's S3 endpoint into the store
    const results = join(ws.home, 's3', SDK_BUCKET, 'fn-enough', run.json.runId, 'MakeStats', 'results', 'results.json');
    expect(JSON.parse(readFileSync(results, 'utf8'))).toEqual({ Result: { count: 10, mean: 5 }, Exception: null });
    // Report unpickled MakeStats' result (a DelayedReturn read from S3) and returned its own
    expect(existsSync(join(ws.home, 's3', SDK_BUCKET, 'fn-enough', run.json.runId, 'Report', 'results', 'payload.pkl'))).toBe(true);
  }, 900_000);

  it('the same JsonGet with a threshold above the count takes the else-branch: the Fail step fails the run', async () => {
    const run = await pullAndRun(ws, tooFew);
    const states = Object.fromEntries(run.json.steps.map((s) => [s.name, s.status]));
    expect({ code: run.result.code, states }, run.result.stderr).toEqual({
      code: 1, states: { MakeStats: 'succeeded', Enough: 'succeeded', Report: 'skipped', TooFew: 'failed' },
    });
  }, 900_000);
});
