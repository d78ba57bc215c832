import type Database from 'better-sqlite3';

/** One metric value found in a step attempt's log. `seq` orders the values of one metric within the attempt (0-based). */
export interface MetricPoint {
  runId: string;
  step: string;
  attempt: number;
  name: string;
  seq: number;
  value: number;
  at: number;
}

export interface MetricSeries {
  name: string;
  values: { value: number; at: number; seq: number }[];
}

/** Writes a batch of metric values in one transaction (callers batch: a chatty log must not cost a commit per line). */
export function insertMetrics(db: Database.Database, points: readonly MetricPoint[]): void {
  if (points.length === 0) return;
  const ins = db.prepare(
    `INSERT OR REPLACE INTO metrics (run_id, step, attempt, name, seq, value, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const p of points) ins.run(p.runId, p.step, p.attempt, p.name, p.seq, p.value, p.at);
  }).immediate();
}

/** The newest attempt of a step that recorded metrics, or undefined. */
export function latestMetricAttempt(db: Database.Database, runId: string, step: string): number | undefined {
  const r = db.prepare(`SELECT MAX(attempt) AS a FROM metrics WHERE run_id = ? AND step = ?`).get(runId, step) as { a: number | null };
  return r.a ?? undefined;
}

/** Every metric of one step attempt, in order of first appearance in the log, values in `seq` order. */
export function readMetrics(db: Database.Database, runId: string, step: string, attempt: number): MetricSeries[] {
  const rows = db
    .prepare(`SELECT name, seq, value, at FROM metrics WHERE run_id = ? AND step = ? AND attempt = ? ORDER BY rowid`)
    .all(runId, step, attempt) as { name: string; seq: number; value: number; at: number }[];
  const byName = new Map<string, MetricSeries>();
  for (const r of rows) {
    let s = byName.get(r.name);
    if (s === undefined) byName.set(r.name, (s = { name: r.name, values: [] }));
    s.values.push({ value: r.value, at: r.at, seq: r.seq });
  }
  for (const s of byName.values()) s.values.sort((a, b) => a.seq - b.seq);
  return [...byName.values()];
}
