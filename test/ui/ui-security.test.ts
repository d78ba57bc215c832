import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openUiHome, type UiHome } from './ui-home.js';
import { raw } from './http-client.js';

let h: UiHome;
beforeEach(() => { h = openUiHome(); });
afterEach(async () => { await h.close(); });

const TRAVERSALS = [
  '/artifacts/../../etc/passwd',
  '/api/artifacts/../../../etc/passwd',
  '/api/artifacts/r1/Prep/train/../../../../etc/passwd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/assets/..%2f..%2f..%2fpackage.json',
  '/assets/%2e%2e%2f%2e%2e%2fcairn.db',
  '/..%252f..%252fetc%252fpasswd',
  '/api/artifacts/r1/Prep/train?path=../../../../etc/passwd',
  '/api/artifacts/r1/Prep/train?path=%2Fetc%2Fpasswd',
  '/api/artifacts/r1/Prep/..%2F..%2Fcairn.db',
  '/cairn.db',
  '/index.html/../../cairn.db',
];

describe('cairn ui: no request path reaches the filesystem', () => {
  it.each(TRAVERSALS)('%s is a 404 with a JSON message, never a file', async (path) => {
    h.seedRun('r1');
    const ui = await h.start();
    const r = await raw(ui.url, path);
    expect(r.status).toBe(404);
    expect(r.json().error).toEqual(expect.any(String));
    expect(r.body).not.toMatch(/root:|SQLite format|"name": "cairn"/);
  });

  it('serves a recorded file by its manifest entry, read from the content store by hash', async () => {
    h.seedRun('r1');
    const ui = await h.start();
    const r = await raw(ui.url, '/api/artifacts/r1/Prep/train?path=data%2Fa.csv');
    expect(r.status).toBe(200);
    expect(r.json().preview).toEqual({ kind: 'table', delimiter: ',', rows: [['a', 'b'], ['1', '2'], ['3', '4']], truncated: false });
  });
});

describe('cairn ui: state changes need the token or the same origin', () => {
  it('refuses an approval without the token or same-origin (403), and records none', async () => {
    const v = await h.registerModel('m1');
    const ui = await h.start();
    const path = `/api/models/g/${v}/approve`;
    const json = { 'content-type': 'application/json' };
    for (const headers of [json, { ...json, origin: 'http://evil.example' }, { ...json, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
      { ...json, 'x-cairn-token': 'wrong' }, { ...json, origin: ui.url.replace(/\/$/, ''), 'sec-fetch-site': 'cross-site' }]) {
      const r = await raw(ui.url, path, { method: 'POST', headers, body: '{}' });
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(r.json().error).toMatch(/token/);
    }
    const list = await raw(ui.url, '/api/models/g');
    expect((list.json().versions as { status: string }[])[0]!.status).toBe('PendingManualApproval');
  });

  it('takes the change with the token, or from the UI\'s own origin', async () => {
    const v1 = await h.registerModel('m1');
    const v2 = await h.registerModel('m2');
    const ui = await h.start();
    const json = { 'content-type': 'application/json' };
    const a = await raw(ui.url, `/api/models/g/${v1}/reject`, { method: 'POST', headers: { ...json, 'x-cairn-token': ui.token }, body: '{"note":"too slow"}' });
    expect([a.status, a.json().status]).toEqual([200, 'Rejected']);
    const origin = ui.url.replace(/\/$/, '');
    const b = await raw(ui.url, `/api/models/g/${v2}/reject`, { method: 'POST', headers: { ...json, origin, 'sec-fetch-site': 'same-origin' }, body: '{}' });
    expect([b.status, b.json().status]).toEqual([200, 'Rejected']);
  });

  it('beyond loopback every request needs the token; the printed URL sets it as a cookie', async () => {
    h.seedRun('r1');
    const ui = await h.start({ tokenForReads: true });
    expect((await raw(ui.url, '/api/runs')).status).toBe(401);
    expect((await raw(ui.url, '/api/runs?token=nope')).status).toBe(401);
    expect((await raw(ui.url, '/api/runs', { headers: { 'x-cairn-token': ui.token } })).status).toBe(200);
    const page = await raw(ui.url, `/?token=${ui.token}`);
    expect(page.status).toBe(200);
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    expect((await raw(ui.url, '/api/runs', { headers: { cookie } })).status).toBe(200);
  });

  it('a loopback UI answers only to its own host names (DNS rebinding)', async () => {
    const ui = await h.start();
    const r = await raw(ui.url, '/api/runs', { headers: { host: 'evil.example:80' } });
    expect(r.status).toBe(421);
    expect((await raw(ui.url, '/api/runs', { headers: { host: `localhost:${new URL(ui.url).port}` } })).status).toBe(200);
  });
});

describe('cairn ui: a malformed request is a 4xx with a message, never a crash', () => {
  it.each([
    ['GET', '/api/runs?limit=abc', 400, /limit/],
    ['GET', '/api/runs?limit=100000', 400, /limit/],
    ['GET', '/api/runs?status=bogus', 400, /status/],
    ['GET', '/api/runs?param=novalue', 400, /name=value/],
    ['GET', '/api/runs/%E0%A4%A', 400, /percent-encoding/],
    ['GET', '/api/runs/nope', 404, /no run "nope"/],
    ['GET', '/api/runs/r1/steps/Nope', 404, /no step "Nope"/],
    ['GET', '/api/runs/r1/steps/Prep/log?attempt=7', 404, /attempt 7/],
    ['GET', '/api/compare?runs=', 400, /runs/],
    ['GET', '/api/compare?runs=r1,ghost', 404, /ghost/],
    ['GET', '/api/models/g/zero', 400, /version number/],
    ['GET', '/api/models/nogroup', 404, /nogroup/],
    ['GET', '/api/nothing', 404, /no such API path/],
    ['POST', '/api/runs', 405, /GET/],
    ['POST', '/api/models/g/1/approve', 415, /application\/json/],
  ])('%s %s → %i', async (method, path, status, message) => {
    h.seedRun('r1');
    const ui = await h.start();
    const r = await raw(ui.url, path, { method, headers: { 'x-cairn-token': ui.token } });
    expect(r.status).toBe(status);
    expect(String(r.json().error)).toMatch(message);
    expect((await raw(ui.url, '/api/runs')).status).toBe(200);
  });

  it.each([['not json', 400, /not JSON/], ['[1]', 400, /JSON object/], ['{"note": 5}', 400, /note/], ['x'.repeat(70_000), 413, /64 KiB/]])(
    'an approval body %# → %i', async (body, status, message) => {
      const v = await h.registerModel('m1');
      const ui = await h.start();
      const r = await raw(ui.url, `/api/models/g/${v}/approve`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cairn-token': ui.token }, body });
      expect(r.status).toBe(status);
      expect(String(r.json().error)).toMatch(message);
    });
});
