import { runCachedRerunBench } from './cached-rerun-bench.js';
import { runDiamondBench } from './diamond-bench.js';
import { runExampleEditBench } from './example-edit-bench.js';
import { formatFigure, type BenchFigure } from './bench-figure.js';
import { runHashBench } from './hash-bench.js';
import { runLocalModeBench } from './local-mode-bench.js';
import { runOverheadBench } from './overhead-bench.js';
import { runPhasesBench } from './phases-bench.js';
import { runPlanScaleBench } from './plan-scale-bench.js';
import { runReusedRunBench } from './reused-run-bench.js';
import { runStagingBench } from './staging-bench.js';
import { runStartupBench } from './startup-bench.js';
import { runUiBench } from './ui-bench.js';

/**
 * `npm run bench`: engine overhead, cost of a fully cached rerun, hashing throughput; each figure printed with its
 * target, then a summary table. Exits 0 even when a target is missed (benchmarks report; tests assert).
 * Env: CAIRN_BENCH_STEPS (DAG size, default 500), CAIRN_BENCH_ROUNDS (overhead rounds, default 3),
 * CAIRN_BENCH_HASH_MIB (hashing data, default 1024), CAIRN_BENCH_ITERATIONS (the example's Iterations, default 200),
 * CAIRN_BENCH_MAX_ROUNDS (overhead rounds at most, default 12), CAIRN_BENCH_ONLY (comma list of overhead,cached,hash,
 * example,startup,reused-run,diamond,plan-scale,staging,phases,local-mode,ui), CAIRN_BENCH_PHASE_ROUNDS (default 3), CAIRN_BENCH_UI_RUNS (the UI bench's store, default 10000), CAIRN_BENCH_STARTUP_ROUNDS (default 15), CAIRN_BENCH_REUSED_ROUNDS and
 * CAIRN_BENCH_DIAMOND_ROUNDS (default 5), CAIRN_BENCH_PLAN_MAX (largest generated plan,
 * default 100000), CAIRN_BENCH_STAGE_MIB (staging: the large shape's MiB, default 256), CAIRN_BENCH_STAGE_SAMPLES (default 5), CAIRN_BENCH_LOCAL_MODE_ROUNDS (default 1). Parts can also be named as arguments, by letter or name: `npm run bench -- c` runs only the hashing
 * bench, `npm run bench -- e,h` start-up and plan scale.
 */
const env = (name: string, fallback: number): number => {
  const v = Number(process.env[name] ?? '');
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const LETTERS: Record<string, string> = { a: 'overhead', b: 'cached', c: 'hash', d: 'example', e: 'startup', f: 'reused-run', g: 'diamond', h: 'plan-scale', i: 'local-mode', k: 'staging', l: 'phases', m: 'ui' };
const picked = process.argv.slice(2).flatMap((a) => a.split(',')).map((a) => LETTERS[a.trim()] ?? a.trim()).filter((a) => a !== '');
const only = new Set(picked.length > 0 ? picked : (process.env.CAIRN_BENCH_ONLY ?? 'overhead,cached,hash,example,startup,reused-run,diamond,plan-scale,local-mode,staging,phases,ui').split(',').map((s) => s.trim()));
const log = (line: string): void => console.log(line);

const print = (f: BenchFigure): void => console.log(formatFigure(f));

const sections: [string, string, () => Promise<BenchFigure[]>][] = [
  ['overhead', '(a) engine overhead: 20-step no-op chain, cairn vs direct dockerode', () => runOverheadBench({ rounds: env('CAIRN_BENCH_ROUNDS', 3), maxRounds: env('CAIRN_BENCH_MAX_ROUNDS', 12), log })],
  ['cached', '(b) fully cached rerun of a generated DAG', () => runCachedRerunBench({ steps: env('CAIRN_BENCH_STEPS', 500), log })],
  ['hash', '(c) hashing', () => runHashBench({ totalBytes: env('CAIRN_BENCH_HASH_MIB', 1024) * 1024 * 1024 })],
  ['example', '(d) the retraining example, then a rerun after editing only the training script', () => runExampleEditBench({ iterations: env('CAIRN_BENCH_ITERATIONS', 200), log })],
  ['startup', '(e) start-up: cairn --help and cairn runs vs node -e 0 (whole process)', () => runStartupBench({ rounds: env('CAIRN_BENCH_STARTUP_ROUNDS', 15), log })],
  ['reused-run', '(f) fully reused run of the example vs plan of the same file (whole process)', () => runReusedRunBench({ iterations: env('CAIRN_BENCH_ITERATIONS', 200), rounds: env('CAIRN_BENCH_REUSED_ROUNDS', 5), log })],
  ['diamond', '(g) cold run of a 4-step diamond of no-op containers vs its raw critical path with dockerode', () => runDiamondBench({ rounds: env('CAIRN_BENCH_DIAMOND_ROUNDS', 5), log })],
  ['plan-scale', '(h) plan of generated definitions: a deep chain and a wide fan-out (in-process)', () => runPlanScaleBench({ sizes: [1_000, 10_000, 100_000].filter((n) => n <= env('CAIRN_BENCH_PLAN_MAX', 100_000)), log })],
  ['local-mode', '(i) the same 4-step pipeline: SageMaker local mode (the Python SDK v2) vs cairn run, whole process', () => runLocalModeBench({ rounds: env('CAIRN_BENCH_LOCAL_MODE_ROUNDS', 1), log })],
  ['staging', '(k) staging cost: private copies (verified) vs the old hard links (in-process)', () => runStagingBench({ shapes: [{ mib: env('CAIRN_BENCH_STAGE_MIB', 256), files: 64 }, { mib: 16, files: 1024 }], samples: env('CAIRN_BENCH_STAGE_SAMPLES', 5), log })],
  ['phases', '(l) the critical path phase by phase: a cold 4-step chain with data, each phase\'s share of the wall time', () => runPhasesBench({ rounds: env('CAIRN_BENCH_PHASE_ROUNDS', 3), log })],
  ['ui', '(m) cairn ui: the runs API over 10,000 runs, a 500-step DAG drawn in Chromium', () => runUiBench({ runs: env('CAIRN_BENCH_UI_RUNS', 10_000), dagSteps: 500, samples: 5, log })],
];

const all: BenchFigure[] = [];
for (const [key, title, go] of sections) {
  if (!only.has(key)) continue;
  console.log(`\n${title}`);
  try {
    const figures = await go();
    for (const f of figures) print(f);
    all.push(...figures);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    console.log(`✗ ${key} benchmark failed: ${message}`);
    all.push({ name: `${key} benchmark`, value: NaN, unit: '', target: 'completes', ok: false, scope: 'in-process', samples: 0 });
  }
}

const rows = all.map((f) => [f.name, `${f.value} ${f.unit}`.trim(), `${f.scope}, n=${f.samples}`, f.target, f.target === 'info' ? '-' : f.ok ? 'ok' : 'MISSED']);
const head = ['name', 'value', 'measured', 'target', 'ok'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
console.log(`\nsummary\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const r of rows) console.log(line(r));
const missed = all.filter((f) => !f.ok).length;
console.log(missed === 0 ? '\nall targets met' : `\n${missed} target(s) missed`);
