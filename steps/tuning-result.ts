import type { StepFailure } from '../contracts/step-failure.js';
import { isJsonObject, type JsonObject } from '../kernel/json.js';
import { jobArn } from './job-name.js';
import type { TuningJobSpec } from './tuning-job.js';
import type { TunedValues } from './tuning-search.js';

/** What became of one trial: its Training properties when it completed, its failure when not. */
export interface TrialResult {
  index: number;
  tuned: TunedValues;
  name: string;
  properties?: JsonObject;
  failure?: StepFailure;
  reused: boolean;
}

/** SageMaker keeps the top 50 trials in a pipeline's TrainingJobSummaries. */
const MAX_SUMMARIES = 50;

/** The trial's objective as SageMaker takes it: the last value its log gave for the objective metric. */
export function objectiveValue(properties: JsonObject | undefined, metricName: string): number | undefined {
  const list = properties?.FinalMetricDataList;
  if (!Array.isArray(list)) return undefined;
  for (const m of list) if (isJsonObject(m) && m.MetricName === metricName && typeof m.Value === 'number') return m.Value;
  return undefined;
}

/**
 * The DescribeHyperParameterTuningJob-shaped properties: TrainingJobSummaries best first (ties: the earlier trial),
 * trials without an objective value after them, BestTrainingJob the first summary with one.
 */
export function tuningProperties(o: { spec: TuningJobSpec; name: string; arn: string; started: Date; ended: Date; trials: readonly TrialResult[] }): JsonObject {
  const { spec } = o;
  const sign = spec.objective.type === 'Minimize' ? 1 : -1;
  const rows = o.trials.map((t) => ({ t, value: objectiveValue(t.properties, spec.objective.metricName) }));
  rows.sort((a, b) => {
    if (a.value === undefined || b.value === undefined) return a.value === undefined ? (b.value === undefined ? a.t.index - b.t.index : 1) : -1;
    return sign * (a.value - b.value) || a.t.index - b.t.index;
  });
  const summaries = rows.map(({ t, value }) => summary(t, value, spec, o.name));
  const completed = o.trials.filter((t) => t.properties !== undefined).length;
  const withObjective = rows.filter((r) => r.value !== undefined).length;
  const best = rows[0]?.value !== undefined ? summaries[0] : undefined;
  const ended = o.ended.toISOString();
  return {
    HyperParameterTuningJobName: o.name,
    HyperParameterTuningJobArn: o.arn,
    HyperParameterTuningJobConfig: spec.config,
    TrainingJobDefinition: spec.definition,
    HyperParameterTuningJobStatus: best === undefined ? 'Failed' : 'Completed',
    TrainingJobSummaries: summaries.slice(0, MAX_SUMMARIES),
    TrainingJobStatusCounters: { Completed: completed, InProgress: 0, RetryableError: 0, NonRetryableError: o.trials.length - completed, Stopped: 0 },
    ObjectiveStatusCounters: { Succeeded: withObjective, Pending: 0, Failed: o.trials.length - withObjective },
    ...(best !== undefined ? { BestTrainingJob: best } : {}),
    CreationTime: o.started.toISOString(),
    HyperParameterTuningEndTime: ended,
    LastModifiedTime: ended,
  };
}

function summary(t: TrialResult, value: number | undefined, spec: TuningJobSpec, tuningName: string): JsonObject {
  const p = t.properties;
  const out: JsonObject = {
    TrainingJobName: t.name,
    TrainingJobArn: typeof p?.TrainingJobArn === 'string' ? p.TrainingJobArn : jobArn('training-job', t.name),
    TuningJobName: tuningName,
    TrainingJobStatus: p !== undefined ? 'Completed' : 'Failed',
    TunedHyperParameters: t.tuned,
    ObjectiveStatus: value !== undefined ? 'Succeeded' : 'Failed',
  };
  if (value !== undefined) out.FinalHyperParameterTuningJobObjectiveMetric = { Type: spec.objective.type, MetricName: spec.objective.metricName, Value: value };
  for (const k of ['CreationTime', 'TrainingStartTime', 'TrainingEndTime'] as const) {
    const v = p?.[k];
    if (typeof v === 'string') out[k] = v;
  }
  if (t.failure !== undefined) out.FailureReason = t.failure.reason;
  return out;
}
