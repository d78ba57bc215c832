import type Database from 'better-sqlite3';
import type { RunRecord } from '../contracts/records.js';
import { toRun, type Row } from './store-rows.js';

/** A filter over the runs table: every field optional; `parameter` is `name=value` (a pipeline parameter's value). */
export interface RunFilter {
  pipeline?: string;
  status?: string;
  /** A run id, or the start of one. */
  search?: string;
  parameter?: { name: string; value: string };
}

export interface StepCounts {
  total: number;
  reused: number;
  ran: number;
  failed: number;
  running: number;
}

export interface RunPage {
  runs: (Omit<RunRecord, 'definition'> & { steps: StepCounts })[];
  /** How many runs match the filter (all pages). */
  total: number;
  pipelines: string[];
}

/**
 * One page of runs, newest first, with their step counts: the runs page of `cairn ui`. The order and the page come
 * from the `runs_started` index; step counts are read for the page's runs only, so the cost does not grow with the
 * number of runs in the store beyond the filter's scan.
 */
export function runPage(db: Database.Database, filter: RunFilter, offset: number, limit: number): RunPage {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.pipeline !== undefined) { where.push('pipeline = ?'); args.push(filter.pipeline); }
  if (filter.status !== undefined) { where.push('status = ?'); args.push(filter.status); }
  if (filter.search !== undefined) { where.push(`run_id LIKE ? ESCAPE '\\'`); args.push(`${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`); }
  if (filter.parameter !== undefined) {
    where.push(`CAST(json_extract(parameters, ?) AS TEXT) = ?`);
    args.push(`$."${filter.parameter.name.replace(/"/g, '')}"`, filter.parameter.value);
  }
  const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM runs ${clause}`).get(...args) as { n: number }).n;
  const rows = db.prepare(
    `SELECT run_id, pipeline, definition_file, '' AS definition, parameters, execution, options, status, started_at, ended_at
     FROM runs ${clause} ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?`,
  ).all(...args, limit, offset) as Row[];
  const counts = db.prepare(
    `SELECT COUNT(*) AS total, SUM(status = 'succeeded' AND reused = 1) AS reused,
       SUM(status = 'succeeded' AND reused = 0) AS ran, SUM(status = 'failed') AS failed, SUM(status = 'running') AS running
     FROM steps WHERE run_id = ?`,
  );
  const runs = rows.map((r) => {
    const { definition: _definition, ...run } = toRun(r);
    const c = counts.get(run.runId) as Record<keyof StepCounts, number | null>;
    const steps: StepCounts = { total: c.total ?? 0, reused: c.reused ?? 0, ran: c.ran ?? 0, failed: c.failed ?? 0, running: c.running ?? 0 };
    return { ...run, steps };
  });
  const pipelines = (db.prepare(`SELECT DISTINCT pipeline FROM runs ORDER BY pipeline`).all() as { pipeline: string }[]).map((p) => p.pipeline);
  return { runs, total, pipelines };
}

/** A cheap mark that changes whenever any connection commits to the database (the UI's change poll). */
export function changeMark(db: Database.Database): number {
  return Number(db.pragma('data_version', { simple: true }));
}
