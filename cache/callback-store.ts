import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { JsonObject } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { DeclaredOutput } from '../contracts/definition.js';

export type CallbackStatus = 'waiting' | 'succeeded' | 'failed';

/** One token a Callback step minted (table `callbacks`, schema 3). */
export interface CallbackRecord {
  token: string;
  runId: string;
  step: string;
  status: CallbackStatus;
  /** What SageMaker would have sent to the step's SqsQueueUrl: {token, pipelineExecutionArn, arguments, status}. */
  message: JsonObject;
  declared: DeclaredOutput[];
  /** The values given with `--success` (as given; the step checks their types). */
  output?: JsonObject;
  failureReason?: string;
  createdAt: number;
  completedAt?: number;
  consumedAt?: number;
}

type Row = Record<string, unknown>;

/** A fresh token: 32 hex digits (never starts with "-", so it is safe as a command-line argument). */
export function newCallbackToken(): string {
  return randomBytes(16).toString('hex');
}

export function insertCallback(db: Database.Database, rec: Omit<CallbackRecord, 'status' | 'createdAt'> & { createdAt?: number }): CallbackRecord {
  const created: CallbackRecord = { ...rec, status: 'waiting', createdAt: rec.createdAt ?? Date.now() };
  db.prepare(`INSERT INTO callbacks (token, run_id, step, status, message, declared, created_at) VALUES (?, ?, ?, 'waiting', ?, ?, ?)`)
    .run(created.token, created.runId, created.step, JSON.stringify(created.message), JSON.stringify(created.declared), created.createdAt);
  return created;
}

export function getCallback(db: Database.Database, token: string): CallbackRecord | undefined {
  const r = db.prepare(`SELECT * FROM callbacks WHERE token = ?`).get(token) as Row | undefined;
  return r === undefined ? undefined : toRecord(r);
}

/**
 * The token a (re-)executed Callback step continues with: the step's newest one that is still waiting, or that
 * succeeded without being used yet (a callback sent while no cairn ran, or just before a crash). Undefined: mint anew.
 */
export function openCallback(db: Database.Database, runId: string, step: string): CallbackRecord | undefined {
  const r = db.prepare(`SELECT * FROM callbacks WHERE run_id = ? AND step = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`)
    .get(runId, step) as Row | undefined;
  if (r === undefined) return undefined;
  const rec = toRecord(r);
  return rec.consumedAt === undefined && rec.status !== 'failed' ? rec : undefined;
}

export function callbacksOfRun(db: Database.Database, runId: string): CallbackRecord[] {
  return (db.prepare(`SELECT * FROM callbacks WHERE run_id = ? ORDER BY created_at, rowid`).all(runId) as Row[]).map(toRecord);
}

export type CompleteRefusal = { reason: 'unknown' } | { reason: 'finished'; record: CallbackRecord };

/** Records `cairn callback <token> --success|--failure`, once: a token that is not waiting any more is refused. */
export function completeCallback(
  db: Database.Database, token: string, outcome: { status: 'succeeded'; output: JsonObject } | { status: 'failed'; reason: string },
): Result<CallbackRecord, CompleteRefusal> {
  return db.transaction((): Result<CallbackRecord, CompleteRefusal> => {
    const rec = getCallback(db, token);
    if (rec === undefined) return err({ reason: 'unknown' });
    if (rec.status !== 'waiting') return err({ reason: 'finished', record: rec });
    const now = Date.now();
    db.prepare(`UPDATE callbacks SET status = ?, output = ?, failure_reason = ?, completed_at = ? WHERE token = ? AND status = 'waiting'`)
      .run(outcome.status, outcome.status === 'succeeded' ? JSON.stringify(outcome.output) : null,
        outcome.status === 'failed' ? outcome.reason : null, now, token);
    return ok(getCallback(db, token) as CallbackRecord);
  }).immediate();
}

/** Marks a completion as used up by a step that failed with it (a resume of the step then mints a new token). */
export function consumeCallback(db: Database.Database, token: string): void {
  db.prepare(`UPDATE callbacks SET consumed_at = ? WHERE token = ?`).run(Date.now(), token);
}

function toRecord(r: Row): CallbackRecord {
  const rec: CallbackRecord = {
    token: String(r.token), runId: String(r.run_id), step: String(r.step), status: String(r.status) as CallbackStatus,
    message: JSON.parse(String(r.message)) as JsonObject, declared: JSON.parse(String(r.declared)) as DeclaredOutput[],
    createdAt: Number(r.created_at),
  };
  if (typeof r.output === 'string') rec.output = JSON.parse(r.output) as JsonObject;
  if (typeof r.failure_reason === 'string') rec.failureReason = r.failure_reason;
  if (typeof r.completed_at === 'number') rec.completedAt = r.completed_at;
  if (typeof r.consumed_at === 'number') rec.consumedAt = r.consumed_at;
  return rec;
}
