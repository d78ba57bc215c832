import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pyStep } from './fixtures.js';
import { collect, PY_IMAGE, Workspace, type RunJson } from './harness.js';

/** A fresh home: the step's cache decision (`show --json` / `run --json` field `decision`). */
const NO_EARLIER = { action: 'run', reason: { kind: 'no-earlier-execution' } };

let ws: Workspace;
beforeEach(() => { ws = new Workspace(); });
afterEach(() => ws.dispose());

type Json = Record<string, unknown>;
const pipeline = (steps: Json[]): Json => ({ Version: '2020-12-01', Metadata: {}, Parameters: [], Steps: steps });

/**
 * Fails its first attempt the way SageMaker reports a platform fault (FailureReason `InternalServerError: …`, written
 * to /opt/ml/output/failure: cairn's mapping to SageMaker.JOB_INTERNAL_ERROR) and succeeds once retried. It knows a
 * retry by its checkpoint directory, which CheckpointConfig carries from one attempt to the next, as on SageMaker.
 */
const FAILS_ONCE = [
  'import os, sys',
  "marker = '/opt/ml/checkpoints/attempted'",
  'if not os.path.exists(marker):',
  "    open(marker, 'w').write('1')",
  "    open('/opt/ml/output/failure', 'w').write('InternalServerError: simulated loss of the training host')",
  "    print('first attempt fails', flush=True)",
  '    sys.exit(1)',
  "open('/opt/ml/model/model.txt', 'w').write('trained')",
  "print('retry succeeds', flush=True)",
].join('\n');

function trainStep(retryPolicies: Json[]): Json {
  return {
    Name: 'Train',
    Type: 'Training',
    Arguments: {
      AlgorithmSpecification: { TrainingImage: PY_IMAGE, TrainingInputMode: 'File', ContainerEntrypoint: ['python3', '-c', FAILS_ONCE] },
      OutputDataConfig: { S3OutputPath: 's3://test-bucket/models' },
      CheckpointConfig: { S3Uri: 's3://test-bucket/checkpoints/train', LocalPath: '/opt/ml/checkpoints' },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
      RoleArn: 'arn:aws:iam::111122223333:role/test',
    },
    RetryPolicies: retryPolicies,
  };
}

/** A Processing step that always fails, with `failure` in /opt/ml/output/failure (none when empty). */
function failingStep(failure: string, retryPolicies: Json[]): Json {
  const code = [
    'import sys',
    ...(failure === '' ? [] : [`open('/opt/ml/output/failure', 'w').write(${JSON.stringify(failure)})`]),
    'sys.exit(2)',
  ].join('\n');
  return pyStep('Flaky', code, [], [], { RetryPolicies: retryPolicies });
}

const stepOf = (j: RunJson, name: string) => j.steps.find((s) => s.name === name);

describe('RetryPolicies', () => {
  it('recovers a step that fails once with SageMaker.JOB_INTERNAL_ERROR; show lists both attempts', async () => {
    ws.write('p.json', pipeline([trainStep([
      { ExceptionType: ['Step.SERVICE_FAULT'], MaxAttempts: 1 },
      { ExceptionType: ['SageMaker.JOB_INTERNAL_ERROR', 'SageMaker.CAPACITY_ERROR'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2 },
    ])]));
    const run = await ws.run(['run', 'p.json']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Train: attempt 1 failed with SageMaker.JOB_INTERNAL_ERROR; retry 1 of 2 in 1.0s\n');
    expect(run.stdout).toContain('Train: running (attempt 2, retry 1 of 2 after SageMaker.JOB_INTERNAL_ERROR)\n');
    expect(run.stdout).toMatch(/Train: succeeded in \S+ \(attempt 2\)\n/);
    const runId = /run ([a-z0-9]{12}) /.exec(run.stdout)![1]!;

    const shown = await ws.json<RunJson>(['show', runId, '--json']);
    expect(shown.json.status).toBe('succeeded');
    expect(shown.json.steps).toEqual([{ name: 'Train', status: 'succeeded', reused: false, attempts: 2, decision: NO_EARLIER }]);
    const text = await ws.run(['show', runId]);
    expect(text.stdout).toMatch(
      /Train\s+succeeded\s+attempts 2[^\n]*\n\s+attempt 1: failed \(exit 1\) \S+ {2}\[SageMaker\.JOB_INTERNAL_ERROR\]\n\s+attempt 2: succeeded \(exit 0\) \S+\n/,
    );

    // The cache entry is the successful attempt's: a second run reuses it.
    const again = await ws.json<RunJson>(['run', 'p.json', '--json']);
    expect(again.result.code).toBe(0);
    expect(stepOf(again.json, 'Train')).toMatchObject({ status: 'succeeded', reused: true });
  });

  it('does not retry when no policy lists the failure type, nor a plain non-zero exit', async () => {
    ws.write('other.json', pipeline([failingStep('InternalServerError: host lost', [{ ExceptionType: ['SageMaker.CAPACITY_ERROR'], MaxAttempts: 3 }])]));
    const other = await ws.json<RunJson>(['run', 'other.json', '--json']);
    expect(other.result.code).toBe(1);
    expect(stepOf(other.json, 'Flaky')).toMatchObject({ status: 'failed', attempts: 1, exitCode: 2 });

    ws.write('plain.json', pipeline([failingStep('', [{ ExceptionType: ['SageMaker.JOB_INTERNAL_ERROR'], MaxAttempts: 3 }])]));
    const plain = await ws.run(['run', 'plain.json']);
    expect(plain.code).toBe(1);
    expect(plain.stdout).not.toContain('retry');
    const runId = /run ([a-z0-9]{12}) /.exec(plain.stdout)![1]!;
    const text = await ws.run(['show', runId]);
    expect(text.stdout).toMatch(/Flaky\s+failed\s+attempts 1[^\n]*\n\s+attempt 1: failed \(exit 2\) \S+ {2}\[exit-nonzero, not retryable\]\n/);
  });

  it('gives up after MaxAttempts retries', async () => {
    ws.write('p.json', pipeline([failingStep('CapacityError: no ml.m5.large capacity', [
      { ExceptionType: ['SageMaker.CAPACITY_ERROR'], IntervalSeconds: 0, MaxAttempts: 2 },
    ])]));
    const r = await ws.json<RunJson>(['run', 'p.json', '--json']);
    expect(r.result.code).toBe(1);
    expect(stepOf(r.json, 'Flaky')).toMatchObject({ status: 'failed', attempts: 3, failureReason: 'CapacityError: no ml.m5.large capacity' });
  });

  it('Ctrl-C during the wait before a retry stops the run', async () => {
    ws.write('p.json', pipeline([failingStep('InternalServerError: host lost', [
      { ExceptionType: ['SageMaker.JOB_INTERNAL_ERROR'], IntervalSeconds: 600, MaxAttempts: 1 },
    ])]));
    const child = ws.spawn(['run', 'p.json']);
    const done = collect(child);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    const deadline = Date.now() + 60_000;
    while (!out.includes('retry 1 of 1 in 10m00s') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('Flaky: attempt 1 failed with SageMaker.JOB_INTERNAL_ERROR; retry 1 of 1 in 10m00s');
    const t0 = Date.now();
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(1);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const runId = /run ([a-z0-9]{12}) /.exec(r.stdout)![1]!;
    const shown = await ws.json<RunJson>(['show', runId, '--json']);
    expect(shown.json.status).toBe('stopped');
    expect(stepOf(shown.json, 'Flaky')).toMatchObject({ status: 'stopped', attempts: 1 });
  });
});
