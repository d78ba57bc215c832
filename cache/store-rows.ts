import type { CacheDecision } from '../contracts/cache-decision.js';
import type { RunRecord, RunStatus, StepRecord, StepStatus } from '../contracts/records.js';
import { readStepFailure } from '../contracts/read-step-failure.js';

/** Rows of the store's tables as records (cache/store.ts). */
export type Row = Record<string, unknown>;
export const parse = <T>(v: unknown): T | undefined => (typeof v === 'string' ? (JSON.parse(v) as T) : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

export function toRun(r: Row): RunRecord {
  const run: RunRecord = {
    runId: String(r.run_id), pipeline: String(r.pipeline), definitionFile: String(r.definition_file),
    definition: String(r.definition), parameters: parse(r.parameters) ?? {}, execution: parse(r.execution) ?? {},
    options: parse(r.options) ?? { noCache: false, rerun: [] }, status: r.status as RunStatus, startedAt: Number(r.started_at),
  };
  const endedAt = num(r.ended_at); if (endedAt !== undefined) run.endedAt = endedAt;
  return run;
}

export function toStep(r: Row): StepRecord {
  const s: StepRecord = {
    runId: String(r.run_id), name: String(r.name), type: String(r.type), status: r.status as StepStatus,
    reused: r.reused === 1, attempts: Number(r.attempts),
  };
  if (typeof r.reused_from === 'string') s.reusedFrom = r.reused_from;
  if (typeof r.fingerprint_key === 'string') s.fingerprintKey = r.fingerprint_key;
  if (typeof r.fingerprint === 'string') s.fingerprint = r.fingerprint;
  const props = parse<StepRecord['properties']>(r.properties); if (props !== undefined) s.properties = props;
  const exitCode = num(r.exit_code); if (exitCode !== undefined) s.exitCode = exitCode;
  if (typeof r.failure === 'string') s.failure = readStepFailure(r.failure);
  const decision = parse<CacheDecision>(r.decision); if (decision !== undefined) s.decision = decision;
  const st = num(r.started_at); if (st !== undefined) s.startedAt = st;
  const en = num(r.ended_at); if (en !== undefined) s.endedAt = en;
  return s;
}
