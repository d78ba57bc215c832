import type { BenchFigure } from './bench-figure.js';
import { info } from './bench-figure.js';
import { loadBenchDefinition, median, openBenchHome, timedRun } from './bench-services.js';
import { layeredDag } from './bench-pipelines.js';
import type { Services } from '../engine/run/run-context.js';

/** What each service call is counted as: the critical path's phases, by the service boundary they cross. */
const PHASES: Record<string, string> = {
  'definition load': 'definition load',
  'images.resolve': 'image check',
  'artifacts.hashInput': 'input hashing',
  'artifacts.stageInput': 'staging',
  'artifacts.restoreDestinations': 'staging',
  'artifacts.commitDirectory': 'commit',
  'artifacts.commitFile': 'commit',
  'artifacts.verifyOutputs': 'commit',
  'runtime.run:create': 'container create',
  'runtime.run:start-wait-remove': 'container start + wait + remove',
};
const phaseOf = (call: string): string => PHASES[call] ?? (call.startsWith('store.') ? 'SQLite (store calls)' : `other: ${call}`);

/** Times every method call of `target` into `add(call, ms)` (promises until they settle); `runtime.run` split at onCreated. */
function timed<T extends object>(target: T, name: string, add: (call: string, ms: number) => void): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]): unknown => {
        const t0 = performance.now();
        let created = t0;
        if (name === 'runtime' && key === 'run') {
          const opts = { ...(args[1] as Record<string, unknown> | undefined) };
          const onCreated = opts.onCreated as ((id: string) => void) | undefined;
          opts.onCreated = (id: string) => { created = performance.now(); add('runtime.run:create', created - t0); onCreated?.(id); };
          args[1] = opts;
        }
        const done = (): void => {
          if (name === 'runtime' && key === 'run') add('runtime.run:start-wait-remove', performance.now() - created);
          else add(`${name}.${key}`, performance.now() - t0);
        };
        const r = (value as (...a: unknown[]) => unknown).apply(obj, args);
        if (r instanceof Promise) return r.finally(done);
        done();
        return r;
      };
    },
  });
}

/**
 * (l) The critical path phase by phase: a cold 4-step chain whose steps read their upstream's output (one step at a
 * time, a fresh home each round), every call the engine makes to its services timed at the service boundary
 * (image check, input hashing, staging, container create, start + wait + remove, commit, SQLite), plus the
 * definition load; each phase printed with its share of the run's wall time (the rest is the engine's own work).
 */
export async function runPhasesBench(opts: { rounds: number; log: (l: string) => void }): Promise<BenchFigure[]> {
  const { text } = layeredDag(4, 1);
  const perRound: Map<string, number>[] = [];
  const walls: number[] = [];
  for (let r = 0; r < opts.rounds + 1; r++) {
    const sums = new Map<string, number>();
    const add = (call: string, ms: number): void => { sums.set(phaseOf(call), (sums.get(phaseOf(call)) ?? 0) + ms); };
    const t0 = performance.now();
    const definition = loadBenchDefinition(text, 'chain-with-data.json');
    add('definition load', performance.now() - t0);
    const home = openBenchHome('phases');
    try {
      const s = home.services;
      const services: Services = { ...s, store: timed(s.store, 'store', add), runtime: timed(s.runtime, 'runtime', add), images: timed(s.images, 'images', add), artifacts: timed(s.artifacts, 'artifacts', add) };
      const run = await timedRun(services, definition, text, { noCache: true, maxParallel: 1 });
      if (r === 0) continue; // warm-up
      const wallMs = run.ms + (sums.get('definition load') ?? 0);
      // What no service call accounts for, this round: the engine's own work (scheduling, events, decisions).
      sums.set('engine (the rest)', wallMs - [...sums.values()].reduce((t, v) => t + v, 0));
      walls.push(wallMs);
      perRound.push(sums);
    } finally {
      home.dispose();
    }
  }
  const wall = median(walls);
  const names = [...new Set(perRound.flatMap((m) => [...m.keys()]))];
  const rows = names.map((n) => ({ n, ms: median(perRound.map((m) => m.get(n) ?? 0)) })).sort((a, b) => b.ms - a.ms);
  opts.log(`  wall time (median of ${opts.rounds}): ${wall.toFixed(0)} ms`);
  for (const x of rows) opts.log(`  ${x.n.padEnd(34)} ${x.ms.toFixed(1).padStart(8)} ms  ${((100 * x.ms) / wall).toFixed(1).padStart(5)}%`);
  return [
    info('phases: 4-step chain, cold, wall (median)', wall, 'ms', 'in-process', opts.rounds),
    ...rows.map((x) => info(`phases: ${x.n} share`, (100 * x.ms) / wall, '%', 'in-process', opts.rounds)),
  ];
}
