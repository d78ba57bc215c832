import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryTables } from '../../registry/store.js';
import { openRegistryHome, type RegistryHome } from '../support/registry-home.js';

// Which registrations count as "the same one again" (issue 16: mutants Stryker left alive in registry/registry.ts):
// a step's registrations are keyed by run and step, a handler's pending ones by run, step, attempt and a counter, and
// a registration outside a run (or without a step) is never merged with another.

let h: RegistryHome;
beforeEach(() => { h = openRegistryHome(); });
afterEach(() => h.close());

const keys = (): (string | null)[] =>
  (h.store.db.prepare('SELECT reg_key FROM model_packages ORDER BY version').all() as { reg_key: string | null }[]).map((r) => r.reg_key);

describe('registration keys', () => {
  it('a registration with a run but no step, or a step but no run, is never merged with another', async () => {
    expect(await h.versions(['a'], { runId: 'r1' })).toEqual([1]);
    expect(await h.versions(['b'], { runId: 'r1' })).toEqual([2]);
    expect(await h.versions(['c'], { step: 'S' })).toEqual([3]);
    expect(await h.versions(['d'], { step: 'S' })).toEqual([4]);
    expect(keys()).toEqual([null, null, null, null]);
  });

  it('a step\'s registrations are keyed run/step/index, whatever its attempt', async () => {
    expect(await h.versions(['a', 'b'], { runId: 'r1', step: 'S', attempt: 1 })).toEqual([1, 2]);
    expect(await h.versions(['a', 'b'], { runId: 'r1', step: 'S', attempt: 2 })).toEqual([1, 2]);
    expect(keys()).toEqual(['r1/S/0', 'r1/S/1']);
  });

  it('a handler\'s pending registrations are keyed by attempt (1 when not given) and counted on across calls', async () => {
    expect(await h.versions(['a'], { runId: 'r1', step: 'L', pending: true })).toEqual([1]);
    expect(await h.versions(['b', 'c'], { runId: 'r1', step: 'L', pending: true })).toEqual([2, 3]);
    expect(await h.versions(['d'], { runId: 'r1', step: 'L', attempt: 2, pending: true })).toEqual([4]);
    expect(keys()).toEqual(['r1/L/1/0', 'r1/L/1/1', 'r1/L/1/2', 'r1/L/2/0']);
    expect(new RegistryTables(h.store.db).commitPending('r1', 'L', 2)).toBe(1);
    expect(h.reg.list('g')).toMatchObject({ ok: true, value: [{ version: 4, description: 'd', runId: 'r1', step: 'L' }] });
  });

  it('records the run, step and attempt of a registration, and none outside a run', async () => {
    await h.versions(['a'], { runId: 'r1', step: 'S', attempt: 3 });
    await h.versions(['b'], {});
    const rows = h.store.db.prepare('SELECT run_id, step, attempt FROM model_packages ORDER BY version').all();
    expect(rows).toEqual([{ run_id: 'r1', step: 'S', attempt: 3 }, { run_id: null, step: null, attempt: null }]);
  });
});
