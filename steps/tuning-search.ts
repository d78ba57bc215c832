import { mulberry32 } from '../kernel/seeded-random.js';
import type { ParameterRange } from './tuning-job.js';

/** One trial's tuned hyperparameters, as the strings the training job receives. */
export type TunedValues = Record<string, string>;

/**
 * The trials a Random search draws: `count` independent draws from a PRNG seeded by RandomSeed (mulberry32), one
 * value per range in definition order. Draws are sequential, so the first N trials of a larger job are exactly the
 * trials of a job of N: raising MaxNumberOfTrainingJobs only adds trials.
 */
export function randomTrials(ranges: readonly ParameterRange[], count: number, seed: number): TunedValues[] {
  const next = mulberry32(seed);
  const out: TunedValues[] = [];
  for (let i = 0; i < count; i++) {
    const values: TunedValues = {};
    for (const r of ranges) values[r.name] = draw(r, next);
    out.push(values);
  }
  return out;
}

/**
 * Every combination of the categorical ranges' values (Grid: categorical ranges only), in definition order with the
 * last range varying fastest.
 */
export function gridTrials(ranges: readonly ParameterRange[]): TunedValues[] {
  let out: TunedValues[] = [{}];
  for (const r of ranges) {
    if (r.kind !== 'categorical') continue;
    out = out.flatMap((partial) => r.values.map((v) => ({ ...partial, [r.name]: v })));
  }
  return out;
}

export function gridSize(ranges: readonly ParameterRange[]): number {
  return ranges.reduce((n, r) => (r.kind === 'categorical' ? n * r.values.length : n), 1);
}

function draw(r: ParameterRange, next: () => number): string {
  if (r.kind === 'categorical') return r.values[Math.min(r.values.length - 1, Math.floor(next() * r.values.length))] ?? '';
  const u = next();
  if (r.kind === 'integer') {
    if (r.scaling === 'Logarithmic') {
      // Log-uniform over [min, max + 1), floored: each integer's share shrinks as it grows.
      const v = Math.floor(Math.exp(Math.log(r.min) + u * (Math.log(r.max + 1) - Math.log(r.min))));
      return String(Math.min(r.max, Math.max(r.min, v)));
    }
    return String(Math.min(r.max, r.min + Math.floor(u * (r.max - r.min + 1))));
  }
  return String(scale(r.min, r.max, r.scaling, u));
}

/** A continuous value for `u` in [0, 1): Linear (and Auto, locally), Logarithmic, or ReverseLogarithmic (1 - log-uniform of 1 - x). */
export function scale(min: number, max: number, scaling: string, u: number): number {
  if (scaling === 'Logarithmic') return Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
  if (scaling === 'ReverseLogarithmic') return 1 - Math.exp(Math.log(1 - max) + (1 - u) * (Math.log(1 - min) - Math.log(1 - max)));
  return min + u * (max - min);
}
