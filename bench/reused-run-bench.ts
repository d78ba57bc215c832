import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchFigure } from './bench-figure.js';
import { median, round } from './bench-services.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/cli/main.js');

/**
 * (f) A fully reused run of the retraining example, whole process (`cairn run pipeline.ts` after one full run in the
 * same home: every step reused but RegisterModels, a Lambda step, which is never cached), against `cairn plan pipeline.ts` of the same file, in paired rounds (alternating
 * order). Targets: the reused run's median ≤ 0.3 s, and ≤ 1.2× the plan's median.
 */
export async function runReusedRunBench(opts: { iterations: number; rounds: number; log: (l: string) => void }): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-reused-'));
  try {
    cpSync(join(ROOT, 'examples/retrain'), dir, { recursive: true, filter: (src) => !src.includes('.cairn') });
    const cli = (args: string[]): { ms: number; stdout: string } => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [CLI, ...args, '--param', `Iterations=${opts.iterations}`], {
        cwd: dir, env: { ...process.env, CAIRN_HOME: join(dir, '.cairn') }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
      });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`cairn ${args.join(' ')} failed (exit ${String(r.status)}): ${r.stderr.split('\n').slice(-5).join(' | ')}`);
      return { ms, stdout: r.stdout };
    };
    opts.log(`  one full run of the example (Iterations=${opts.iterations})…`);
    cli(['run', 'pipeline.ts', '--json']);
    const first = JSON.parse(cli(['run', 'pipeline.ts', '--json']).stdout) as { steps: { name: string; reused: boolean }[] };
    // RegisterModels is a Lambda step: SageMaker never caches those (cairn neither), so it runs every time.
    const notReused = first.steps.filter((s) => !s.reused && s.name !== 'RegisterModels').map((s) => s.name);
    if (notReused.length > 0) throw new Error(`the rerun was not fully reused: ${notReused.join(', ')} ran`);
    const runs: number[] = [];
    const plans: number[] = [];
    for (let i = 0; i < opts.rounds; i++) {
      if (i % 2 === 0) { runs.push(cli(['run', 'pipeline.ts']).ms); plans.push(cli(['plan', 'pipeline.ts']).ms); }
      else { plans.push(cli(['plan', 'pipeline.ts']).ms); runs.push(cli(['run', 'pipeline.ts']).ms); }
    }
    const run = median(runs);
    const plan = median(plans);
    opts.log(`  reused run: median ${run.toFixed(0)} ms; plan: median ${plan.toFixed(0)} ms (${opts.rounds} rounds)`);
    return [
      { name: 'reused run of the example, wall (median)', value: round(run / 1000, 2), unit: 's', target: '≤ 0.3 s', ok: run <= 300, scope: 'whole-process', samples: opts.rounds },
      { name: 'plan of the example, wall (median)', value: round(plan / 1000, 2), unit: 's', target: 'info', ok: true, scope: 'whole-process', samples: opts.rounds },
      { name: 'reused run / plan', value: round(run / plan, 2), unit: '×', target: '≤ 1.2×', ok: run / plan <= 1.2, scope: 'whole-process', samples: opts.rounds },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
