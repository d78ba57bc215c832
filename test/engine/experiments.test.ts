import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { insertMetrics } from '../../cache/metric-store.js';
import { Store } from '../../cache/store.js';
import type { RunRecord } from '../../contracts/records.js';
import { compareRuns } from '../../engine/reports/compare-runs.js';
import { experimentNames } from '../../engine/reports/experiment-names.js';
import { listExperiments, trialDetail } from '../../engine/reports/experiments.js';
import { executionVariables } from '../../engine/definition/execution-vars.js';
import type { ParameterValue } from '../../contracts/definition.js';
import { makeTemp } from '../cache/temp-home.js';

const tmp = makeTemp('cairn-experiments-');
afterAll(() => tmp.cleanup());
const stores: Store[] = [];
afterEach(() => { for (const s of stores.splice(0)) s.close(); });

const exec = (id: string, pipeline = 'churn'): Record<string, string> => executionVariables(pipeline, id, Date.UTC(2024, 0, 2, 3, 4, 5));

function definition(config?: unknown): string {
  const def: Record<string, unknown> = {
    Version: '2020-12-01', Parameters: [{ Name: 'Lr', Type: 'Float', DefaultValue: 0.1 }, { Name: 'Team', Type: 'String', DefaultValue: 'ml' }],
    Steps: [],
  };
  if (config !== undefined) def.PipelineExperimentConfig = config;
  return JSON.stringify(def);
}

const names = (config: unknown, parameters: Record<string, ParameterValue> = { Lr: 0.1, Team: 'ml' }, id = 'abc123def456') =>
  experimentNames({ definition: definition(config), parameters, execution: exec(id) });

describe('experiment names', () => {
  it('defaults to the pipeline name and execution id when the config or a field is absent', () => {
    expect(names(undefined)).toEqual({ kind: 'named', experiment: 'churn', trial: 'abc123def456' });
    expect(names({ ExperimentName: 'fixed' })).toEqual({ kind: 'named', experiment: 'fixed', trial: 'abc123def456' });
    expect(names({ TrialName: { Get: 'Execution.StartDateTime' } }))
      .toEqual({ kind: 'named', experiment: 'churn', trial: '2024-01-02T03:04:05.000Z' });
  });

  it('resolves expressions over parameters and execution variables as SageMaker does', () => {
    const config = {
      ExperimentName: { 'Std:Join': { On: '-', Values: [{ Get: 'Execution.PipelineName' }, { Get: 'Parameters.Team' }, 'lr', { Get: 'Parameters.Lr' }] } },
      TrialName: { Get: 'Execution.PipelineExecutionId' },
    };
    expect(names(config)).toEqual({ kind: 'named', experiment: 'churn-ml-lr-0.1', trial: 'abc123def456' });
    expect(names(config, { Lr: 0.01, Team: 'risk' }, 'zzz')).toEqual({ kind: 'named', experiment: 'churn-risk-lr-0.01', trial: 'zzz' });
    expect(names({ ExperimentName: { Get: 'Parameters.Lr' }, TrialName: 'ignored-id' }))
      .toEqual({ kind: 'named', experiment: '0.1', trial: 'ignored-id' });
  });

  it('puts a run with PipelineExperimentConfig: null in no experiment (pipeline_experiment_config=None)', () => {
    expect(names(null)).toEqual({ kind: 'disabled' });
  });

  it('reports an expression that cannot be resolved, naming where', () => {
    expect(names({ ExperimentName: { Get: 'Parameters.Nope' } })).toEqual({
      kind: 'unresolved', message: 'PipelineExperimentConfig.ExperimentName: parameter "Nope" has no value',
    });
    expect(names({ TrialName: { Get: 'Steps.Train.TrainingJobName' } })).toEqual({
      kind: 'unresolved', message: 'PipelineExperimentConfig.TrialName: step "Train" has no properties yet (it has not run)',
    });
    expect(names({ ExperimentName: '' })).toEqual({ kind: 'unresolved', message: 'PipelineExperimentConfig.ExperimentName resolves to an empty name' });
    expect(names('x')).toMatchObject({ kind: 'unresolved' });
  });
});

function seed(store: Store, runId: string, config: unknown, lr: number, accuracy: number[], startedAt: number): RunRecord {
  const run: RunRecord = {
    runId, pipeline: 'churn', definitionFile: 'p.json', definition: definition(config), parameters: { Lr: lr, Team: 'ml' },
    execution: exec(runId), options: { noCache: false, rerun: [] }, status: 'succeeded', startedAt,
  };
  store.createRun(run, [{ name: 'Prep', type: 'Processing' }, { name: 'Train', type: 'Training' }]);
  const prepFp = { arguments: { AppSpecification: { ContainerArguments: ['--rows', '100'] }, Environment: { MODE: 'fast' } }, inputs: { raw: 'sha256:r' } };
  store.commitStepSuccess(runId, 'Prep', {
    fingerprintKey: 'k-prep', fingerprint: JSON.stringify(prepFp), properties: {}, cacheable: true, reused: false, endedAt: startedAt + 1,
    outputs: [{ name: 'train', uri: `s3://b/${runId}/train`, hash: 'sha256:t', isFile: false, files: [{ path: 'a.csv', hash: 'sha256:a', size: 7 }] }],
  });
  const trainFp = { arguments: { HyperParameters: { lr: String(lr), epochs: '3' } }, inputs: { train: 'sha256:t' } };
  store.commitStepSuccess(runId, 'Train', {
    fingerprintKey: `k-train-${lr}`, fingerprint: JSON.stringify(trainFp), cacheable: true, reused: false, endedAt: startedAt + 2,
    properties: { FinalMetricDataList: [{ MetricName: 'acc', Value: accuracy.at(-1)!, Timestamp: 'x' }] },
    outputs: [{ name: 'model', uri: `s3://b/${runId}/model.tar.gz`, hash: 'sha256:m', isFile: true, files: [{ path: 'model.tar.gz', hash: 'sha256:m', size: 9 }] }],
  });
  insertMetrics(store.db, accuracy.map((value, seq) => ({ runId, step: 'Train', attempt: 1, name: 'acc', seq, value, at: startedAt + seq })));
  insertMetrics(store.db, [{ runId, step: 'Train', attempt: 1, name: 'loss', seq: 0, value: 1 - (accuracy.at(-1) ?? 0), at: startedAt }]);
  return run;
}

describe('experiments and comparison from the store', () => {
  it('lists trials per experiment and builds trial components from fingerprints, outputs and metrics', () => {
    const store = Store.open(join(tmp.dir, 'a.db'));
    stores.push(store);
    const r1 = seed(store, 'run1', undefined, 0.1, [0.5, 0.7], 1000);
    seed(store, 'run2', { ExperimentName: { 'Std:Join': { On: '-', Values: ['lr', { Get: 'Parameters.Lr' }] } } }, 0.2, [0.6], 2000);
    seed(store, 'run3', null, 0.3, [0.9], 3000);
    seed(store, 'run4', { ExperimentName: { Get: 'Parameters.Missing' } }, 0.3, [0.9], 4000);
    const list = listExperiments(store);
    expect(list.experiments.map((e) => [e.name, e.trials.map((t) => [t.runId, t.trialName])])).toEqual([
      ['churn', [['run1', 'run1']]], ['lr-0.2', [['run2', 'run2']]],
    ]);
    expect(list.withoutExperiment.map((r) => [r.runId, r.reason])).toEqual([['run4', 'unresolved'], ['run3', 'disabled']]);
    expect(list.withoutExperiment[0]!.message).toBe(
      'cannot resolve the experiment: PipelineExperimentConfig.ExperimentName: parameter "Missing" has no value');

    const d = trialDetail(store, r1);
    expect(d.components).toEqual([
      {
        name: 'Prep', type: 'Processing', status: 'succeeded',
        parameters: { 'Parameters.Lr': 0.1, 'Parameters.Team': 'ml', ContainerArguments: ['--rows', '100'], 'Environment.MODE': 'fast' },
        inputArtifacts: [{ name: 'raw', hash: 'sha256:r' }],
        outputArtifacts: [{ name: 'train', uri: 's3://b/run1/train', hash: 'sha256:t', files: 1, bytes: 7 }],
        metrics: [],
      },
      {
        name: 'Train', type: 'Training', status: 'succeeded',
        parameters: { 'Parameters.Lr': 0.1, 'Parameters.Team': 'ml', 'HyperParameters.lr': '0.1', 'HyperParameters.epochs': '3' },
        inputArtifacts: [{ name: 'train', hash: 'sha256:t' }],
        outputArtifacts: [{ name: 'model', uri: 's3://b/run1/model.tar.gz', hash: 'sha256:m', files: 1, bytes: 9 }],
        metrics: [{ name: 'acc', count: 2, final: 0.7, min: 0.5, max: 0.7 }, { name: 'loss', count: 1, final: 0.30000000000000004, min: 0.30000000000000004, max: 0.30000000000000004 }],
      },
    ]);
  });

  it('compares parameters and final metrics, marks differences and sorts by a metric', () => {
    const store = Store.open(join(tmp.dir, 'b.db'));
    stores.push(store);
    seed(store, 'low', undefined, 0.1, [0.5, 0.6], 1000);
    seed(store, 'high', undefined, 0.2, [0.5, 0.8], 2000);
    const c = compareRuns(store, ['low', 'high'], { metric: 'acc' });
    if (!c.ok) throw new Error(c.error);
    expect(c.value.runs.map((r) => [r.runId, r.experiment, r.trial])).toEqual([['high', 'churn', 'high'], ['low', 'churn', 'low']]);
    expect(c.value.sortedBy).toEqual({ metric: 'acc', step: 'Train', order: 'descending' });
    const p = Object.fromEntries(c.value.parameters.map((r) => [r.name, [r.values.low, r.values.high, r.differs]]));
    expect(p).toEqual({
      'Parameters.Lr': [0.1, 0.2, true], 'Parameters.Team': ['ml', 'ml', false],
      'Prep.ContainerArguments': [['--rows', '100'], ['--rows', '100'], false], 'Prep.Environment.MODE': ['fast', 'fast', false],
      'Train.HyperParameters.lr': ['0.1', '0.2', true], 'Train.HyperParameters.epochs': ['3', '3', false],
    });
    expect(c.value.metrics.map((m) => [m.step, m.name, m.values.low, m.values.high, m.differs])).toEqual([
      ['Train', 'acc', 0.6, 0.8, true], ['Train', 'loss', 0.4, 0.19999999999999996, true],
    ]);
    const onlyPrep = compareRuns(store, ['low', 'high'], { step: 'Prep' });
    expect(onlyPrep.ok && onlyPrep.value.parameters.map((r) => r.name)).toEqual(['Parameters.Lr', 'Parameters.Team', 'Prep.ContainerArguments', 'Prep.Environment.MODE']);
    expect(compareRuns(store, ['low', 'nope'])).toEqual({ ok: false, error: 'no run "nope" (see `cairn runs`)' });
    expect(compareRuns(store, ['low'], { metric: 'f1' })).toEqual({ ok: false, error: 'no final metric "f1" in these runs (metrics: acc, loss)' });
    expect(compareRuns(store, ['low'], { step: 'Eval' })).toEqual({ ok: false, error: 'none of the runs has a step "Eval"' });
  });
});
