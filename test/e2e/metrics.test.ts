import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PY_IMAGE, summary, Workspace, type RunJson } from './harness.js';

/** A fresh home: the step's cache decision (`show --json` / `run --json` field `decision`). */
const NO_EARLIER = { action: 'run', reason: { kind: 'no-earlier-execution' } };

let ws: Workspace;
beforeEach(() => { ws = new Workspace(); });
afterEach(() => ws.dispose());

const TRAIN = [
  'for n in range(5):',
  '    print(f"Iteration={n}; Loss={1 / (n + 1):.4f}; Accuracy={n / 4};", flush=True)',
  'print("Iteration=5; Loss=oops; Accuracy=1.0;", flush=True)',
].join('\n');

function definition(): object {
  return {
    Version: '2020-12-01',
    Metadata: {},
    Parameters: [],
    Steps: [{
      Name: 'Train',
      Type: 'Training',
      Arguments: {
        AlgorithmSpecification: {
          TrainingImage: PY_IMAGE, TrainingInputMode: 'File', ContainerEntrypoint: ['python3', '-c', TRAIN],
          MetricDefinitions: [
            { Name: 'train:loss', Regex: 'Loss=([^;]*);' },
            { Name: 'train:accuracy', Regex: 'Accuracy=(.*?);' },
            { Name: 'never', Regex: 'NotLogged=(\\d+)' },
          ],
        },
        OutputDataConfig: { S3OutputPath: 's3://test-bucket/models' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
        RoleArn: 'arn:aws:iam::111122223333:role/test',
      },
    }],
  };
}

interface MetricsJson {
  runId: string;
  steps: { name: string; attempt: number; reusedFrom?: string; metrics: { name: string; values: { value: number; at: number; seq: number }[] }[] }[];
}

describe('cairn metrics', () => {
  it('records MetricDefinitions values as they stream and reports them', async () => {
    ws.write('p.json', definition());
    const before = Date.now();
    const run = await ws.run(['run', 'p.json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Train metrics: train:loss=0.2 train:accuracy=1\n');
    const runId = /run ([a-z0-9]{12}) /.exec(run.stdout)![1]!;

    const m = await ws.json<MetricsJson>(['metrics', runId, '--json']);
    expect(m.result.code).toBe(0);
    expect(m.json.runId).toBe(runId);
    expect(m.json.steps.map((s) => [s.name, s.attempt, s.reusedFrom])).toEqual([['Train', 1, undefined]]);
    const values = Object.fromEntries(m.json.steps[0]!.metrics.map((x) => [x.name, x.values.map((v) => [v.seq, v.value])]));
    expect(values).toEqual({
      'train:loss': [[0, 1], [1, 0.5], [2, 0.3333], [3, 0.25], [4, 0.2]],
      'train:accuracy': [[0, 0], [1, 0.25], [2, 0.5], [3, 0.75], [4, 1], [5, 1]],
    });
    const ats = m.json.steps[0]!.metrics.flatMap((x) => x.values.map((v) => v.at));
    for (const at of ats) expect(at).toBeGreaterThanOrEqual(before);
    for (const at of ats) expect(at).toBeLessThanOrEqual(Date.now());

    const text = await ws.run(['metrics', runId]);
    expect(text.stdout.split('\n').slice(1, 5).map((l) => l.trim().split(/\s+/))).toEqual([
      ['Train', '(attempt', '1)'],
      ['METRIC', 'LAST', 'MIN', 'MAX', 'COUNT'],
      ['train:loss', '0.2', '0.2', '1', '5'],
      ['train:accuracy', '1', '0', '1', '6'],
    ]);

    // `show --json` and `run --json` keep their contract; a reused step shows the metrics of the run it reused.
    const show = await ws.json(['show', runId, '--json']);
    expect(Object.keys(show.json).sort()).toEqual(['runId', 'status', 'steps']);
    expect(show.json.steps).toEqual([{ name: 'Train', status: 'succeeded', reused: false, attempts: 1, decision: NO_EARLIER }]);
    const again = await ws.json<RunJson>(['run', 'p.json', '--json']);
    expect(again.result.code).toBe(0);
    expect(summary(again.json)).toEqual({ Train: 'succeeded (reused)' });
    const reused = await ws.json<MetricsJson>(['metrics', again.json.runId, '--step', 'Train', '--json']);
    expect(reused.json.steps[0]!.reusedFrom).toBe(runId);
    expect(reused.json.steps[0]!.metrics).toEqual(m.json.steps[0]!.metrics);
  });

  it('refuses an unknown run or step with exit 2 and has --help', async () => {
    ws.write('p.json', definition());
    const run = await ws.json<RunJson>(['run', 'p.json', '--json']);
    const unknownRun = await ws.run(['metrics', 'nosuchrun']);
    expect([unknownRun.code, unknownRun.stderr]).toEqual([2, 'no run "nosuchrun" (see `cairn runs`)\n']);
    const unknownStep = await ws.run(['metrics', run.json.runId, '--step', 'Nope']);
    expect([unknownStep.code, unknownStep.stderr]).toEqual([2, `run ${run.json.runId} has no step "Nope" (steps: Train)\n`]);
    const help = await ws.run(['metrics', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: cairn metrics <run-id> \[--step S\] \[--json\]/);
  });
});
