import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCallback, insertCallback } from '../../cache/callback-store.js';
import { acquireRunLock } from '../../cache/run-lock.js';
import { answerCallback } from '../../cli/callback-answer.js';
import { raw } from './http-client.js';
import { openUiHome, type UiHome } from './ui-home.js';

let h: UiHome;
beforeEach(() => { h = openUiHome(); });
afterEach(async () => { await h.close(); });

describe('cairn ui: a waiting Callback step answered from the page', () => {
  it('shows the waiting token on the step, checks the values as `cairn callback` does, and takes an answer once', async () => {
    h.seedRun('r1', { status: 'running' });
    h.store.setStepStatus('r1', 'Train', 'running');
    expect(acquireRunLock(h.store, 'r1').ok).toBe(true); // this process plays the waiting `cairn run`
    insertCallback(h.store.db, { token: 'tok1', runId: 'r1', step: 'Train', message: {}, declared: [{ name: 'n', type: 'Integer' }] });
    const ui = await h.start({ answerCallback: (token, answer) => {
      const r = answerCallback(ui.store.db, token, answer, h.root);
      return r.ok ? { ok: true, value: { runId: r.value.runId, step: r.value.step, status: r.value.status } } : r;
    } });
    const view = (await raw(ui.url, '/api/runs/r1')).json() as { steps: { name: string; waitingToken?: string }[] };
    expect(view.steps.find((s) => s.name === 'Train')?.waitingToken).toBe('tok1');
    const post = (body: string) => raw(ui.url, '/api/callbacks/tok1', { method: 'POST', headers: { 'content-type': 'application/json', 'x-cairn-token': ui.token }, body });
    const wrong = await post('{"success": {"n": "three"}}');
    expect([wrong.status, String(wrong.json().error)]).toEqual([409, expect.stringMatching(/still waiting/)]);
    expect((await post('{"success": {}, "failure": "x"}')).status).toBe(400);
    const done = await post('{"success": {"n": 3}}');
    expect([done.status, done.json()]).toEqual([200, { runId: 'r1', step: 'Train', status: 'succeeded' }]);
    expect(getCallback(h.store.db, 'tok1')).toMatchObject({ status: 'succeeded', output: { n: 3 } });
    const again = await post('{"failure": "late"}');
    expect([again.status, String(again.json().error)]).toEqual([409, expect.stringMatching(/already completed/)]);
    const none = await raw(ui.url, '/api/callbacks/tok1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"failure": "x"}' });
    expect(none.status).toBe(403);
  });
});
