import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../cache/run-lock.js';
import { raw } from './http-client.js';
import { openUiHome, type UiHome } from './ui-home.js';

const ROOT = join(import.meta.dirname, '..', '..');
let h: UiHome;
beforeEach(() => { h = openUiHome(); });
afterEach(async () => { await h.close(); });

/** The first `event: <name>` payload on a server-sent-events stream that satisfies `want`. */
function nextEvent(url: string, path: string, want: (v: Record<string, unknown>) => boolean): { done: Promise<Record<string, unknown>>; abort: () => void } {
  const ctl = new AbortController();
  const done = (async () => {
    const res = await fetch(new URL(path, url), { signal: ctl.signal });
    const reader = res.body!.getReader();
    let buf = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) throw new Error('stream ended');
      buf += new TextDecoder().decode(value);
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (data === undefined) continue;
        const v = JSON.parse(data.slice(6)) as Record<string, unknown>;
        if (want(v)) { ctl.abort(); return v; }
      }
    }
  })();
  return { done, abort: () => ctl.abort() };
}

describe('cairn ui API', () => {
  it('pages runs newest first with their step counts, and filters by pipeline, status, parameter and run id', async () => {
    for (let i = 0; i < 120; i++) h.seedRun(`run-${String(i).padStart(3, '0')}`, { lr: i % 2 === 0 ? 0.1 : 0.2, startedAt: 1_700_000_000_000 + i * 1000 });
    h.store.setRunStatus('run-007', 'failed', 1);
    const ui = await h.start();
    const page = (await raw(ui.url, '/api/runs?limit=50&offset=50')).json() as { runs: { runId: string; steps: unknown }[]; total: number; pipelines: string[] };
    expect(page.total).toBe(120);
    expect(page.runs.map((r) => r.runId).slice(0, 2)).toEqual(['run-069', 'run-068']);
    expect(page.runs[0]!.steps).toEqual({ total: 2, reused: 0, ran: 2, failed: 0, running: 0 });
    expect(page.pipelines).toEqual(['churn']);
    const count = async (q: string): Promise<number> => ((await raw(ui.url, `/api/runs?${q}`)).json() as { total: number }).total;
    expect(await count('status=failed')).toBe(1);
    expect(await count('param=Lr%3D0.2')).toBe(60);
    expect(await count('q=run-11')).toBe(10);
    expect(await count('q=%25')).toBe(0);
    expect(await count('pipeline=other')).toBe(0);
  });

  it('shows a run\'s DAG, a step\'s detail (decision, attempts, outputs, metrics) and its log by offset', async () => {
    h.seedRun('r1');
    const ui = await h.start();
    const run = (await raw(ui.url, '/api/runs/r1')).json() as { edges: unknown; steps: { name: string; status: string }[] };
    expect(run.edges).toEqual([{ from: 'Prep', to: 'Train', kind: 'depends' }]);
    expect(run.steps.map((s) => [s.name, s.status])).toEqual([['Prep', 'succeeded'], ['Train', 'succeeded']]);
    const step = (await raw(ui.url, '/api/runs/r1/steps/Train')).json() as Record<string, unknown>;
    expect(step.arguments).toEqual({ HyperParameters: { lr: '0.1' } });
    expect(step.metrics).toEqual({ attempt: 1, series: [{ name: 'acc', values: [0.5, 0.6, 0.7].map((value, seq) => ({ value, seq, at: 1_700_000_000_000 + seq })) }] });
    const log = (await raw(ui.url, '/api/runs/r1/steps/Prep/log?offset=6')).json();
    expect(log).toEqual({ attempt: 1, text: '\x1b[32mgreen\x1b[0m\n10%\r50%\r100%\ndone\n', offset: 39, done: true });
  });

  it('pushes a step going from running to succeeded over server-sent events, without being asked again', async () => {
    h.seedRun('r1');
    h.store.setStepStatus('r1', 'Train', 'running');
    const ui = await h.start();
    const stepStatus = (v: Record<string, unknown>): string | undefined => (v.steps as { name: string; status: string }[] | undefined)?.find((s) => s.name === 'Train')?.status;
    const running = nextEvent(ui.url, '/api/events?run=r1', (v) => stepStatus(v) === 'running');
    expect(stepStatus(await running.done)).toBe('running');
    const succeeded = nextEvent(ui.url, '/api/events?run=r1', (v) => stepStatus(v) === 'succeeded');
    await new Promise((r) => setTimeout(r, 200));
    // Another connection (as a running `cairn run` is) commits the change.
    h.store.setStepStatus('r1', 'Train', 'succeeded');
    expect(stepStatus(await succeeded.done)).toBe('succeeded');
  });

  it('marks a run whose owner died as stopped, and keeps serving', async () => {
    h.seedRun('r1', { status: 'running' });
    h.store.setStepStatus('r1', 'Train', 'running');
    expect(acquireRunLock(h.store, 'r1', { pid: 2 ** 22 + 12345, host: hostname(), procStart: '1' }).ok).toBe(true);
    const ui = await h.start();
    const run = (await raw(ui.url, '/api/runs/r1')).json() as { run: { status: string }; live: boolean; steps: { name: string; status: string }[] };
    expect([run.run.status, run.live, run.steps.find((s) => s.name === 'Train')?.status]).toEqual(['stopped', false, 'stopped']);
  });

  it('an approval through the API shows in the registry exactly as `cairn models list` reads it, with who, when and the note', async () => {
    const v = await h.registerModel('m1');
    await h.registerModel('m2');
    const ui = await h.start();
    const r = await raw(ui.url, `/api/models/g/${v}/approve`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cairn-token': ui.token }, body: '{"note":"reviewed by ops"}' });
    expect(r.status).toBe(200);
    const cli = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'models', 'list', 'g', '--json'], { env: { ...process.env, CAIRN_HOME: h.root }, encoding: 'utf8' })) as { versions: unknown[] };
    const api = (await raw(ui.url, '/api/models/g')).json() as { versions: { status: string; approvals: { to: string; who: string; note?: string; at: number }[] }[] };
    expect(api.versions).toEqual(cli.versions);
    expect(api.versions.map((p) => p.status)).toEqual(['Approved', 'PendingManualApproval']);
    expect(api.versions[0]!.approvals.at(-1)).toMatchObject({ to: 'Approved', note: 'reviewed by ops', who: expect.any(String), at: expect.any(Number) });
  });

  it('answers a version with its lineage and the step edges of the run that made it (the lineage graph\'s input)', async () => {
    h.seedRun('r1');
    const v = await h.registerModel('m1', 'r1');
    const ui = await h.start();
    const r = (await raw(ui.url, `/api/models/g/${v}`)).json() as { lineage: { run?: { runId: string }; steps: { name: string }[] }; edges: unknown[] };
    expect(r.lineage.run?.runId).toBe('r1');
    expect(r.lineage.steps.map((s) => s.name).sort()).toEqual(['Prep', 'Train']);
    expect(r.edges).toEqual([{ from: 'Prep', to: 'Train', kind: 'depends' }]);
  });
});
