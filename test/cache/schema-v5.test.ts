import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_VERSION } from '../../cache/schema.js';
import { Store } from '../../cache/store.js';
import { makeTemp } from './temp-home.js';

let tmp: ReturnType<typeof makeTemp>;
beforeEach(() => { tmp = makeTemp('cairn-schema-'); });
afterEach(() => tmp.cleanup());

const schemaOf = (path: string): string => {
  const db = new Database(path, { readonly: true });
  try { return String((db.prepare(`SELECT value FROM meta WHERE key = 'schema'`).get() as { value: string }).value); } finally { db.close(); }
};

describe('schema 5: steps.decision', () => {
  it('adds the column to a store written by schema 4, keeps its rows, and is safe to apply again', () => {
    const path = join(tmp.dir, 'v4.db');
    const old = new Database(path);
    for (const s of [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4]) old.exec(s);
    old.prepare(`INSERT INTO meta (key, value) VALUES ('schema', '4')`).run();
    old.prepare(`INSERT INTO runs (run_id, pipeline, definition_file, definition, parameters, execution, options, status, started_at)
      VALUES ('r1', 'p', 'p.json', '{}', '{}', '{}', '{"noCache":false,"rerun":[]}', 'succeeded', 1)`).run();
    old.prepare(`INSERT INTO steps (run_id, name, type, status) VALUES ('r1', 'A', 'Processing', 'succeeded')`).run();
    old.close();

    const store = Store.open(path);
    expect(store.getStep('r1', 'A')).toMatchObject({ name: 'A', status: 'succeeded' });
    expect(store.getStep('r1', 'A')?.decision).toBeUndefined();
    store.setStepDecision('r1', 'A', { action: 'run', reason: { kind: 'no-earlier-execution' } });
    store.close();
    expect(schemaOf(path)).toBe(String(SCHEMA_VERSION));

    const again = Store.open(path);
    expect(again.getStep('r1', 'A')?.decision).toEqual({ action: 'run', reason: { kind: 'no-earlier-execution' } });
    again.close();
  });

  it('a fresh store has the column from the start', () => {
    const store = Store.open(join(tmp.dir, 'fresh.db'));
    store.createRun({
      runId: 'r', pipeline: 'p', definitionFile: 'p.json', definition: '{}', parameters: {}, execution: {},
      options: { noCache: false, rerun: [] }, status: 'running', startedAt: 1,
    }, [{ name: 'A', type: 'Processing' }]);
    store.setStepDecision('r', 'A', { action: 'reuse', reason: { kind: 'same-fingerprint', sourceRun: 'q', createdAt: 5 } });
    expect(store.getStep('r', 'A')?.decision?.reason).toEqual({ kind: 'same-fingerprint', sourceRun: 'q', createdAt: 5 });
    store.close();
    expect(SCHEMA_VERSION).toBe(8);
  });
});
