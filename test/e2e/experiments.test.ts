import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PY_IMAGE, Workspace, type RunJson } from './harness.js';

let ws: Workspace;
beforeEach(() => { ws = new Workspace(); });
afterEach(() => ws.dispose());

// Accuracy grows with the learning rate, so the run with the larger Lr has the larger final accuracy.
const TRAIN = [
  'import json',
  "hp = json.load(open('/opt/ml/input/config/hyperparameters.json'))",
  "lr, epochs = float(hp['lr']), int(hp['epochs'])",
  'for n in range(epochs):',
  '    print(f"epoch={n}; loss={1 / (1 + lr * (n + 1)):.4f}; accuracy={min(1.0, lr * (n + 1)):.4f};", flush=True)',
  "open('/opt/ml/model/model.txt', 'w').write(str(lr))",
].join('\n');

function definition(): object {
  return {
    Version: '2020-12-01',
    Metadata: {},
    Parameters: [{ Name: 'Lr', Type: 'Float', DefaultValue: 0.1 }],
    PipelineExperimentConfig: {
      ExperimentName: { 'Std:Join': { On: '-', Values: [{ Get: 'Execution.PipelineName' }, 'exp'] } },
      TrialName: { Get: 'Execution.PipelineExecutionId' },
    },
    Steps: [{
      Name: 'Train',
      Type: 'Training',
      Arguments: {
        AlgorithmSpecification: {
          TrainingImage: PY_IMAGE, TrainingInputMode: 'File', ContainerEntrypoint: ['python3', '-c', TRAIN],
          MetricDefinitions: [{ Name: 'train:loss', Regex: 'loss=([^;]*);' }, { Name: 'train:accuracy', Regex: 'accuracy=([^;]*);' }],
        },
        HyperParameters: { lr: { 'Std:Join': { On: '', Values: [{ Get: 'Parameters.Lr' }] } }, epochs: '3' },
        OutputDataConfig: { S3OutputPath: 's3://test-bucket/models' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
        RoleArn: 'arn:aws:iam::111122223333:role/test',
      },
    }],
  };
}

interface Row<V> { name: string; step?: string; values: Record<string, V | null>; differs: boolean }
interface CompareJson {
  runs: { runId: string; experiment?: string; trial?: string }[];
  sortedBy?: { metric: string; step: string; order: string };
  parameters: Row<unknown>[];
  metrics: Row<number>[];
}
interface ExperimentsJson {
  experiments: { name: string; trials: { runId: string; trialName: string; status: string; startedAt: string }[] }[];
  withoutExperiment: unknown[];
}

describe('cairn experiments and compare', () => {
  it('groups two Training runs into one experiment and compares their hyperparameters and final metrics', async () => {
    ws.write('p.json', definition());
    const low = await ws.json<RunJson>(['run', 'p.json', '--name', 'churn', '--param', 'Lr=0.1', '--json']);
    expect(low.result.code, low.result.stderr).toBe(0);
    const high = await ws.json<RunJson>(['run', 'p.json', '--name', 'churn', '--param', 'Lr=0.3', '--json']);
    expect(high.result.code, high.result.stderr).toBe(0);
    const [a, b] = [low.json.runId, high.json.runId];

    const ex = await ws.json<ExperimentsJson>(['experiments', '--json']);
    expect(ex.result.code).toBe(0);
    expect(ex.json.withoutExperiment).toEqual([]);
    expect(ex.json.experiments.map((e) => [e.name, e.trials.map((t) => [t.runId, t.trialName, t.status])]))
      .toEqual([['churn-exp', [[b, b, 'succeeded'], [a, a, 'succeeded']]]]);

    const c = await ws.json<CompareJson>(['compare', a, b, '--json']);
    expect(c.result.code, c.result.stderr).toBe(0);
    expect(c.json.runs.map((r) => [r.runId, r.experiment, r.trial])).toEqual([[a, 'churn-exp', a], [b, 'churn-exp', b]]);
    const params = Object.fromEntries(c.json.parameters.map((r) => [r.name, [r.values[a], r.values[b], r.differs]]));
    expect(params).toEqual({
      'Parameters.Lr': [0.1, 0.3, true],
      'Train.HyperParameters.lr': ['0.1', '0.3', true],
      'Train.HyperParameters.epochs': ['3', '3', false],
    });
    const metrics = Object.fromEntries(c.json.metrics.map((r) => [`${r.step!}/${r.name}`, [r.values[a], r.values[b], r.differs]]));
    expect(metrics).toEqual({
      'Train/train:loss': [0.7692, 0.5263, true],
      'Train/train:accuracy': [0.3, 0.9, true],
    });

    const sorted = await ws.json<CompareJson>(['compare', a, b, '--metric', 'train:accuracy', '--json']);
    expect(sorted.json.runs.map((r) => r.runId)).toEqual([b, a]);
    expect(sorted.json.sortedBy).toEqual({ metric: 'train:accuracy', step: 'Train', order: 'descending' });
    const byLoss = await ws.json<CompareJson>(['compare', b, a, '--metric', 'train:loss', '--json']);
    expect(byLoss.json.runs.map((r) => r.runId)).toEqual([a, b]);

    const text = await ws.run(['compare', a, b, '--metric', 'train:accuracy']);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('comparing 2 runs, sorted by train:accuracy (Train), descending (* marks rows whose values differ)');
    expect(lines.find((l) => l.includes('HyperParameters.lr'))?.split(/\s+/)).toEqual(['*', 'Train.HyperParameters.lr', '0.3', '0.1']);
    expect(lines.find((l) => l.includes('HyperParameters.epochs'))?.trim().split(/\s+/)).toEqual(['Train.HyperParameters.epochs', '3', '3']);

    const show = await ws.run(['experiments', 'show', 'churn-exp']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`trial ${a}  run ${a}  succeeded`);
    expect(show.stdout).toContain('metrics: train:loss=0.7692 (3 values)  train:accuracy=0.3 (3 values)');
  });

  it('refuses unknown runs, metrics and experiments with exit 2 and has --help', async () => {
    for (const cmd of [['compare', '--help'], ['experiments', '--help']]) {
      const h = await ws.run(cmd);
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`^usage: cairn ${cmd[0]!}`));
    }
    const none = await ws.json<ExperimentsJson>(['experiments', '--json']);
    expect(none.json).toEqual({ experiments: [], withoutExperiment: [] });
    ws.write('p.json', { ...definition(), PipelineExperimentConfig: null });
    const run = await ws.json<RunJson>(['run', 'p.json', '--json']);
    expect(run.result.code, run.result.stderr).toBe(0);
    const ex = await ws.json<{ experiments: unknown[]; withoutExperiment: { runId: string; reason: string }[] }>(['experiments', '--json']);
    expect(ex.json.experiments).toEqual([]);
    expect(ex.json.withoutExperiment.map((r) => [r.runId, r.reason])).toEqual([[run.json.runId, 'disabled']]);
    const unknownRun = await ws.run(['compare', run.json.runId, 'nosuchrun']);
    expect([unknownRun.code, unknownRun.stderr]).toEqual([2, 'no run "nosuchrun" (see `cairn runs`)\n']);
    const unknownMetric = await ws.run(['compare', run.json.runId, '--metric', 'f1']);
    expect([unknownMetric.code, unknownMetric.stderr])
      .toEqual([2, 'no final metric "f1" in these runs (metrics: train:loss, train:accuracy)\n']);
    const unknownExp = await ws.run(['experiments', 'show', 'nope']);
    expect([unknownExp.code, unknownExp.stderr]).toEqual([2, 'no experiment "nope" (there are none yet)\n']);
  });
});
