import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callbacksOfRun, completeCallback, consumeCallback, getCallback, insertCallback, newCallbackToken, openCallback,
} from '../../cache/callback-store.js';
import { Store } from '../../cache/store.js';
import { makeTemp } from './temp-home.js';

let tmp: ReturnType<typeof makeTemp>;
let store: Store;
beforeEach(() => { tmp = makeTemp(); store = Store.open(join(tmp.dir, 'cairn.db')); });
afterEach(() => { store.close(); tmp.cleanup(); });

const mint = (step = 'Approve', createdAt?: number) => insertCallback(store.db, {
  token: newCallbackToken(), runId: 'r1', step, message: { arguments: {} }, declared: [{ name: 'ok', type: 'Boolean' }],
  ...(createdAt !== undefined ? { createdAt } : {}),
});

describe('callback store', () => {
  it('mints hex tokens, completes each once, and refuses unknown ones', () => {
    const rec = mint();
    expect(rec.token).toMatch(/^[0-9a-f]{32}$/);
    expect(openCallback(store.db, 'r1', 'Approve')?.token).toBe(rec.token);
    const done = completeCallback(store.db, rec.token, { status: 'succeeded', output: { ok: 'true' } });
    expect(done.ok && done.value).toMatchObject({ status: 'succeeded', output: { ok: 'true' }, declared: [{ name: 'ok', type: 'Boolean' }] });
    const twice = completeCallback(store.db, rec.token, { status: 'failed', reason: 'late' });
    expect(!twice.ok && twice.error.reason).toBe('finished');
    expect(completeCallback(store.db, 'nope', { status: 'failed', reason: 'x' })).toEqual({ ok: false, error: { reason: 'unknown' } });
    // A success not yet used by the step is still the step's token (a resume picks it up).
    expect(openCallback(store.db, 'r1', 'Approve')?.status).toBe('succeeded');
  });

  it('a failed or consumed completion makes the step mint a new token', () => {
    const a = mint('Approve', 1);
    completeCallback(store.db, a.token, { status: 'failed', reason: 'no' });
    expect(getCallback(store.db, a.token)?.failureReason).toBe('no');
    expect(openCallback(store.db, 'r1', 'Approve')).toBeUndefined();
    const b = mint('Approve', 2);
    completeCallback(store.db, b.token, { status: 'succeeded', output: { ok: 3 } });
    consumeCallback(store.db, b.token);
    expect(openCallback(store.db, 'r1', 'Approve')).toBeUndefined();
    const c = mint('Approve', 3);
    expect(openCallback(store.db, 'r1', 'Approve')?.token).toBe(c.token);
    expect(callbacksOfRun(store.db, 'r1').map((r) => r.token)).toEqual([a.token, b.token, c.token]);
  });
});
