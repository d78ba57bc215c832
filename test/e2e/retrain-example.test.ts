import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from './harness.js';

// The README's main job: examples/retrain (TensorFlow stand-in images; SDK pipeline with local code; script mode
// through the toolkit; FrameworkProcessor steps; checkpoints; the accuracy gate), run small, interrupted, then resumed.
const EXAMPLE = resolve(import.meta.dirname, '../../examples/retrain');

describe('the retraining example', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = new Workspace();
    for (const f of ['pipeline.ts', 'hyperparameters.json', 'cairn.json']) cpSync(join(EXAMPLE, f), join(ws.dir, f));
    cpSync(join(EXAMPLE, 'handlers'), join(ws.dir, 'handlers'), { recursive: true });
    cpSync(join(EXAMPLE, 'code'), join(ws.dir, 'code'), { recursive: true });
  });
  afterAll(() => ws.dispose());

  it('fails part-way in Retrain, then resumes from it with Telemetry and Preprocess reused, and registers four models', async () => {
    const failed = await ws.json(['run', 'pipeline.ts', '--param', 'Iterations=40', '--param', 'FailAtIteration=100', '--json']);
    expect(failed.result.code).toBe(1);
    expect(failed.json.steps.map((s) => [s.name, s.status])).toEqual([
      ['Telemetry', 'succeeded'], ['Preprocess', 'succeeded'], ['Retrain', 'failed'], ['Evaluate', 'not-run'],
      ['AccuracyGate', 'not-run'], ['RegisterModels', 'not-run'], ['AccuracyTooLow', 'not-run'],
    ]);
    expect(failed.json.steps[2]!.failureReason).toContain('training of model fold_2 was interrupted at its iteration 20 (fail_at_iteration=100)');

    const resumed = await ws.json(['resume', failed.json.runId, '--json']);
    expect(resumed.result.code).toBe(0);
    expect(resumed.json.steps.map((s) => [s.name, s.status, s.reused, s.attempts])).toEqual([
      ['Telemetry', 'succeeded', true, 1], ['Preprocess', 'succeeded', true, 1], ['Retrain', 'succeeded', false, 2],
      ['Evaluate', 'succeeded', false, 1], ['AccuracyGate', 'succeeded', false, 0], ['RegisterModels', 'succeeded', false, 1],
      ['AccuracyTooLow', 'skipped', false, 0],
    ]);
    const log = await ws.run(['logs', failed.json.runId, 'Retrain']);
    expect(log.stdout).toContain('Model=fold_0; restored from checkpoint;');
    expect(log.stdout).toContain('Model=fold_1; restored from checkpoint;');
    expect(log.stdout).toMatch(/Model=full; Iteration=40; Discriminator_Supervised_Loss=[0-9.]+;/);

    // Metric definitions turned the training log into time series (the second attempt: 2 models x 40/10 lines + 4 validations).
    const metrics = await ws.json<{ steps: { name: string; attempt: number; metrics: { name: string; values: { value: number }[] }[] }[] }>(
      ['metrics', failed.json.runId, '--step', 'Retrain', '--json']);
    const retrain = metrics.json.steps[0]!;
    expect(retrain.attempt).toBe(2);
    expect(Object.fromEntries(retrain.metrics.map((m) => [m.name, m.values.length]))).toEqual({
      'discriminator:supervised_loss': 8, 'discriminator:unsupervised_loss': 8, 'generator:loss': 8, 'train:accuracy': 8, 'validation:accuracy': 4,
    });

    // RegisterModels (a Lambda step, handlers/register-models.ts) registered the four models in one group.
    const models = await ws.json<{ group: string; versions: { version: number; status: string; description: string; customerMetadata: Record<string, string>; statistics: { uri: string } }[] }>(
      ['models', 'list', 'risky-player-detector', '--json']);
    expect(models.json.versions.map((v) => [v.version, v.description, v.status, v.customerMetadata.model])).toEqual(
      ['fold_0', 'fold_1', 'fold_2', 'full'].map((m, i) => [i + 1, `run ${failed.json.runId}: SGAN classifier '${m}'`, 'PendingManualApproval', m]));
    expect(models.json.versions[3]!.statistics.uri).toBe(`s3://cairn-retrain/${failed.json.runId}/Evaluate/evaluation/model_quality_full.json`);
    const registered = await ws.run(['logs', failed.json.runId, 'RegisterModels']);
    expect(registered.stdout).toContain('OutputParameters: {"ModelPackageGroupName":"risky-player-detector","ModelPackageVersions":"[1,2,3,4]"');
    const evaluation = readdirSync(join(ws.home, 's3/cairn-retrain', failed.json.runId, 'Evaluate/evaluation')).sort();
    expect(evaluation).toEqual(['metrics.csv', 'model_quality_fold_0.json', 'model_quality_fold_1.json', 'model_quality_fold_2.json', 'model_quality_full.json']);
  }, 600_000);

  it('re-runs only Retrain and what follows after an edit to the training script', async () => {
    const before = await ws.json(['run', 'pipeline.ts', '--param', 'Iterations=40', '--json']);
    expect(before.result.code).toBe(0);
    const train = join(ws.dir, 'code/train/train.py');
    cpSync(train, `${train}.orig`);
    ws.write('code/train/train.py', `${readFileSync(train, 'utf8')}\n# an edit\n`);
    const after = await ws.json(['run', 'pipeline.ts', '--param', 'Iterations=40', '--json']);
    expect(after.json.steps.map((s) => [s.name, s.reused])).toEqual([
      ['Telemetry', true], ['Preprocess', true], ['Retrain', false], ['Evaluate', false], ['AccuracyGate', false], ['RegisterModels', false],
      ['AccuracyTooLow', false],
    ]);
    const explain = await ws.run(['explain', after.json.runId, 'Retrain']);
    expect(explain.stdout).toContain('inputs.hyperparameter:sagemaker_submit_directory');

    // The gate: with a bar no model clears, the jobs are all reused, RegisterModels is skipped and the Fail step ends
    // the run with its Join message (the best model and its accuracy, read from Evaluate's property file).
    const gated = await ws.json(['run', 'pipeline.ts', '--param', 'Iterations=40', '--param', 'MinAccuracy=1.01', '--json']);
    expect(gated.result.code).toBe(1);
    expect(gated.json.steps.map((s) => [s.name, s.status, s.reused])).toEqual([
      ['Telemetry', 'succeeded', true], ['Preprocess', 'succeeded', true], ['Retrain', 'succeeded', true], ['Evaluate', 'succeeded', true],
      ['AccuracyGate', 'succeeded', false], ['RegisterModels', 'skipped', false], ['AccuracyTooLow', 'failed', false],
    ]);
    expect(gated.json.steps[6]!.failureReason).toMatch(
      /^the best model, (fold_[0-2]|full), has a test accuracy of (0\.\d+|1(\.0)?), below MinAccuracy 1\.01: no model was registered$/);
  }, 600_000);
});
