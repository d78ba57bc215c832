import { isJsonObject, type JsonObject } from '../kernel/json.js';

/** One trial of a Tuning step, as `show --json` gives it (from the step's TrainingJobSummaries, best first). */
export interface TrialJson {
  name: string;
  status: string;
  hyperParameters: Record<string, string>;
  /** The trial's final objective value (absent when it logged none). */
  objective?: number;
  best: boolean;
}

/** The trials of a Tuning step's properties, best first; empty for any other step. */
export function tuningTrials(properties: JsonObject | undefined): TrialJson[] {
  const list = properties?.TrainingJobSummaries;
  if (!Array.isArray(list)) return [];
  const best = isJsonObject(properties?.BestTrainingJob) ? properties.BestTrainingJob.TrainingJobName : undefined;
  return list.filter(isJsonObject).map((s) => {
    const hp = isJsonObject(s.TunedHyperParameters) ? s.TunedHyperParameters : {};
    const metric = s.FinalHyperParameterTuningJobObjectiveMetric;
    const t: TrialJson = {
      name: String(s.TrainingJobName),
      status: String(s.TrainingJobStatus),
      hyperParameters: Object.fromEntries(Object.entries(hp).map(([k, v]) => [k, String(v)])),
      best: s.TrainingJobName === best,
    };
    if (isJsonObject(metric) && typeof metric.Value === 'number') t.objective = metric.Value;
    return t;
  });
}
