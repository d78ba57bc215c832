import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchFigure } from './bench-figure.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(here, '../..');
const CLI = join(ROOT, 'dist/cli/main.js');

/**
 * (d) The retraining example run once in a fresh home, then again after an edit to the training script only: the
 * second run re-runs Retrain and what follows and reuses Telemetry and Preprocess. Both timed end to end through the
 * CLI, side by side; the ratio is the share of the full run's time that the edit still costs.
 */
export async function runExampleEditBench(opts: { iterations: number; log: (l: string) => void }): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-example-'));
  try {
    cpSync(join(ROOT, 'examples/retrain'), dir, { recursive: true, filter: (src) => !src.includes('.cairn') });
    const run = (): { ms: number; steps: { name: string; reused: boolean }[] } => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [CLI, 'run', 'pipeline.ts', '--param', `Iterations=${opts.iterations}`, '--json'], {
        cwd: dir, env: { ...process.env, CAIRN_HOME: join(dir, '.cairn') }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
      });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`the example failed (exit ${String(r.status)}): ${r.stderr.split('\n').slice(-5).join(' | ')}`);
      return { ms, steps: (JSON.parse(r.stdout) as { steps: { name: string; reused: boolean }[] }).steps };
    };
    opts.log(`  full run of the example (Iterations=${opts.iterations})…`);
    const full = run();
    appendFileSync(join(dir, 'code/train/train.py'), '\n# edited by the benchmark\n');
    opts.log('  run after editing code/train/train.py…');
    const edited = run();
    const reran = edited.steps.filter((s) => !s.reused).map((s) => s.name);
    const ratio = edited.ms / full.ms;
    return [
      { name: 'example: full run', value: Math.round(full.ms / 100) / 10, unit: 's', target: 'info', ok: true, scope: 'whole-process', samples: 1 },
      { name: 'example: run after a training-script edit', value: Math.round(edited.ms / 100) / 10, unit: 's', target: 'info', ok: true, scope: 'whole-process', samples: 1 },
      { name: 'example: steps re-run after the edit', value: reran.length, unit: `(${reran.join(', ')})`, target: '= 3 (Retrain, Evaluate, RegisterModels)', ok: reran.join(',') === 'Retrain,Evaluate,RegisterModels', scope: 'whole-process', samples: 1 },
      { name: 'example: edit rerun / full run', value: Math.round(ratio * 100) / 100, unit: `(${Math.round((1 - ratio) * 100)}% of the time saved)`, target: '< 1', ok: ratio < 1, scope: 'whole-process', samples: 1 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
