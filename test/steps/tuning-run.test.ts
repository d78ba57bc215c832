import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { JsonObject } from '../../kernel/json.js';
import { runJson } from '../../contracts/run-json.js';
import { tuningTrialLines } from '../../cli/tuning-trials-text.js';
import { makeTemp } from '../cache/temp-home.js';
import { finalLoss, LR_RANGES, runTuning, tuningArgs, tuningHome, tuningPipeline } from './tuning-fixture.js';

const temps: { cleanup: () => void }[] = [];
afterEach(() => { temps.splice(0).forEach((t) => t.cleanup()); });
function dir(): string {
  const t = makeTemp('cairn-tuning-');
  temps.push(t);
  return t.dir;
}

interface Summary { TrainingJobName: string; TrainingJobStatus: string; TunedHyperParameters: Record<string, string>; FinalHyperParameterTuningJobObjectiveMetric?: { Value: number } }
const random = (max: number, seed = 7): JsonObject => tuningArgs({ Strategy: 'Random', RandomSeed: seed, ResourceLimits: { MaxNumberOfTrainingJobs: max, MaxParallelTrainingJobs: 2 } }, LR_RANGES);

describe('Tuning step (Random)', () => {
  it('runs 6 trials at most 2 at once, picks the lowest last-logged loss, and the Model step gets that trial\'s model', async () => {
    const home = dir();
    const { services, stats } = tuningHome(home);
    const run = await runTuning(services, tuningPipeline(random(6)));
    expect(run.status).toBe('succeeded');
    expect(stats).toMatchObject({ runs: 6, most: 2 });
    const tune = services.store.getStep(run.runId, 'Tune')?.properties ?? {};
    const summaries = tune.TrainingJobSummaries as unknown as Summary[];
    expect(summaries).toHaveLength(6);
    const losses = summaries.map((s) => finalLoss(Number(s.TunedHyperParameters.lr)));
    expect(summaries.map((s) => s.FinalHyperParameterTuningJobObjectiveMetric?.Value)).toEqual(losses);
    expect(losses).toEqual([...losses].sort((a, b) => a - b));
    const best = summaries[0] as Summary;
    expect(tune.BestTrainingJob).toEqual(best);
    expect(tune.HyperParameterTuningJobStatus).toBe('Completed');
    expect(best.TrainingJobName).toMatch(new RegExp(`^${String(tune.HyperParameterTuningJobName)}-00[1-6]-[0-9a-f]{8}$`));
    const model = services.store.getStep(run.runId, 'Best')?.properties as { PrimaryContainer: { ModelDataUrl: string } };
    expect(model.PrimaryContainer.ModelDataUrl).toBe(`s3://b/tune/${best.TrainingJobName}/output/model.tar.gz`);
    const tar = join(home, 's3', 'b', 'tune', best.TrainingJobName, 'output', 'model.tar.gz');
    expect(execFileSync('tar', ['-xzOf', tar, 'model.txt']).toString()).toBe(`lr=${best.TunedHyperParameters.lr ?? ''} opt=`);
    // show --json and show: the trials under the step, best first, with hyperparameters, objective and status.
    const trials = runJson(run, services.store.getSteps(run.runId)).steps[0]?.trials ?? [];
    expect(trials.map((t) => [t.name, t.status, t.hyperParameters, t.objective, t.best])).toEqual(
      summaries.map((s, i) => [s.TrainingJobName, 'Completed', s.TunedHyperParameters, s.FinalHyperParameterTuningJobObjectiveMetric?.Value, i === 0]),
    );
    const lines = tuningTrialLines(tune);
    expect(lines[0]).toBe('    trials (best first, objective Minimize val:loss):');
    expect(lines[1]).toMatch(new RegExp(`^ {6}\\* ${best.TrainingJobName} {2}Completed {2}${String(losses[0]).replace('.', '\\.')} +lr=${best.TunedHyperParameters.lr ?? ''}$`));
    expect(lines).toHaveLength(7);
  });

  it('draws the same trials for the same seed, other trials for another seed', async () => {
    const tuned = async (seed: number): Promise<string[]> => {
      const { services } = tuningHome(dir());
      const run = await runTuning(services, tuningPipeline(random(4, seed)));
      const s = services.store.getStep(run.runId, 'Tune')?.properties?.TrainingJobSummaries as unknown as Summary[];
      return s.map((x) => x.TunedHyperParameters.lr ?? '').sort();
    };
    const a = await tuned(7);
    expect(await tuned(7)).toEqual(a);
    expect(await tuned(8)).not.toEqual(a);
    for (const lr of a) expect(Number(lr)).toBeGreaterThanOrEqual(0.0001);
  });

  it('a rerun with MaxNumberOfTrainingJobs 8 runs only the 2 new trials and reuses the 6 as they were', async () => {
    const { services, stats } = tuningHome(dir());
    const first = await runTuning(services, tuningPipeline(random(6)));
    const before = (services.store.getStep(first.runId, 'Tune')?.properties?.TrainingJobSummaries as unknown as Summary[]).map((s) => s.TrainingJobName);
    const second = await runTuning(services, tuningPipeline(random(8)));
    expect(second.status).toBe('succeeded');
    expect(stats.runs).toBe(8);
    const after = (services.store.getStep(second.runId, 'Tune')?.properties?.TrainingJobSummaries as unknown as Summary[]).map((s) => s.TrainingJobName);
    expect(after).toHaveLength(8);
    expect(after.filter((n) => before.includes(n)).sort()).toEqual([...before].sort());
    // --no-cache forces the step, and so every one of its trials.
    const forced = await runTuning(services, tuningPipeline(random(8)), true);
    expect(forced.status).toBe('succeeded');
    expect(stats.runs).toBe(16);
  });

  it('a failing trial is a Failed summary and the job still completes; all trials failing fails the step', async () => {
    const { services } = tuningHome(dir(), (hp) => Number(hp.lr) > 0.01);
    const run = await runTuning(services, tuningPipeline(random(6)));
    const tune = services.store.getStep(run.runId, 'Tune')?.properties ?? {};
    const summaries = tune.TrainingJobSummaries as unknown as Summary[];
    const failed = summaries.filter((s) => s.TrainingJobStatus === 'Failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(6);
    expect(summaries.slice(-failed.length)).toEqual(failed);
    expect(tune.TrainingJobStatusCounters).toMatchObject({ Completed: 6 - failed.length, NonRetryableError: failed.length });
    const all = tuningHome(dir(), () => true);
    const bad = await runTuning(all.services, tuningPipeline(random(3)));
    expect(bad.status).toBe('failed');
    expect(all.services.store.getStep(bad.runId, 'Tune')?.failure?.reason).toBe('exit-nonzero');
  });
});

describe('Tuning step (Grid)', () => {
  const grid = (extra: JsonObject = {}): JsonObject => tuningArgs({ Strategy: 'Grid', ResourceLimits: { MaxParallelTrainingJobs: 3, ...extra } }, {
    CategoricalParameterRanges: [{ Name: 'lr', Values: ['0.1', '0.01'] }, { Name: 'opt', Values: ['sgd', 'adam', 'rms'] }],
  });

  it('enumerates every combination of the categorical values exactly once', async () => {
    const { services, stats } = tuningHome(dir());
    const run = await runTuning(services, tuningPipeline(grid()));
    expect(run.status).toBe('succeeded');
    expect(stats.runs).toBe(6);
    const s = services.store.getStep(run.runId, 'Tune')?.properties?.TrainingJobSummaries as unknown as Summary[];
    expect(s.map((x) => `${x.TunedHyperParameters.lr ?? ''}/${x.TunedHyperParameters.opt ?? ''}`).sort()).toEqual(
      ['0.01/adam', '0.01/rms', '0.01/sgd', '0.1/adam', '0.1/rms', '0.1/sgd'],
    );
  });

  it('refuses a MaxNumberOfTrainingJobs other than the number of combinations, naming the field', async () => {
    const { services } = tuningHome(dir());
    const run = await runTuning(services, tuningPipeline(grid({ MaxNumberOfTrainingJobs: 4 })));
    expect(run.status).toBe('failed');
    expect(services.store.getStep(run.runId, 'Tune')?.failure).toMatchObject({
      reason: 'invalid-arguments', field: 'HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs',
    });
  });
});
