import { join } from 'node:path';
import type { RecordedOutput } from '../contracts/artifacts.js';
import type { PreparedStep, StepContext, StepExecutor, StepSuccess } from '../contracts/executor.js';
import { withWhere, type StepFailure } from '../contracts/step-failure.js';
import { buildFingerprint } from '../cache/fingerprint.js';
import type { JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import { ArgumentReader } from './arguments.js';
import { LOCAL_ARN_PREFIX } from './job-name.js';
import { TrainingExecutor } from './training.js';
import { readTuningJob, type TuningJobSpec } from './tuning-job.js';
import { gridSize, gridTrials, randomTrials, type TunedValues } from './tuning-search.js';
import { findTrial, keepTrial, trialJobName, trialRequest, tuningJobName } from './tuning-trials.js';
import { tuningProperties, type TrialResult } from './tuning-result.js';

type TrainingPrepared = Extract<Awaited<ReturnType<TrainingExecutor['prepare']>>, { ok: true }>['value'];

interface PreparedTrial {
  index: number;
  tuned: TunedValues;
  key: string;
  prepared: TrainingPrepared;
}

interface TuningPlan {
  spec: TuningJobSpec;
  trials: PreparedTrial[];
}

/**
 * Runs a Tuning step (CreateHyperParameterTuningJob with one TrainingJobDefinition): the strategy picks each trial's
 * hyperparameters, each trial is a Training job run by the Training executor in its own container (at most
 * MaxParallelTrainingJobs at a time), kept and reused on its own by its fingerprint, and the best trial by the
 * objective metric (its last logged value) becomes BestTrainingJob.
 */
export class TuningExecutor implements StepExecutor<TuningPlan> {
  readonly type = 'Tuning';
  private readonly training = new TrainingExecutor();

  async prepare(args: JsonValue, ctx: StepContext, opts: { pull: boolean }): Promise<Result<PreparedStep<TuningPlan>, StepFailure>> {
    const spec = readTuningJob(args, ctx.stepName);
    if (!spec.ok) return spec;
    const values = trialValues(spec.value, ctx.stepName);
    if (!values.ok) return values;
    const metrics = spec.value.definition.AlgorithmSpecification;
    const names = JSON.stringify(metrics ?? {});
    if (!names.includes(JSON.stringify(spec.value.objective.metricName))) {
      return new ArgumentReader(ctx.stepName, 'Tuning').fail('HyperParameterTuningJobConfig.HyperParameterTuningJobObjective.MetricName',
        `names "${spec.value.objective.metricName}", which no TrainingJobDefinition.AlgorithmSpecification.MetricDefinitions entry defines`, 'add a MetricDefinitions entry with that Name and a Regex over the log');
    }
    const trials: PreparedTrial[] = [];
    for (const [index, tuned] of values.value.entries()) {
      const prepared = await this.training.prepare(trialRequest(spec.value, tuned), ctx, opts);
      if (!prepared.ok) return err(withWhere(prepared.error, `Tuning step "${ctx.stepName}", trial ${index + 1} (TrainingJobDefinition)`));
      trials.push({ index, tuned, key: buildFingerprint('Training', prepared.value.fingerprint).key, prepared: prepared.value });
    }
    const first = trials[0]?.prepared.fingerprint;
    const fingerprint = {
      image: first?.image ?? { uri: '', id: '' },
      arguments: { HyperParameterTuningJobConfig: spec.value.config, trials: trials.map((t) => t.key) },
      inputs: first?.inputs ?? {},
      environment: first?.environment ?? {},
    };
    return ok({ fingerprint, job: { spec: spec.value, trials } });
  }

  async execute(prepared: PreparedStep<TuningPlan>, ctx: StepContext): Promise<Result<StepSuccess, StepFailure>> {
    const { spec, trials } = prepared.job;
    const started = new Date();
    const name = tuningJobName(ctx.executionId, ctx.stepName);
    if (spec.earlyStopping === 'Auto') ctx.onNotice(`Tuning step "${ctx.stepName}": early stopping (Auto) is not done locally yet; every trial runs to its end`);
    const results: TrialResult[] = [];
    const outputs: RecordedOutput[] = [];
    let lastFailure: StepFailure | undefined;
    await pool(trials, spec.maxParallel, async (t) => {
      if (ctx.signal.aborted) return;
      const r = await this.runTrial(t, name, ctx);
      results.push(r.result);
      if (r.failure !== undefined) lastFailure = r.failure;
      outputs.push(...r.outputs);
    });
    results.sort((a, b) => a.index - b.index);
    const props = tuningProperties({ spec, name, arn: `${LOCAL_ARN_PREFIX}:hyper-parameter-tuning-job/${name.toLowerCase()}`, started, ended: new Date(), trials: results });
    if (props.BestTrainingJob === undefined) {
      if (lastFailure === undefined) {
        return new ArgumentReader(ctx.stepName, 'Tuning').fail('HyperParameterTuningJobConfig.HyperParameterTuningJobObjective.MetricName',
          `names "${spec.objective.metricName}", which none of the ${results.length} completed trials logged`, 'check that its MetricDefinitions Regex matches a line the training script prints');
      }
      return err(withWhere(lastFailure, `Tuning step "${ctx.stepName}": no trial of ${results.length} completed with the objective "${spec.objective.metricName}"; the last failure`));
    }
    return ok({ properties: props, outputs });
  }

  private async runTrial(t: PreparedTrial, tuningName: string, ctx: StepContext): Promise<{ result: TrialResult; outputs: RecordedOutput[]; failure?: StepFailure }> {
    // Kept trials are reused only when the step itself may be: not when forced, nor with CacheConfig.Enabled false.
    const reuse = ctx.forced !== true && ctx.step?.cacheConfig?.enabled !== false;
    const kept = reuse ? await findTrial(ctx, t.key) : undefined;
    if (kept !== undefined) {
      ctx.onNotice(`Tuning step "${ctx.stepName}": trial ${kept.name} reused (same fingerprint)`);
      return { result: { index: t.index, tuned: t.tuned, name: kept.name, properties: kept.properties, reused: true }, outputs: kept.outputs };
    }
    const jobName = trialJobName(tuningName, t.index, t.key);
    const trialCtx: StepContext = {
      ...ctx,
      jobName,
      attemptDir: join(ctx.attemptDir, 'trials', jobName),
      onLine: (line, stream) => ctx.onLine(`[${jobName}] ${line}`, stream),
      onMetric: () => undefined,
    };
    const ran = await this.training.execute(t.prepared, trialCtx);
    if (!ran.ok) {
      return { result: { index: t.index, tuned: t.tuned, name: jobName, failure: ran.error, reused: false }, outputs: [], failure: ran.error };
    }
    const outputs = ran.value.outputs.map((o) => ({ ...o, name: `${jobName}/${o.name}` }));
    await keepTrial(ctx, { key: t.key, name: jobName, properties: ran.value.properties, outputs });
    return { result: { index: t.index, tuned: t.tuned, name: jobName, properties: ran.value.properties, reused: false }, outputs };
  }
}

/** The tuned values of every trial the strategy asks for. */
function trialValues(spec: TuningJobSpec, stepName: string): Result<TunedValues[], StepFailure> {
  if (spec.strategy === 'Random') return ok(randomTrials(spec.ranges, spec.maxJobs ?? 1, spec.seed));
  const size = gridSize(spec.ranges);
  if (spec.maxJobs !== undefined && spec.maxJobs !== size) {
    return new ArgumentReader(stepName, 'Tuning').fail('HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs',
      `is ${spec.maxJobs}, but the Grid strategy runs every one of the ${size} combinations`, `leave it out or set it to ${size}`);
  }
  return ok(gridTrials(spec.ranges));
}

/** Runs `work` on every item, at most `limit` at a time, in order of the items. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

