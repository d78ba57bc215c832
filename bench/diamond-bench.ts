import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import type { BenchFigure } from './bench-figure.js';
import { loadBenchDefinition, median, openBenchHome, round, timedRun } from './bench-services.js';
import { NOOP_COMMAND, NOOP_IMAGE, noopDiamond } from './bench-pipelines.js';

const CLI = resolve(fileURLToPath(new URL('.', import.meta.url)), '../cli/main.js');
const TARGET = 1.15;

/**
 * (g) A cold run of a 4-step diamond of no-op containers (Top → Left, Right → Bottom; a fresh home each round, so
 * nothing is reused) against the raw cost of its critical path: the same containers created, started, waited for and
 * removed level by level with dockerode (Left and Right side by side). Paired rounds, alternating order; the figure is
 * the median of the per-round ratios (target ≤ 1.15×) for the engine in-process, and, as information, for the whole
 * `cairn run` process (start-up included).
 */
export async function runDiamondBench(opts: { rounds: number; log: (l: string) => void }): Promise<BenchFigure[]> {
  const text = noopDiamond();
  const definition = loadBenchDefinition(text, 'noop-diamond.json');
  const docker = new Docker();
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-diamond-'));
  writeFileSync(join(dir, 'diamond.json'), text);
  const one = async (): Promise<void> => {
    const c = await docker.createContainer({ Image: NOOP_IMAGE, Entrypoint: NOOP_COMMAND, Tty: false });
    await c.start();
    const w = (await c.wait({ condition: 'not-running' })) as { StatusCode: number };
    await c.remove({ force: true, v: true });
    if (w.StatusCode !== 0) throw new Error(`direct container exited with ${w.StatusCode}`);
  };
  const direct = async (): Promise<number> => {
    const t0 = performance.now();
    await one();
    await Promise.all([one(), one()]);
    await one();
    return performance.now() - t0;
  };
  const engine = async (): Promise<number> => {
    const home = openBenchHome('diamond');
    try {
      const r = await timedRun(home.services, definition, text, { noCache: true, maxParallel: 4 });
      if (r.steps.filter((s) => s.status === 'succeeded' && !s.reused).length !== 4) throw new Error('cairn did not run the four steps');
      return r.ms;
    } finally {
      home.dispose();
    }
  };
  let n = 0;
  const whole = (): number => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'run', 'diamond.json'], { cwd: dir, env: { ...process.env, CAIRN_HOME: join(dir, `home-${n++}`) }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cairn run diamond.json failed (exit ${String(r.status)}): ${r.stderr.trim()}`);
    return performance.now() - t0;
  };
  try {
    await direct();
    await engine();
    const raw: number[] = [];
    const inProcess: number[] = [];
    const cli: number[] = [];
    for (let i = 0; i < opts.rounds; i++) {
      if (i % 2 === 0) { raw.push(await direct()); inProcess.push(await engine()); cli.push(whole()); }
      else { cli.push(whole()); inProcess.push(await engine()); raw.push(await direct()); }
      opts.log(`  round ${i + 1}: raw critical path ${raw.at(-1)?.toFixed(0)} ms, engine ${inProcess.at(-1)?.toFixed(0)} ms, cairn run ${cli.at(-1)?.toFixed(0)} ms`);
    }
    const ratio = (xs: number[]): number => median(xs.map((x, i) => x / (raw[i] as number)));
    const r = ratio(inProcess);
    return [
      { name: 'diamond: raw critical path with dockerode (median)', value: round(median(raw), 0), unit: 'ms', target: 'info', ok: true, scope: 'in-process', samples: opts.rounds },
      { name: 'diamond: cold run, engine (median)', value: round(median(inProcess), 0), unit: 'ms', target: 'info', ok: true, scope: 'in-process', samples: opts.rounds },
      { name: 'diamond: cold run / raw critical path', value: round(r), unit: 'ratio', target: `<= ${TARGET}`, ok: r <= TARGET, scope: 'in-process', samples: opts.rounds },
      { name: 'diamond: cold `cairn run` / raw critical path', value: round(ratio(cli)), unit: 'ratio', target: 'info', ok: true, scope: 'whole-process', samples: opts.rounds },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
