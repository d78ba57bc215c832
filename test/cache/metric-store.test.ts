import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { latestMetricAttempt, readMetrics } from '../../cache/metric-store.js';
import { SCHEMA_V1, SCHEMA_VERSION } from '../../cache/schema.js';
import { Store } from '../../cache/store.js';
import { MetricRecorder } from '../../engine/run/metric-recorder.js';
import { makeTemp } from './temp-home.js';

const tmp = makeTemp('cairn-metrics-');
afterAll(() => tmp.cleanup());
const stores: Store[] = [];
afterEach(() => { for (const s of stores.splice(0)) s.close(); });

function open(name: string): Store {
  const s = Store.open(join(tmp.dir, name));
  stores.push(s);
  return s;
}

describe('metric store', () => {
  it('records batched values per attempt and reads them back as series in order of appearance', () => {
    const s = open('a.db');
    const r1 = new MetricRecorder(s, { runId: 'r', step: 'Train', attempt: 1 });
    r1.record('loss', 9, 1);
    r1.close();
    const r2 = new MetricRecorder(s, { runId: 'r', step: 'Train', attempt: 2 });
    for (let i = 0; i < 1200; i++) {
      r2.record('loss', 1 / (i + 1), 100 + i);
      r2.record('acc', i / 1200, 100 + i);
    }
    // Batches of 500 were written without waiting for the timer; the rest is written by close.
    expect(readMetrics(s.db, 'r', 'Train', 2).flatMap((m) => m.values).length).toBe(2000);
    r2.close();
    expect(latestMetricAttempt(s.db, 'r', 'Train')).toBe(2);
    expect(latestMetricAttempt(s.db, 'r', 'Other')).toBeUndefined();
    const series = readMetrics(s.db, 'r', 'Train', 2);
    expect(series.map((m) => [m.name, m.values.length])).toEqual([['loss', 1200], ['acc', 1200]]);
    expect(series[0]!.values.slice(0, 2)).toEqual([{ value: 1, at: 100, seq: 0 }, { value: 0.5, at: 101, seq: 1 }]);
    expect(readMetrics(s.db, 'r', 'Train', 1)).toEqual([{ name: 'loss', values: [{ value: 9, at: 1, seq: 0 }] }]);
  });

  it('upgrades a version 1 store in place and refuses a newer one', () => {
    const path = join(tmp.dir, 'v1.db');
    const db = new Database(path);
    db.exec(SCHEMA_V1);
    db.prepare(`INSERT INTO meta (key, value) VALUES ('schema', '1')`).run();
    db.close();
    const s = open('v1.db');
    expect(s.db.prepare(`SELECT value FROM meta WHERE key = 'schema'`).get()).toEqual({ value: String(SCHEMA_VERSION) });
    expect(readMetrics(s.db, 'r', 'x', 1)).toEqual([]);
    s.db.prepare(`UPDATE meta SET value = ? WHERE key = 'schema'`).run(String(SCHEMA_VERSION + 1));
    expect(() => Store.open(path)).toThrow(/newer cairn/);
  });
});
