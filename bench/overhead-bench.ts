import Docker from 'dockerode';
import type { BenchFigure } from './bench-figure.js';
import { loadBenchDefinition, median, openBenchHome, round, timedRun } from './bench-services.js';
import { NOOP_COMMAND, NOOP_IMAGE, noopChain } from './bench-pipelines.js';

const TARGET = 1.15;

/**
 * Engine overhead: a chain of `steps` no-op Processing steps run through cairn's engine in-process (`--no-cache`,
 * one at a time, a fresh CAIRN home each round) against the same containers created, started, waited for and
 * removed one after the other directly with dockerode. The two alternate (after one untimed warm-up of each) for at
 * least `rounds` rounds, more (up to `maxRounds`) while the per-round ratios spread wider than their margin to the target.
 */
export async function runOverheadBench(opts: { steps?: number; rounds?: number; maxRounds?: number; log?: (line: string) => void } = {}): Promise<BenchFigure[]> {
  const steps = opts.steps ?? 20;
  const rounds = opts.rounds ?? 3;
  const maxRounds = Math.max(rounds, opts.maxRounds ?? 12);
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
  // Rounds until the spread of the per-round ratios (half their range) is smaller than the median's margin to the
  // target, at least `rounds` and at most `maxRounds`; if it never is, the figure says so.
  const direct: number[] = [];
  const cairn: number[] = [];
  const ratios = (): number[] => cairn.map((c, i) => c / (direct[i] as number));
  const spread = (): number => (Math.max(...ratios()) - Math.min(...ratios())) / 2;
  const margin = (): number => Math.abs(TARGET - median(ratios()));
  for (let r = 0; r < maxRounds && (r < rounds || spread() >= margin()); r++) {
    direct.push(await directOnce());
    cairn.push(await cairnOnce());
    log(`  round ${r + 1}: direct ${direct.at(-1)?.toFixed(0)} ms, cairn ${cairn.at(-1)?.toFixed(0)} ms, ratio ${ratios().at(-1)?.toFixed(3)}`);
  }
  const n = direct.length;
  const d = median(direct);
  const c = median(cairn);
  const ratio = median(ratios());
  const settled = spread() < margin();
  log(`  ratio spread ±${spread().toFixed(3)} ${settled ? '<' : '>='} margin to the target ${margin().toFixed(3)} after ${n} rounds${settled ? '' : ': NOT conclusive, the spread is larger than the margin'}`);
  const fig = (name: string, value: number, unit: string): BenchFigure => ({ name, value: round(value, 1), unit, target: 'info', ok: true, scope: 'in-process', samples: n });
  return [
    fig(`direct dockerode per step (${steps}-step chain, median of ${n})`, d / steps, 'ms'),
    fig(`cairn engine per step (${steps}-step chain, median of ${n})`, c / steps, 'ms'),
    fig('cairn overhead per step', (c - d) / steps, 'ms'),
    fig('engine overhead: spread of the per-round ratio (half range)', spread(), 'ratio'),
    {
      name: `engine overhead: cairn / direct (median of ${n} per-round ratios${settled ? '' : '; spread >= margin, not conclusive'})`,
      value: round(ratio), unit: 'ratio', target: `<= ${TARGET}`, ok: ratio <= TARGET && settled, scope: 'in-process', samples: n,
    },
  ];
}
