import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { Store } from '../../cache/store.js';
import { Registry } from '../../registry/registry.js';
import { raw } from '../ui/http-client.js';
import { collect, waitFor, Workspace } from './harness.js';
import { openBrowser, screenshot } from './ui-browser.js';
import { uiDefinition } from './ui-pipeline.js';

let ws: Workspace;
let ui: ChildProcess;
let url: string;
let browser: Awaited<ReturnType<typeof openBrowser>>;
const runs: { ok?: string; failed?: string } = {};

async function startUi(): Promise<string> {
  ui = ws.spawn(['ui', '--json']);
  let out = '';
  return waitFor('cairn ui to listen', () => {
    const chunk = ui.stdout?.read() as Buffer | null;
    if (chunk !== null && chunk !== undefined) out += chunk.toString();
    const line = out.split('\n').find((l) => l.startsWith('{'));
    return line === undefined ? undefined : (JSON.parse(line) as { url: string }).url;
  }, 30_000);
}

beforeAll(async () => {
  ws = new Workspace();
  ws.write('p.json', uiDefinition());
  url = await startUi();
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  ui?.kill('SIGINT');
  if (ui !== undefined) await new Promise((r) => ui.once('close', r));
  ws?.dispose();
});

const runsNow = async (): Promise<{ runId: string; status: string }[]> => ((await raw(url, '/api/runs')).json() as { runs: { runId: string; status: string }[] }).runs;

describe('cairn ui in Chromium, over a real pipeline on the Docker engine', () => {
  it('shows a step of a running pipeline go from running to succeeded without a reload, its log streamed with colours rendered', async () => {
    const { page } = browser;
    const child = ws.spawn(['run', 'p.json']);
    const done = collect(child);
    const runId = await waitFor('the run to be recorded', async () => (await runsNow())[0]?.runId);
    runs.ok = runId;
    await page.goto(`${url}#/runs/${runId}/steps/Prep`);
    await page.evaluate(() => { (globalThis as unknown as { marker: number }).marker = 42; });
    await page.locator('g.node[data-step="Prep"][data-status="running"]').waitFor({ timeout: 60_000 });
    await page.locator('pre.log[data-log="Prep"] .ansi-fg-32', { hasText: 'preparing' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'run-page-running');
    await page.locator('g.node[data-step="Prep"][data-status="succeeded"]').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(42); // the same page: no reload
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    await page.locator('[data-run-status="succeeded"]').waitFor({ timeout: 30_000 });
    await page.locator('pre.log[data-log="Prep"][data-done="true"]').waitFor();
    const log = await page.locator('pre.log[data-log="Prep"]').innerText();
    // The recorded log keeps each progress state's lone \r (containers/line-splitter.ts, engine/run/step-attempt.ts), so
    // the page collapses them to the last state, as a terminal shows it.
    expect(log).toMatch(/^preparing rows\nprogress 100%\s*$/);
    expect(log).not.toContain('\x1b');
    await screenshot(page, 'run-page');
  });

  it('draws each metric of the Training step with exactly as many points as `cairn metrics --json`', async () => {
    const { page } = browser;
    const m = await ws.json<{ steps: { name: string; metrics: { name: string; values: unknown[] }[] }[] }>(['metrics', runs.ok!, '--json']);
    const expected = Object.fromEntries(m.json.steps.find((s) => s.name === 'Train')!.metrics.map((x) => [x.name, String(x.values.length)]));
    expect(expected).toEqual({ 'train:loss': '6', 'train:acc': '6' });
    await page.goto(`${url}#/runs/${runs.ok}/steps/Train`);
    await page.locator('.chart[data-metric="train:loss"] canvas').waitFor();
    const drawn = Object.fromEntries(await page.locator('.chart').evaluateAll((els) => els.map((e) => [e.getAttribute('data-metric'), e.getAttribute('data-points')])));
    expect(drawn).toEqual(expected);
    await screenshot(page, 'metric-chart');
  });

  it("shows a failed step's log and its failure reason", async () => {
    const { page } = browser;
    const r = await ws.run(['run', 'p.json', '--param', 'Mode=fail']);
    expect(r.code).toBe(1);
    runs.failed = (await runsNow())[0]!.runId;
    await page.goto(`${url}#/runs/${runs.failed}/steps/Check`);
    await page.locator('g.node[data-step="Check"][data-status="failed"]').waitFor();
    await expect.poll(() => page.locator('[data-failure]').innerText()).toMatch(/step "Check" failed: .*exit.*3[\s\S]*the check was told to fail/);
    await page.locator('pre.log[data-log="Check"]', { hasText: 'checking mode fail' }).waitFor();
    await screenshot(page, 'failed-step');
  });

  it('compares the two runs and marks the differing parameter', async () => {
    const { page } = browser;
    await page.goto(`${url}#/compare?runs=${runs.ok},${runs.failed}`);
    const row = page.locator('tr[data-row="Parameters.Mode"]');
    await row.waitFor();
    expect(await row.getAttribute('data-differs')).toBe('true');
    expect(await row.innerText()).toMatch(/ok[\s\S]*fail/);
    const same = await page.locator('tr[data-differs="false"]').count();
    expect(same).toBeGreaterThan(0);
    await page.locator('input[name="only-differences"]').check();
    expect(await page.locator('tr[data-differs="false"]').count()).toBe(0);
    await screenshot(page, 'compare');
  });

  it('approves a version from its page: the status changes there and in `cairn models list`; a cross-site POST is refused', async () => {
    const { page } = browser;
    const store = Store.open(join(ws.home, 'cairn.db'));
    const reg = new Registry(store.db);
    const made = await reg.createModelPackages([{ ModelPackageGroupName: 'churn', ModelPackageDescription: 'v1' }], { artifacts: new LocalArtifactStore(ws.home, new MemoryHashCache()), runId: runs.ok! });
    store.close();
    expect(made.ok).toBe(true);
    const listed = async (): Promise<string> => (await ws.json<{ versions: { status: string }[] }>(['models', 'list', 'churn', '--json'])).json.versions[0]!.status;

    // A page on another origin (localhost is not 127.0.0.1) posts a simple, no-preflight request: refused.
    const port = new URL(url).port;
    await page.goto(`http://localhost:${port}/#/models`);
    await page.evaluate(async (target) => { await fetch(target, { method: 'POST', mode: 'no-cors', body: '{}' }).catch(() => undefined); }, `${url}api/models/churn/1/approve`);
    expect(await listed()).toBe('PendingManualApproval');

    await page.goto(`${url}#/models/churn/1`);
    await page.locator('[data-approval="PendingManualApproval"]').waitFor();
    // The lineage is drawn as a graph by the DAG renderer: the version, its run and the run's steps.
    await page.locator('.lineage-graph svg.dag g[data-step="run"]').waitFor();
    expect(await page.locator('.lineage-graph svg.dag g[data-step="version"]').count()).toBe(1);
    expect(await page.locator('.lineage-graph svg.dag g[data-step^="step:"]').count()).toBeGreaterThan(0);
    await page.locator('input[name="note"]').fill('looks good');
    await page.locator('button[name="approve"]').click();
    await page.locator('[data-approval="Approved"]').waitFor();
    expect(await page.locator('table.history').innerText()).toMatch(/PendingManualApproval → Approved\s+looks good/);
    expect(await listed()).toBe('Approved');
    await screenshot(page, 'model-version');
  });

  it('answers traversal-style paths with 404, in the browser and on the wire', async () => {
    const { page } = browser;
    const res = await page.goto(`${url}artifacts/../../etc/passwd`);
    expect(res?.status()).toBe(404);
    for (const path of ['/artifacts/../../etc/passwd', '/api/artifacts/../../../etc/passwd', `/api/artifacts/${runs.ok}/Prep/data?path=..%2F..%2F..%2Fetc%2Fpasswd`, '/%2e%2e/%2e%2e/etc/passwd']) {
      const r = await raw(url, path);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('root:');
    }
    await page.goto(`${url}#/runs`);
    await page.locator(`tr[data-run="${runs.ok}"]`).waitFor();
    await screenshot(page, 'runs-page');
  });
});
