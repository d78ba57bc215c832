import type Database from 'better-sqlite3';
import { dirname } from 'node:path';
import type { RecordedOutput } from '../contracts/artifacts.js';
import type { HashCacheEntry } from './hasher.js';
import { releaseReserve } from './disk-reserve.js';
import { openDatabase, type OpenOptions } from './store-open.js';
import { isFull, storeFaultOf } from './store-fault.js';
import { insertMetrics, latestMetricAttempt, readMetrics, type MetricPoint, type MetricSeries } from './metric-store.js';
import type { CacheDecision } from '../contracts/cache-decision.js';
import type {
  AttemptRecord, AttemptStatus, RunRecord, RunStatus, StepRecord, StepStatus, StepSuccessRecord,
} from '../contracts/records.js';
import type { StepFailure } from '../contracts/step-failure.js';
import { readStepFailure } from '../contracts/read-step-failure.js';
import type { SideEffects } from '../contracts/s3-endpoint.js';
import { readSideEffects } from './s3-endpoint/side-effect-store.js';

import { num, parse, toRun, toStep, type Row } from './store-rows.js';

const json = (v: unknown): string => JSON.stringify(v);

/**
 * Runs, step executions, attempts, outputs, cache entries and file hashes, in one SQLite file (WAL). Every SQL
 * statement on these tables is here or in another cache/ module. `db` is the connection for cache/ modules and for
 * the tables other layers own (registry/store.ts, the callback tokens of steps/callback.ts); engine/ never touches it
 * (eslint: no `.db` in engine/).
 */
export class Store {
  readonly db: Database.Database;

  /** Prepared statements by SQL text: compiling a statement costs more than running it (a reused step runs ~10). */
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(db: Database.Database, readonly file: string) {
    this.db = db;
  }

  /**
   * Runs a write; on SQLITE_FULL (outside a transaction, which SQLite has then rolled back) it deletes the home's
   * disk reserve (cache/disk-reserve.ts) and tries once more, so a failing run's last records still land. A write
   * that still does not fit is a `StoreFault` of kind `full`.
   */
  private write<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (this.db.inTransaction || !isFull(e, this.file)) throw e;
      if (!releaseReserve(dirname(this.file))) throw storeFaultOf(e, this.file) ?? e;
    }
    try {
      return fn();
    } catch (e) {
      throw storeFaultOf(e, this.file) ?? e;
    }
  }

  private sql(text: string): Database.Statement {
    let st = this.statements.get(text);
    if (st === undefined) this.statements.set(text, (st = this.db.prepare(text)));
    return st;
  }

  /** Opens (creating it if need be) the store at `path`; a damaged or unusable file is a `StoreFault` (cache/store-fault.ts). */
  static open(path: string, opts: OpenOptions = {}): Store {
    return new Store(openDatabase(path, opts), path);
  }

  close(): void {
    this.db.close();
  }

  transaction<T>(fn: () => T): T {
    return this.write(() => this.db.transaction(fn).immediate());
  }

  /** Copies the WAL into the database file (best effort), so a lost or damaged -wal file cannot take what it held. */
  checkpoint(): void {
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)'); // PASSIVE: never waits for other connections
    } catch {
      // busy (a reader) or a full disk: SQLite checkpoints again later on its own
    }
  }

  // ---- runs
  createRun(run: RunRecord, steps: { name: string; type: string }[]): void {
    this.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO runs (run_id, pipeline, definition_file, definition, parameters, execution, options, status, started_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(run.runId, run.pipeline, run.definitionFile, run.definition, json(run.parameters), json(run.execution),
          json(run.options), run.status, run.startedAt);
      const ins = this.sql(`INSERT INTO steps (run_id, name, type, status) VALUES (?, ?, ?, 'not-run')`);
      for (const s of steps) ins.run(run.runId, s.name, s.type);
    });
  }

  getRun(runId: string): RunRecord | undefined {
    const r = this.sql(`SELECT * FROM runs WHERE run_id = ?`).get(runId) as Row | undefined;
    return r === undefined ? undefined : toRun(r);
  }

  /** Newest first. */
  listRuns(): RunRecord[] {
    return (this.sql(`SELECT * FROM runs ORDER BY started_at DESC, rowid DESC`).all() as Row[]).map(toRun);
  }

  setRunStatus(runId: string, status: RunStatus, endedAt?: number): void {
    this.write(() => this.sql(`UPDATE runs SET status = ?, ended_at = ? WHERE run_id = ?`).run(status, endedAt ?? null, runId));
  }

  // ---- steps
  getSteps(runId: string): StepRecord[] {
    const rows = this.db
      .prepare(
        `SELECT s.*, (SELECT COUNT(*) FROM attempts a WHERE a.run_id = s.run_id AND a.step = s.name) AS attempts
         FROM steps s WHERE s.run_id = ? ORDER BY s.rowid`,
      )
      .all(runId) as Row[];
    return rows.map(toStep);
  }

  /** One step (one row: a cache hit looks up its source step, which must not cost a read of the whole run). */
  getStep(runId: string, name: string): StepRecord | undefined {
    const r = this.db
      .prepare(
        `SELECT s.*, (SELECT COUNT(*) FROM attempts a WHERE a.run_id = s.run_id AND a.step = s.name) AS attempts
         FROM steps s WHERE s.run_id = ? AND s.name = ?`,
      )
      .get(runId, name) as Row | undefined;
    return r === undefined ? undefined : toStep(r);
  }

  setStepStatus(runId: string, name: string, status: StepStatus, patch: {
    reused?: boolean; failure?: StepFailure | null; exitCode?: number | null; startedAt?: number; endedAt?: number | null;
  } = {}): void {
    const sets: string[] = ['status = @status'];
    const params: Record<string, unknown> = { runId, name, status };
    if (patch.reused !== undefined) { sets.push('reused = @reused'); params.reused = patch.reused ? 1 : 0; }
    if (patch.failure !== undefined) { sets.push('failure = @failure'); params.failure = patch.failure === null ? null : json(patch.failure); }
    if (patch.exitCode !== undefined) { sets.push('exit_code = @exitCode'); params.exitCode = patch.exitCode; }
    if (patch.startedAt !== undefined) { sets.push('started_at = @startedAt'); params.startedAt = patch.startedAt; }
    if (patch.endedAt !== undefined) { sets.push('ended_at = @endedAt'); params.endedAt = patch.endedAt; }
    this.write(() => this.sql(`UPDATE steps SET ${sets.join(', ')} WHERE run_id = @runId AND name = @name`).run(params));
  }

  /** Records a successful (or reused) step, its outputs and its cache entry in one transaction. */
  commitStepSuccess(runId: string, name: string, s: StepSuccessRecord): void {
    this.transaction(() => {
      this.db
        .prepare(
          `UPDATE steps SET status = 'succeeded', reused = ?, reused_from = ?, fingerprint_key = ?, fingerprint = ?,
           properties = ?, exit_code = NULL, failure = NULL, ended_at = ? WHERE run_id = ? AND name = ?`,
        )
        .run(s.reused ? 1 : 0, s.reusedFrom ?? null, s.fingerprintKey, s.fingerprint, json(s.properties), s.endedAt, runId, name);
      this.sql(`DELETE FROM outputs WHERE run_id = ? AND step = ?`).run(runId, name);
      const ins = this.sql(
        `INSERT INTO outputs (run_id, step, name, uri, hash, is_file, manifest) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const o of s.outputs) ins.run(runId, name, o.name, o.uri, o.hash, o.isFile ? 1 : 0, json(o.files));
      if (s.cacheable && !s.reused) {
        this.db
          .prepare(`INSERT OR REPLACE INTO cache_entries (key, run_id, step, created_at) VALUES (?, ?, ?, ?)`)
          .run(s.fingerprintKey, runId, name, s.endedAt);
      }
    });
  }

  getOutputs(runId: string, step: string): RecordedOutput[] {
    const rows = this.sql(`SELECT * FROM outputs WHERE run_id = ? AND step = ? ORDER BY name`).all(runId, step) as Row[];
    return rows.map((r) => ({
      name: String(r.name), uri: String(r.uri), hash: String(r.hash), isFile: r.is_file === 1,
      files: parse(r.manifest) ?? [],
    }));
  }

  /** The newest successful execution with this fingerprint key, created at or after `notBefore`. */
  findCacheEntry(key: string, notBefore: number): { runId: string; step: string; createdAt: number } | undefined {
    const r = this.db
      .prepare(
        `SELECT c.run_id, c.step, c.created_at FROM cache_entries c
         JOIN steps s ON s.run_id = c.run_id AND s.name = c.step AND s.status = 'succeeded'
         WHERE c.key = ? AND c.created_at >= ? ORDER BY c.created_at DESC LIMIT 1`,
      )
      .get(key, notBefore) as Row | undefined;
    return r === undefined ? undefined : { runId: String(r.run_id), step: String(r.step), createdAt: Number(r.created_at) };
  }

  /** The cache decision for a step of a run (contracts/cache-decision.ts), stored as made. */
  setStepDecision(runId: string, name: string, decision: CacheDecision | null): void {
    this.write(() => this.sql(`UPDATE steps SET decision = ? WHERE run_id = ? AND name = ?`)
      .run(decision === null ? null : json(decision), runId, name));
  }

  /** The newest fingerprint recorded for a succeeded step of this pipeline by another, earlier run. */
  previousFingerprint(pipeline: string, step: string, beforeRun: Pick<RunRecord, 'runId' | 'startedAt'>): { runId: string; fingerprint: string } | undefined {
    const r = this.db
      .prepare(
        `SELECT s.run_id, s.fingerprint FROM steps s JOIN runs r ON r.run_id = s.run_id
         WHERE r.pipeline = ? AND s.name = ? AND s.fingerprint IS NOT NULL AND s.status = 'succeeded'
           AND s.run_id != ? AND r.started_at <= ?
         ORDER BY r.started_at DESC, r.rowid DESC LIMIT 1`,
      )
      .get(pipeline, step, beforeRun.runId, beforeRun.startedAt) as Row | undefined;
    return r === undefined ? undefined : { runId: String(r.run_id), fingerprint: String(r.fingerprint) };
  }

  setStepFingerprint(runId: string, name: string, key: string, fingerprint: string): void {
    this.write(() => this.sql(`UPDATE steps SET fingerprint_key = ?, fingerprint = ? WHERE run_id = ? AND name = ?`)
      .run(key, fingerprint, runId, name));
  }

  // ---- attempts
  startAttempt(runId: string, step: string, startedAt: number, logFile: (attempt: number) => string): AttemptRecord {
    return this.transaction(() => {
      const r = this.sql(`SELECT COALESCE(MAX(attempt), 0) AS n FROM attempts WHERE run_id = ? AND step = ?`)
        .get(runId, step) as Row;
      const attempt = Number(r.n) + 1;
      const file = logFile(attempt);
      this.db
        .prepare(`INSERT INTO attempts (run_id, step, attempt, status, started_at, log_file) VALUES (?, ?, ?, 'running', ?, ?)`)
        .run(runId, step, attempt, startedAt, file);
      this.sql(`UPDATE steps SET status = 'running', started_at = ?, ended_at = NULL, failure = NULL, exit_code = NULL, reused = 0
        WHERE run_id = ? AND name = ?`).run(startedAt, runId, step);
      return { runId, step, attempt, status: 'running', startedAt, logFile: file };
    });
  }

  setAttemptContainer(runId: string, step: string, attempt: number, containerId: string): void {
    this.write(() => this.sql(`UPDATE attempts SET container_id = ? WHERE run_id = ? AND step = ? AND attempt = ?`)
      .run(containerId, runId, step, attempt));
  }

  finishAttempt(runId: string, step: string, attempt: number, status: AttemptStatus, endedAt: number,
    failure?: StepFailure): void {
    const exitCode = failure !== undefined && 'exitCode' in failure ? failure.exitCode : status === 'succeeded' ? 0 : null;
    this.write(() => this.sql(`UPDATE attempts SET status = ?, ended_at = ?, exit_code = ?, failure = ? WHERE run_id = ? AND step = ? AND attempt = ?`)
      .run(status, endedAt, exitCode, failure === undefined ? null : json(failure), runId, step, attempt));
  }

  getAttempts(runId: string, step?: string): AttemptRecord[] {
    const rows = (step === undefined
      ? this.sql(`SELECT * FROM attempts WHERE run_id = ? ORDER BY started_at, attempt`).all(runId)
      : this.sql(`SELECT * FROM attempts WHERE run_id = ? AND step = ? ORDER BY attempt`).all(runId, step)) as Row[];
    return rows.map((r) => {
      const a: AttemptRecord = {
        runId: String(r.run_id), step: String(r.step), attempt: Number(r.attempt), status: r.status as AttemptStatus,
        startedAt: Number(r.started_at), logFile: String(r.log_file),
      };
      const endedAt = num(r.ended_at); if (endedAt !== undefined) a.endedAt = endedAt;
      const exitCode = num(r.exit_code); if (exitCode !== undefined) a.exitCode = exitCode;
      if (typeof r.failure === 'string') a.failure = readStepFailure(r.failure);
      if (typeof r.container_id === 'string') a.containerId = r.container_id;
      return a;
    });
  }

  /** Marks what was in flight when the run's owner died as interrupted / stopped, in one transaction. */
  markInterrupted(runId: string, failure: StepFailure, now: number): void {
    const f = json(failure);
    this.transaction(() => {
      this.sql(`UPDATE attempts SET status = 'interrupted', ended_at = ?, failure = ? WHERE run_id = ? AND status = 'running'`)
        .run(now, f, runId);
      this.sql(`UPDATE steps SET status = 'stopped', ended_at = ?, failure = ? WHERE run_id = ? AND status = 'running'`)
        .run(now, f, runId);
      this.sql(`UPDATE runs SET status = 'stopped', ended_at = ? WHERE run_id = ? AND status = 'running'`).run(now, runId);
    });
  }

  // ---- metrics (cache/metric-store.ts)
  insertMetrics(points: readonly MetricPoint[]): void {
    this.write(() => insertMetrics(this.db, points));
  }

  /** The newest attempt of a step that recorded metric values. */
  latestMetricAttempt(runId: string, step: string): number | undefined {
    return latestMetricAttempt(this.db, runId, step);
  }

  readMetrics(runId: string, step: string, attempt: number): MetricSeries[] {
    return readMetrics(this.db, runId, step, attempt);
  }

  /** What a step attempt wrote, read and deleted through the run's S3 endpoint (cache/s3-endpoint/), in order. */
  sideEffects(runId: string, step: string, attempt: number): SideEffects {
    return readSideEffects(this.db, runId, step, attempt);
  }

  // ---- file hash cache (see cache/hasher.ts)
  getFileHash(path: string): HashCacheEntry | undefined {
    const r = this.sql(`SELECT size, mtime_ms, ctime_ms, ino, hash FROM file_hashes WHERE path = ?`).get(path) as Row | undefined;
    return r === undefined ? undefined : {
      size: Number(r.size), mtimeMs: Number(r.mtime_ms), ctimeMs: r.ctime_ms === null ? NaN : Number(r.ctime_ms),
      ino: Number(r.ino), hash: String(r.hash),
    };
  }

  /** A hint only (a miss costs a hash): on a full disk it is dropped, so read-only commands such as `plan` still work. */
  putFileHash(path: string, e: HashCacheEntry): void {
    try {
      this.sql(`INSERT OR REPLACE INTO file_hashes (path, size, mtime_ms, ctime_ms, ino, hash) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(path, e.size, e.mtimeMs, e.ctimeMs, e.ino, e.hash);
    } catch (err) {
      if (!isFull(err, this.file)) throw err;
    }
  }
}
