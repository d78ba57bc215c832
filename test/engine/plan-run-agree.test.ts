import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reasonWords } from '../../cli/decision-words.js';
import { explanationLines } from '../../cli/explain-text.js';
import { plannedWhy } from '../../cli/plan-words.js';
import { failureSentence } from '../../cli/render-failure.js';
import { runRefusalText } from '../../cli/render-refusal.js';
import type { CacheDecision } from '../../contracts/cache-decision.js';
import type { RunOptions } from '../../contracts/records.js';
import { explainStep } from '../../engine/reports/explain.js';
import { planRun } from '../../engine/run/plan.js';
import type { Services } from '../../engine/run/run-context.js';
import { startRun } from '../../engine/run/run-pipeline.js';
import { CHAIN_IMAGE, chain, definition, outOf, proc, type Loaded } from './processing-chain.js';
import { FakeRuntime, type FakeJobIo } from '../support/fake-runtime.js';
import { fakeServices } from '../support/fake-services.js';

const IMAGE = CHAIN_IMAGE;
let env: ReturnType<typeof fakeServices>;
let services: Services;
/** Executions per step: each job writes its input and its execution number, as a real job's outputs differ per run. */
let executions: Map<string, number>;

function job(io: FakeJobIo): number {
  const step = io.spec.labels['org.cairn.step'] ?? '?';
  const n = (executions.get(step) ?? 0) + 1;
  executions.set(step, n);
  const inDir = io.hostPath('/opt/ml/processing/input/data');
  const input = readdirSync(inDir).map((f) => readFileSync(join(inDir, f), 'utf8')).join('');
  const out = io.hostPath('/opt/ml/processing/output/out');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'result.txt'), `${step} #${n} of: ${input}`);
  io.log(`${step} wrote result.txt`);
  return 0;
}

beforeEach(() => {
  env = fakeServices(new FakeRuntime());
  env.runtime.addImage(IMAGE);
  env.runtime.onImage(IMAGE, job);
  services = env.services;
  executions = new Map();
  put('bucket/raw/data.csv', '1,2,3\n');
});
afterEach(() => { vi.useRealTimers(); env.close(); });

function put(key: string, body: string): void {
  const p = join(services.home.root, 's3', key);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, body);
}

/** The values of the definitions' parameters (the CLI fills in defaults before the engine sees them). */
const PARAMETERS = { Go: 'yes' };
type Decisions = Record<string, Pick<CacheDecision, 'action' | 'reason'> | string>;

/** Plans, then runs, the same definition with the same options; returns both sides' decisions by step. */
async function planThenRun(d: Loaded, options: RunOptions = { noCache: false, rerun: [] }) {
  const planned = await planRun(services, d.def, 'p', PARAMETERS, options);
  const plan: Decisions = Object.fromEntries(planned.map((p) =>
    [p.name, p.action === 'blocked' ? `blocked: ${plannedWhy(p)}` : { action: p.decision.action, reason: p.decision.reason }]));
  const r = await startRun(services, { definition: d.def, definitionText: d.text, pipeline: 'p', parameters: PARAMETERS, options },
    { signal: new AbortController().signal, emit: () => undefined, maxParallel: 1 });
  if (!r.ok) throw new Error(runRefusalText(r.error));
  const run: Decisions = Object.fromEntries(services.store.getSteps(r.value.runId).map((s) =>
    [s.name, s.decision === undefined ? `no decision (${s.status})` : { action: s.decision.action, reason: s.decision.reason }]));
  return { plan, run, runId: r.value.runId, status: r.value.status, words: words(run) };
}

function words(d: Decisions): Record<string, string> {
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, typeof v === 'string' ? v : `${v.action}: ${reasonWords(v.reason)}`]));
}

const RUN_ID = /[a-z0-9]{12}/g;
const masked = (w: Record<string, string>) => JSON.parse(JSON.stringify(w).replace(RUN_ID, '<run>').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')) as Record<string, string>;

describe('plan and run make the same cache decision, for the same reason', () => {
  it('fresh home, then a fully cached rerun', async () => {
    const fresh = await planThenRun(chain());
    expect(fresh.status).toBe('succeeded');
    expect(fresh.plan).toEqual(fresh.run);
    expect(fresh.words).toMatchInlineSnapshot(`
      {
        "A": "run: no earlier execution",
        "B": "run: upstream "A" will run",
        "C": "run: upstream "B" will run",
      }
    `);
    const cached = await planThenRun(chain());
    expect(cached.plan).toEqual(cached.run);
    expect(Object.values(cached.run).map((d) => typeof d !== 'string' && d.reason.kind === 'same-fingerprint' && d.reason.sourceRun)).toEqual([fresh.runId, fresh.runId, fresh.runId]);
    expect(masked(cached.words)).toMatchInlineSnapshot(`
      {
        "A": "reuse: same fingerprint as run <run> (<time>)",
        "B": "reuse: same fingerprint as run <run> (<time>)",
        "C": "reuse: same fingerprint as run <run> (<time>)",
      }
    `);
    expect(executions).toEqual(new Map([['A', 1], ['B', 1], ['C', 1]]));
  });

  it('--rerun B', async () => {
    await planThenRun(chain());
    const r = await planThenRun(chain(), { noCache: false, rerun: ['B'] });
    expect(r.plan).toEqual(r.run);
    expect(masked(r.words)).toMatchInlineSnapshot(`
      {
        "A": "reuse: same fingerprint as run <run> (<time>)",
        "B": "run: --rerun B",
        "C": "run: upstream "B" will run",
      }
    `);
  });

  it('--no-cache', async () => {
    await planThenRun(chain());
    const r = await planThenRun(chain(), { noCache: true, rerun: [] });
    expect(r.plan).toEqual(r.run);
    expect(masked(r.words)).toMatchInlineSnapshot(`
      {
        "A": "run: --no-cache",
        "B": "run: upstream "A" will run",
        "C": "run: upstream "B" will run",
      }
    `);
  });

  it('CacheConfig.Enabled=false', async () => {
    await planThenRun(chain());
    const r = await planThenRun(chain({ B: { CacheConfig: { Enabled: false } } }));
    expect(r.plan).toEqual(r.run);
    expect(masked(r.words)).toMatchInlineSnapshot(`
      {
        "A": "reuse: same fingerprint as run <run> (<time>)",
        "B": "run: caching disabled by CacheConfig.Enabled=false",
        "C": "run: upstream "B" will run",
      }
    `);
  });

  it('an entry older than ExpireAfter', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    vi.setSystemTime(t0);
    const d = chain({ A: { CacheConfig: { Enabled: true, ExpireAfter: 'PT1H' } } });
    const first = await planThenRun(d);
    vi.setSystemTime(t0 + 30 * 60_000);
    const soon = await planThenRun(d);
    expect(soon.plan).toEqual(soon.run);
    expect(Object.values(soon.run).every((x) => typeof x !== 'string' && x.action === 'reuse')).toBe(true);
    vi.setSystemTime(t0 + 2 * 3600_000);
    const later = await planThenRun(d);
    expect(later.plan).toEqual(later.run);
    expect(later.run.A).toEqual({ action: 'run', reason: { kind: 'expired', sourceRun: first.runId, createdAt: t0, expireAfterMs: 3600_000 } });
    expect(masked(later.words)).toMatchInlineSnapshot(`
      {
        "A": "run: earlier execution in run <run> expired (recorded <time>, ExpireAfter 3600s)",
        "B": "run: upstream "A" will run",
        "C": "run: upstream "B" will run",
      }
    `);
  });

  it('a changed input file; explain prints the stored reason', async () => {
    const first = await planThenRun(chain());
    put('bucket/raw/data.csv', '1,2,3,4\n');
    const r = await planThenRun(chain());
    expect(r.plan).toEqual(r.run);
    expect(r.run.A).toEqual({ action: 'run', reason: { kind: 'fingerprint-changed', sinceRun: first.runId, paths: ['inputs.data'] } });
    expect(masked(r.words)).toMatchInlineSnapshot(`
      {
        "A": "run: changed since run <run>: inputs.data",
        "B": "run: upstream "A" will run",
        "C": "run: upstream "B" will run",
      }
    `);
    const explainA = explanationLines(r.runId, explainStep(services.store, r.runId, 'A')).lines;
    expect(explainA.slice(1, 2)).toEqual([`  compared with run ${first.runId}, 1 change(s):`]);
    expect(explainA[2]).toMatch(/^ {4}inputs\.data: "sha256:[0-9a-f]{64}" → "sha256:[0-9a-f]{64}"$/);
    const explainB = explanationLines(r.runId, explainStep(services.store, r.runId, 'B')).lines;
    expect(explainB.slice(1)).toEqual(['  decision: run: upstream "A" will run']);
  });

  it('selective execution: --steps B --from-run <first run>', async () => {
    const first = await planThenRun(chain());
    const r = await planThenRun(chain(), { noCache: false, rerun: [], selective: { steps: ['B'], fromRun: first.runId } });
    expect(r.plan).toEqual(r.run);
    expect(masked(r.words)).toMatchInlineSnapshot(`
      {
        "A": "reuse: (from run <run>) upstream of the selected steps",
        "B": "reuse: same fingerprint as run <run> (<time>)",
        "C": "not-run: not selected by --steps and not upstream of a selected step",
      }
    `);
    expect(r.run.A).toEqual({ action: 'reuse', reason: { kind: 'reference-run', sourceRun: first.runId } });
    const explainC = explanationLines(r.runId, explainStep(services.store, r.runId, 'C')).lines;
    expect(explainC.slice(1)).toEqual(['  decision: not-run: not selected by --steps and not upstream of a selected step']);
  });
});

describe('control steps', () => {
  it('Condition and Fail: "control step, never cached"; the branch not taken is skipped (no decision), plan marks it', async () => {
    const gate = (): Loaded => definition([
      proc('A', 's3://bucket/raw'),
      {
        Name: 'Check', Type: 'Condition',
        Arguments: {
          Conditions: [{ Type: 'Equals', LeftValue: { Get: 'Parameters.Go' }, RightValue: 'yes' }],
          IfSteps: [proc('B', outOf('A'))],
          ElseSteps: [{ Name: 'Stop', Type: 'Fail', Arguments: { ErrorMessage: 'not today' } }],
        },
      },
    ]);
    for (const round of [1, 2]) {
      const r = await planThenRun(gate());
      expect(r.status, JSON.stringify(services.store.getSteps(r.runId).map((x) => [x.name, x.status, x.failure === undefined ? undefined : failureSentence({ name: x.name, type: x.type }, x.failure)]))).toBe('succeeded');
      expect(r.run.Stop).toBe('no decision (skipped)');
      const { Stop: planned, ...plan } = r.plan;
      const { Stop: _skipped, ...run } = r.run;
      expect(plan).toEqual(run);
      expect(planned).toEqual({ action: 'run', reason: { kind: 'control-step', control: { stepType: 'Fail', errorMessage: 'not today' } } });
      if (round === 1) expect(masked(r.words)).toMatchInlineSnapshot(`
        {
          "A": "run: no earlier execution",
          "B": "run: upstream "A" will run",
          "Check": "run: evaluated when the run reaches it (never cached): IfSteps 1 step(s), ElseSteps 1 step(s)",
          "Stop": "no decision (skipped)",
        }
      `);
      else expect(masked(r.words)).toMatchInlineSnapshot(`
        {
          "A": "reuse: same fingerprint as run <run> (<time>)",
          "B": "reuse: same fingerprint as run <run> (<time>)",
          "Check": "run: evaluated when the run reaches it (never cached): IfSteps 1 step(s), ElseSteps 1 step(s)",
          "Stop": "no decision (skipped)",
        }
      `);
    }
  });
});

describe('what a plan cannot know', () => {
  it('a deterministic upstream step that runs again: plan says "upstream will run", the run reuses the downstream step', async () => {
    env.runtime.onStep('A', (io) => {
      const out = io.hostPath('/opt/ml/processing/output/out');
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'result.txt'), 'always the same');
      return 0;
    });
    await planThenRun(chain({ A: { CacheConfig: { Enabled: false } } }));
    const r = await planThenRun(chain({ A: { CacheConfig: { Enabled: false } } }));
    expect(r.plan.A).toEqual(r.run.A);
    expect(r.plan.B).toEqual({ action: 'run', reason: { kind: 'upstream-will-run', steps: ['A'] } });
    expect(r.run.B).toMatchObject({ action: 'reuse', reason: { kind: 'same-fingerprint' } });
  });
});
