import type { JsonObject } from '../kernel/json.js';

export interface MetricDefinition {
  name: string;
  regex: string;
}

/** Python's named group `(?P<x>…)` is `(?<x>…)` in JavaScript; the rest of the common syntax is shared. */
export function compileMetricRegex(regex: string): RegExp | string {
  try {
    return new RegExp(regex.replace(/\(\?P</g, '(?<'));
  } catch (e) {
    return (e as Error).message;
  }
}

/** Receives every metric value as it is found in the log: name, value, epoch milliseconds. */
export type MetricListener = (name: string, value: number, at: number) => void;

/**
 * Applies `AlgorithmSpecification.MetricDefinitions` to log lines as SageMaker does (first capture group, or the whole
 * match, parsed as a float; at most one value per metric per line), reports every value to `onValue` as the lines
 * stream, and keeps each metric's last value: the job's FinalMetricDataList.
 */
export class MetricCollector {
  private readonly compiled: { name: string; re: RegExp }[] = [];
  private readonly last = new Map<string, { value: number; at: Date }>();

  constructor(definitions: readonly MetricDefinition[], private readonly onValue?: MetricListener) {
    for (const d of definitions) {
      const re = compileMetricRegex(d.regex);
      if (re instanceof RegExp) this.compiled.push({ name: d.name, re });
    }
  }

  observe(line: string, at: number = Date.now()): void {
    for (const { name, re } of this.compiled) {
      const m = re.exec(line);
      if (m === null) continue;
      const value = parseMetricValue(m[1] ?? m[0]);
      if (value === undefined) continue;
      this.last.set(name, { value, at: new Date(at) });
      this.onValue?.(name, value, at);
    }
  }

  /** `[{MetricName, Value, Timestamp}]` in definition order, for metrics that appeared. */
  finalMetrics(): JsonObject[] {
    const out: JsonObject[] = [];
    for (const { name } of this.compiled) {
      const v = this.last.get(name);
      if (v !== undefined) out.push({ MetricName: name, Value: v.value, Timestamp: v.at.toISOString() });
    }
    return out;
  }
}

/** Python's `float()` on the captured text, restricted to finite values (JSON and SQLite cannot hold NaN/Infinity). */
export function parseMetricValue(text: string): number | undefined {
  const value = Number.parseFloat(text.trim());
  return Number.isFinite(value) ? value : undefined;
}
