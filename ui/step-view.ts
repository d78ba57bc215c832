import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { latestMetricAttempt, readMetrics, type MetricSeries } from '../cache/metric-store.js';
import type { Store } from '../cache/store.js';
import type { RecordedOutput } from '../contracts/artifacts.js';
import type { FingerprintChange } from '../contracts/fingerprint.js';
import type { JsonValue } from '../kernel/json.js';
import { describeFailureType } from '../engine/run/exception-types.js';
import { explainStep } from '../engine/reports/explain.js';
import { HttpError } from './http-error.js';
import { getRunOr404 } from './run-view.js';
import type { UiWords } from './ui-words.js';

export interface AttemptView {
  attempt: number;
  status: string;
  startedAt: number;
  endedAt?: number;
  exitCode?: number;
  /** The exception type SageMaker would report (engine/run/exception-types.ts), for a failed attempt. */
  exceptionType?: string;
  failure?: string[];
  metrics: MetricSeries[];
}

export interface StepDetail {
  runId: string;
  name: string;
  type: string;
  status: string;
  reused: boolean;
  reusedFrom?: string;
  arguments?: JsonValue;
  properties?: JsonValue;
  decision?: { action: string; words: string; changes?: FingerprintChange[] };
  failure?: string[];
  attempts: AttemptView[];
  outputs: { name: string; uri: string; hash: string; isFile: boolean; files: RecordedOutput['files'] }[];
  /** Metrics of the execution behind the step (its newest attempt that logged any, or the reused run's), as `cairn metrics`. */
  metrics: { attempt: number; reusedFrom?: string; series: MetricSeries[] };
}

function stepArguments(definition: string, name: string): JsonValue | undefined {
  try {
    const doc = JSON.parse(definition) as { Steps?: unknown[] };
    const stack = [...(doc.Steps ?? [])];
    while (stack.length > 0) {
      const s = stack.pop() as Record<string, unknown> | undefined;
      if (s === undefined || typeof s !== 'object' || s === null) continue;
      if (s.Name === name) return (s.Arguments ?? null) as JsonValue;
      const args = s.Arguments as Record<string, unknown> | undefined;
      for (const k of ['IfSteps', 'ElseSteps']) if (Array.isArray(args?.[k])) stack.push(...(args[k] as unknown[]));
    }
  } catch {
    return undefined;
  }
  return undefined;
}

export function stepDetail(store: Store, words: UiWords, runId: string, name: string): StepDetail {
  const run = getRunOr404(store, runId);
  const s = store.getStep(runId, name);
  if (s === undefined) throw new HttpError(404, `run ${runId} has no step "${name.slice(0, 80)}"`);
  const attempts = store.getAttempts(runId, name).map((a): AttemptView => {
    const v: AttemptView = { attempt: a.attempt, status: a.status, startedAt: a.startedAt, metrics: readMetrics(store.db, runId, name, a.attempt) };
    if (a.endedAt !== undefined) v.endedAt = a.endedAt;
    if (a.exitCode !== undefined) v.exitCode = a.exitCode;
    if (a.failure !== undefined && a.status !== 'stopped') v.exceptionType = describeFailureType(a.failure);
    if (a.failure !== undefined) v.failure = words.failure({ name, type: s.type, runId }, a.failure);
    return v;
  });
  const from = s.status === 'succeeded' && s.reused && s.reusedFrom !== undefined ? s.reusedFrom : runId;
  const metricAttempt = latestMetricAttempt(store.db, from, name);
  const detail: StepDetail = {
    runId, name, type: s.type, status: s.status, reused: s.reused, attempts,
    outputs: store.getOutputs(runId, name),
    metrics: { attempt: metricAttempt ?? 0, series: metricAttempt === undefined ? [] : readMetrics(store.db, from, name, metricAttempt) },
  };
  if (from !== runId) detail.metrics.reusedFrom = from;
  if (s.reusedFrom !== undefined) detail.reusedFrom = s.reusedFrom;
  const args = stepArguments(run.definition, name);
  if (args !== undefined) detail.arguments = args;
  if (s.properties !== undefined) detail.properties = s.properties;
  const why = explainStep(store, runId, name);
  if (why.kind === 'decided') {
    detail.decision = { action: why.decision.action, words: words.decision(why.decision), ...(why.changes === undefined ? {} : { changes: why.changes }) };
  }
  if (s.failure !== undefined && s.status !== 'succeeded') detail.failure = words.failure({ name, type: s.type, runId }, s.failure, store.getAttempts(runId, name).at(-1)?.logFile);
  return detail;
}

/**
 * A chunk of a step attempt's container log from `offset` (at most 256 KiB): the log file is the one the attempt's
 * record names, never a path from the request. `done`: the attempt has ended, so no more bytes will come.
 */
export function logChunk(store: Store, runId: string, name: string, attempt: number | undefined, offset: number): { attempt: number; text: string; offset: number; done: boolean } {
  getRunOr404(store, runId);
  const attempts = store.getAttempts(runId, name);
  const a = attempt === undefined ? attempts.at(-1) : attempts.find((x) => x.attempt === attempt);
  if (a === undefined) throw new HttpError(404, `step "${name.slice(0, 80)}" of run ${runId} has no ${attempt === undefined ? 'container log' : `attempt ${attempt}`}`);
  const done = a.status !== 'running';
  if (!existsSync(a.logFile)) return { attempt: a.attempt, text: '', offset, done };
  const size = statSync(a.logFile).size;
  const start = Math.min(offset, size);
  const length = Math.min(size - start, 256 * 1024);
  const buf = Buffer.alloc(length);
  if (length > 0) {
    const fd = openSync(a.logFile, 'r');
    try { readSync(fd, buf, 0, length, start); } finally { closeSync(fd); }
  }
  return { attempt: a.attempt, text: buf.toString('utf8'), offset: start + length, done: done && start + length >= size };
}
