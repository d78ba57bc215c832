import Docker from 'dockerode';
import type { BenchFigure } from './hash-bench.js';
import { loadBenchDefinition, median, openBenchHome, round, timedRun } from './bench-services.js';
import { NOOP_COMMAND, NOOP_IMAGE, noopChain } from './bench-pipelines.js';

/**
 * Engine overhead: a chain of `steps` no-op Processing steps run through cairn's engine in-process (`--no-cache`,
 * one at a time, a fresh CAIRN home each round) against the same containers created, started, waited for and
 * removed one after the other directly with dockerode. The two alternate for `rounds` rounds (after one untimed
 * warm-up of each); the medians are compared.
 */
export async function runOverheadBench(opts: { steps?: number; rounds?: number; log?: (line: string) => void } = {}): Promise<BenchFigure[]> {
  const steps = opts.steps ?? 20;
  const rounds = opts.rounds ?? 3;
  const log = opts.log ?? (() => undefined);
  const text = noopChain(steps);
  const definition = loadBenchDefinition(text, 'noop-chain.json');
  const docker = new Docker();

  const cairnOnce = async (): Promise<number> => {
    const home = openBenchHome('overhead');
    try {
      const r = await timedRun(home.services, definition, text, { noCache: true, maxParallel: 1 });
      const ran = r.steps.filter((s) => s.status === 'succeeded' && !s.reused).length;
      if (ran !== steps) throw new Error(`cairn ran ${ran} of ${steps} steps`);
      return r.ms;
    } finally {
      home.dispose();
    }
  };
  const directOnce = async (): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) {
      const c = await docker.createContainer({ Image: NOOP_IMAGE, Entrypoint: NOOP_COMMAND, Tty: false });
      await c.start();
      const w = (await c.wait({ condition: 'not-running' })) as { StatusCode: number };
      await c.remove({ force: true, v: true });
      if (w.StatusCode !== 0) throw new Error(`direct container exited with ${w.StatusCode}`);
    }
    return performance.now() - t0;
  };

  await directOnce();
  await cairnOnce();
  const direct: number[] = [];
  const cairn: number[] = [];
  for (let r = 0; r < rounds; r++) {
    direct.push(await directOnce());
    cairn.push(await cairnOnce());
    log(`  round ${r + 1}/${rounds}: direct ${direct.at(-1)?.toFixed(0)} ms, cairn ${cairn.at(-1)?.toFixed(0)} ms`);
  }
  const d = median(direct);
  const c = median(cairn);
  const ratio = c / d;
  return [
    { name: `direct dockerode per step (${steps}-step chain, median of ${rounds})`, value: round(d / steps, 1), unit: 'ms', target: 'info', ok: true },
    { name: `cairn engine per step (${steps}-step chain, median of ${rounds})`, value: round(c / steps, 1), unit: 'ms', target: 'info', ok: true },
    { name: 'cairn overhead per step', value: round((c - d) / steps, 1), unit: 'ms', target: 'info', ok: true },
    { name: 'engine overhead: cairn / direct', value: round(ratio), unit: 'ratio', target: '<= 1.15', ok: ratio <= 1.15 },
  ];
}
