import type { JsonObject, JsonValue } from '../kernel/json.js';
import { ok, type Result } from '../kernel/result.js';
import { ArgumentReader } from './arguments.js';
import type { StepFailure } from '../contracts/step-failure.js';

export type ScalingType = 'Auto' | 'Linear' | 'Logarithmic' | 'ReverseLogarithmic';
const SCALING: readonly string[] = ['Auto', 'Linear', 'Logarithmic', 'ReverseLogarithmic'];

export type ParameterRange =
  | { kind: 'integer'; name: string; min: number; max: number; scaling: ScalingType }
  | { kind: 'continuous'; name: string; min: number; max: number; scaling: ScalingType }
  | { kind: 'categorical'; name: string; values: string[] };

/** A validated CreateHyperParameterTuningJob request with one TrainingJobDefinition. */
export interface TuningJobSpec {
  strategy: 'Random' | 'Grid';
  objective: { type: 'Minimize' | 'Maximize'; metricName: string };
  /** MaxNumberOfTrainingJobs (Grid: the number of combinations when absent). */
  maxJobs: number | undefined;
  maxParallel: number;
  seed: number;
  earlyStopping: 'Off' | 'Auto';
  ranges: ParameterRange[];
  /** The TrainingJobDefinition as written; each trial's CreateTrainingJob request is made from it. */
  definition: JsonObject;
  staticHyperParameters: Record<string, string>;
  config: JsonObject;
}

const CONFIG = 'HyperParameterTuningJobConfig';

/** Validates resolved Tuning step Arguments; the first problem is an `invalid-arguments` failure naming the field. */
export function readTuningJob(args: JsonValue, stepName: string): Result<TuningJobSpec, StepFailure> {
  const a = new ArgumentReader(stepName, 'Tuning');
  const root = a.object(args, '', 'write the CreateHyperParameterTuningJob request body as the step\'s Arguments');
  if (!root.ok) return root;
  if (root.value.TrainingJobDefinitions !== undefined) {
    return a.fail('TrainingJobDefinitions', 'gives several training job definitions, which cairn does not run locally yet', 'tune one estimator (TrainingJobDefinition)');
  }
  if (root.value.WarmStartConfig !== undefined) return a.fail('WarmStartConfig', 'is not supported locally yet', 'leave warm start out');
  const config = a.object(root.value[CONFIG], CONFIG, 'give the tuning job config (Strategy, ResourceLimits, ParameterRanges)');
  if (!config.ok) return config;
  const c = config.value;
  const strategy = a.string(c.Strategy ?? 'Bayesian', `${CONFIG}.Strategy`, 'name a strategy');
  if (!strategy.ok) return strategy;
  if (strategy.value !== 'Random' && strategy.value !== 'Grid') {
    return a.fail(`${CONFIG}.Strategy`, `is "${strategy.value}", which cairn does not run locally yet`, 'use "Random" or "Grid"');
  }
  const objective = a.object(c.HyperParameterTuningJobObjective, `${CONFIG}.HyperParameterTuningJobObjective`, 'give the objective Type and MetricName');
  if (!objective.ok) return objective;
  const type = objective.value.Type;
  if (type !== 'Minimize' && type !== 'Maximize') {
    return a.fail(`${CONFIG}.HyperParameterTuningJobObjective.Type`, `is ${JSON.stringify(type)}`, 'use "Minimize" or "Maximize"');
  }
  const metricName = a.string(objective.value.MetricName, `${CONFIG}.HyperParameterTuningJobObjective.MetricName`, 'name the metric to optimize');
  if (!metricName.ok) return metricName;
  const limits = a.object(c.ResourceLimits, `${CONFIG}.ResourceLimits`, 'give MaxParallelTrainingJobs (and MaxNumberOfTrainingJobs)');
  if (!limits.ok) return limits;
  const maxJobs = positiveInt(a, limits.value.MaxNumberOfTrainingJobs, `${CONFIG}.ResourceLimits.MaxNumberOfTrainingJobs`, strategy.value === 'Grid');
  if (!maxJobs.ok) return maxJobs;
  const maxParallel = positiveInt(a, limits.value.MaxParallelTrainingJobs, `${CONFIG}.ResourceLimits.MaxParallelTrainingJobs`, false);
  if (!maxParallel.ok) return maxParallel;
  const seed = c.RandomSeed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) return a.fail(`${CONFIG}.RandomSeed`, `is ${JSON.stringify(seed)}`, 'give an integer seed');
  const early = c.TrainingJobEarlyStoppingType ?? 'Off';
  if (early !== 'Off' && early !== 'Auto') return a.fail(`${CONFIG}.TrainingJobEarlyStoppingType`, `is ${JSON.stringify(early)}`, 'use "Off" or "Auto"');
  const ranges = readRanges(a, c.ParameterRanges);
  if (!ranges.ok) return ranges;
  if (strategy.value === 'Grid') {
    const numeric = ranges.value.find((r) => r.kind !== 'categorical');
    if (numeric !== undefined) {
      return a.fail(`${CONFIG}.ParameterRanges`, `gives the ${numeric.kind} range "${numeric.name}", but the Grid strategy takes only categorical ranges`, 'make it a CategoricalParameterRange or use "Random"');
    }
  }
  const def = a.object(root.value.TrainingJobDefinition, 'TrainingJobDefinition', 'give the training job each trial runs');
  if (!def.ok) return def;
  const stat = a.stringMap(def.value.StaticHyperParameters, 'TrainingJobDefinition.StaticHyperParameters', 'give hyperparameters as an object of strings');
  if (!stat.ok) return stat;
  const tuned = ranges.value.find((r) => Object.hasOwn(stat.value, r.name));
  if (tuned !== undefined) {
    return a.fail('TrainingJobDefinition.StaticHyperParameters', `sets "${tuned.name}", which is also a tuned range`, 'keep each hyperparameter either static or tuned');
  }
  return ok({
    strategy: strategy.value, objective: { type, metricName: metricName.value }, maxJobs: maxJobs.value, maxParallel: maxParallel.value ?? 1,
    seed, earlyStopping: early, ranges: ranges.value, definition: def.value, staticHyperParameters: stat.value, config: c,
  });
}

function positiveInt(a: ArgumentReader, v: JsonValue | undefined, field: string, optional: boolean): Result<number | undefined, StepFailure> {
  if ((v === undefined || v === null) && optional) return ok(undefined);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return a.fail(field, `is ${JSON.stringify(v ?? null)}`, 'give a whole number of at least 1');
  return ok(v);
}

function readRanges(a: ArgumentReader, raw: JsonValue | undefined): Result<ParameterRange[], StepFailure> {
  const field = `${CONFIG}.ParameterRanges`;
  const pr = a.optionalObject(raw, field, 'give IntegerParameterRanges, ContinuousParameterRanges and CategoricalParameterRanges');
  if (!pr.ok) return pr;
  const out: ParameterRange[] = [];
  const names = new Set<string>();
  for (const kind of ['Integer', 'Continuous', 'Categorical'] as const) {
    const list = a.array(pr.value?.[`${kind}ParameterRanges`], `${field}.${kind}ParameterRanges`, 'give a list of ranges');
    if (!list.ok) return list;
    for (const [i, item] of list.value.entries()) {
      const f = `${field}.${kind}ParameterRanges[${i}]`;
      const r = a.object(item, f, 'give the range a Name');
      if (!r.ok) return r;
      const name = a.string(r.value.Name, `${f}.Name`, 'name the hyperparameter');
      if (!name.ok) return name;
      if (names.has(name.value)) return a.fail(`${f}.Name`, `repeats the hyperparameter "${name.value}"`, 'tune each hyperparameter in one range');
      names.add(name.value);
      if (kind === 'Categorical') {
        const values = a.stringList(r.value.Values, `${f}.Values`, 'give the values as a list of strings');
        if (!values.ok) return values;
        if (values.value === undefined || values.value.length === 0) return a.fail(`${f}.Values`, 'is empty', 'give at least one value');
        out.push({ kind: 'categorical', name: name.value, values: values.value });
        continue;
      }
      const range = readBounds(a, r.value, f, kind === 'Integer');
      if (!range.ok) return range;
      out.push({ kind: kind === 'Integer' ? 'integer' : 'continuous', name: name.value, ...range.value });
    }
  }
  return ok(out);
}

function readBounds(a: ArgumentReader, r: JsonObject, f: string, integer: boolean): Result<{ min: number; max: number; scaling: ScalingType }, StepFailure> {
  const bound = (key: 'MinValue' | 'MaxValue'): Result<number, StepFailure> => {
    const v = r[key];
    const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : Number.NaN;
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) return a.fail(`${f}.${key}`, `is ${JSON.stringify(v ?? null)}`, `give ${integer ? 'an integer' : 'a number'} as a string`);
    return ok(n);
  };
  const min = bound('MinValue');
  if (!min.ok) return min;
  const max = bound('MaxValue');
  if (!max.ok) return max;
  if (min.value > max.value) return a.fail(`${f}.MaxValue`, `(${max.value}) is below MinValue (${min.value})`, 'swap them');
  const scaling = r.ScalingType ?? 'Auto';
  if (typeof scaling !== 'string' || !SCALING.includes(scaling) || (integer && scaling === 'ReverseLogarithmic')) {
    return a.fail(`${f}.ScalingType`, `is ${JSON.stringify(scaling)}`, `use ${integer ? '"Auto", "Linear" or "Logarithmic"' : '"Auto", "Linear", "Logarithmic" or "ReverseLogarithmic"'}`);
  }
  if (scaling === 'Logarithmic' && min.value <= 0) return a.fail(`${f}.MinValue`, `is ${min.value}, but Logarithmic scaling needs values above 0`, 'raise MinValue or use "Linear"');
  if (scaling === 'ReverseLogarithmic' && (min.value < 0 || max.value >= 1)) {
    return a.fail(`${f}.MaxValue`, 'must stay in [0, 1) for ReverseLogarithmic scaling', 'narrow the range or use "Linear"');
  }
  return ok({ min: min.value, max: max.value, scaling: scaling as ScalingType });
}
