import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { Store } from '../cache/store.js';
import type { RunRecord } from '../contracts/records.js';
import { resolveHome } from '../contracts/home.js';
import { decisionWords } from '../cli/decision-words.js';
import { renderFailure } from '../cli/render-failure.js';
import { startUiServer } from '../ui/server.js';
import type { BenchFigure } from './bench-figure.js';
import { median, round } from './bench-services.js';
import { scaleDefinition } from './plan-scale-bench.js';

/**
 * (l) `cairn ui`: the runs page's API answer (`GET /api/runs`, its first page of 50, and one filtered by a parameter)
 * over a store of `runs` runs of 3 steps each, timed over HTTP on loopback (target ≤ 200 ms); and a run of a 500-step
 * DAG (a generated fan-out) opened in headless Chromium, timed from navigation until every node is drawn (dagre
 * layout and SVG; target ≤ 1 s).
 */
export async function runUiBench(opts: { runs: number; dagSteps: number; samples: number; log: (l: string) => void }): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-ui-'));
  const home = resolveHome({ CAIRN_HOME: dir });
  const store = Store.open(home.db);
  const figures: BenchFigure[] = [];
  try {
    const steps = [{ name: 'Prep', type: 'Processing' }, { name: 'Train', type: 'Training' }, { name: 'Eval', type: 'Processing' }];
    const definition = JSON.stringify({ Version: '2020-12-01', Steps: [] });
    store.transaction(() => {
      for (let i = 0; i < opts.runs; i++) {
        const run: RunRecord = {
          runId: `r${String(i).padStart(6, '0')}`, pipeline: `p${i % 7}`, definitionFile: 'p.json', definition,
          parameters: { Lr: i % 10 / 10, Team: 'ml' }, execution: {}, options: { noCache: false, rerun: [] },
          status: i % 13 === 0 ? 'failed' : 'succeeded', startedAt: 1_700_000_000_000 + i * 1000, endedAt: 1_700_000_000_000 + i * 1000 + 500,
        };
        store.createRun(run, steps);
      }
    });
    const dagText = scaleDefinition('fan-out', opts.dagSteps);
    const dagRun: RunRecord = {
      runId: 'dag500', pipeline: 'dag', definitionFile: 'dag.json', definition: dagText, parameters: {}, execution: {},
      options: { noCache: false, rerun: [] }, status: 'succeeded', startedAt: 1_800_000_000_000, endedAt: 1_800_000_001_000,
    };
    store.createRun(dagRun, Array.from({ length: opts.dagSteps }, (_, i) => ({ name: `S${i}`, type: 'Processing' })));
    opts.log(`  store: ${opts.runs} runs of 3 steps, and one run of ${opts.dagSteps} steps`);

    const ui = await startUiServer({ home, words: { failure: renderFailure, decision: decisionWords } });
    try {
      for (const [name, path] of [['runs API, first page of 50', 'api/runs?limit=50'], ['runs API, filtered by a parameter', 'api/runs?limit=50&param=Lr%3D0.3']] as const) {
        const times: number[] = [];
        let total = 0;
        for (let i = 0; i < opts.samples + 1; i++) {
          const t0 = performance.now();
          const res = await fetch(`${ui.url}${path}`);
          total = ((await res.json()) as { total: number }).total;
          if (i > 0) times.push(performance.now() - t0); // the first request warms the statement cache
        }
        const ms = round(median(times), 1);
        opts.log(`  ${name}: ${total} matching runs`);
        figures.push({ name: `${name} (${opts.runs} runs)`, value: ms, unit: 'ms', target: '≤ 200 ms', ok: ms <= 200, scope: 'in-process', samples: times.length });
      }
      const profile = mkdtempSync(join(tmpdir(), 'cairn-bench-chromium-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1400, height: 900 },
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      try {
        const page = context.pages()[0] ?? await context.newPage();
        await page.goto(`${ui.url}#/runs`);
        const times: number[] = [];
        for (let i = 0; i < opts.samples; i++) {
          await page.goto(`${ui.url}#/runs`);
          await page.locator('table.runs').waitFor();
          const t0 = performance.now();
          await page.evaluate(() => { (globalThis as unknown as { location: { hash: string } }).location.hash = '#/runs/dag500'; });
          await page.locator('svg.dag g.node').nth(opts.dagSteps - 1).waitFor({ state: 'attached' });
          times.push(performance.now() - t0);
        }
        const ms = round(median(times), 1);
        figures.push({ name: `${opts.dagSteps}-step DAG laid out and drawn in Chromium`, value: ms, unit: 'ms', target: '≤ 1000 ms', ok: ms <= 1000, scope: 'in-process', samples: times.length });
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
    } finally {
      await ui.close();
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
