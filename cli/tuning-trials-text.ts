import { isJsonObject, type JsonObject } from '../kernel/json.js';
import { tuningTrials } from '../contracts/tuning-trials-json.js';

/** `cairn show` lines for a Tuning step's trials, best first: name, status, objective and tuned hyperparameters. */
export function tuningTrialLines(properties: JsonObject | undefined): string[] {
  const trials = tuningTrials(properties);
  if (trials.length === 0) return [];
  const config = properties?.HyperParameterTuningJobConfig;
  const objective = isJsonObject(config) && isJsonObject(config.HyperParameterTuningJobObjective) ? config.HyperParameterTuningJobObjective : undefined;
  const metricName = typeof objective?.MetricName === 'string' ? `${String(objective.Type)} ${objective.MetricName}` : undefined;
  const w = trials.reduce((m, t) => Math.max(m, t.name.length), 0);
  const lines = [`    trials (best first${metricName !== undefined ? `, objective ${metricName}` : ''}):`];
  for (const t of trials) {
    const hp = Object.entries(t.hyperParameters).map(([k, v]) => `${k}=${v}`).join(' ');
    const objective = t.objective === undefined ? '-' : String(t.objective);
    lines.push(`      ${t.best ? '*' : ' '} ${t.name.padEnd(w)}  ${t.status.padEnd(9)}  ${objective.padEnd(12)}  ${hp}`);
  }
  return lines;
}
