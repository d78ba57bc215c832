import { describe, expect, it } from 'vitest';
import { gridTrials, randomTrials, scale } from '../../steps/tuning-search.js';
import { mulberry32 } from '../../kernel/seeded-random.js';
import { readTuningJob, type ParameterRange } from '../../steps/tuning-job.js';
import { LR_RANGES, tuningArgs } from './tuning-fixture.js';

describe('tuning search', () => {
  it('keeps every drawn value inside its range, integers inclusive of both ends', () => {
    const ranges: ParameterRange[] = [
      { kind: 'integer', name: 'n', min: 1, max: 3, scaling: 'Linear' },
      { kind: 'integer', name: 'k', min: 1, max: 100, scaling: 'Logarithmic' },
      { kind: 'continuous', name: 'lr', min: 1e-4, max: 1, scaling: 'Logarithmic' },
      { kind: 'continuous', name: 'beta', min: 0.9, max: 0.999, scaling: 'ReverseLogarithmic' },
      { kind: 'categorical', name: 'opt', values: ['a', 'b'] },
    ];
    const trials = randomTrials(ranges, 400, 1);
    const nums = (k: string): number[] => trials.map((t) => Number(t[k]));
    expect(new Set(nums('n'))).toEqual(new Set([1, 2, 3]));
    for (const v of nums('k')) expect(Number.isInteger(v) && v >= 1 && v <= 100).toBe(true);
    for (const v of nums('lr')) expect(v >= 1e-4 && v <= 1).toBe(true);
    for (const v of nums('beta')) expect(v >= 0.9 && v <= 0.999).toBe(true);
    expect(new Set(trials.map((t) => t.opt))).toEqual(new Set(['a', 'b']));
    // Log scaling: about half the draws fall below the geometric middle (0.01), far more than linear's 1%.
    expect(nums('lr').filter((v) => v < 0.01).length).toBeGreaterThan(150);
  });

  it('scales the ends of [0, 1) onto the ends of the range', () => {
    expect(scale(2, 4, 'Linear', 0)).toBe(2);
    expect(scale(1e-3, 1e-1, 'Logarithmic', 0.5)).toBeCloseTo(1e-2, 12);
    expect(scale(0.9, 0.999, 'ReverseLogarithmic', 0)).toBeCloseTo(0.9, 12);
    expect(scale(0.9, 0.99, 'ReverseLogarithmic', 0.5)).toBeCloseTo(1 - Math.sqrt(0.1 * 0.01), 12);
  });

  it('draws a prefix-stable sequence: the first N of more trials are the trials of N', () => {
    const r: ParameterRange[] = [{ kind: 'continuous', name: 'x', min: 0, max: 1, scaling: 'Linear' }];
    expect(randomTrials(r, 8, 42).slice(0, 6)).toEqual(randomTrials(r, 6, 42));
    const a = mulberry32(3);
    expect([a(), a()]).not.toEqual([a(), a()]);
  });

  it('grid: the Cartesian product, last range fastest', () => {
    expect(gridTrials([{ kind: 'categorical', name: 'a', values: ['1', '2'] }, { kind: 'categorical', name: 'b', values: ['x', 'y'] }]))
      .toEqual([{ a: '1', b: 'x' }, { a: '1', b: 'y' }, { a: '2', b: 'x' }, { a: '2', b: 'y' }]);
  });
});

describe('reading a Tuning step', () => {
  it('refuses what cannot run locally, naming the field', () => {
    const field = (args: unknown): string | undefined => {
      const r = readTuningJob(args as never, 'Tune');
      return r.ok ? undefined : (r.error as { field?: string }).field;
    };
    expect(field(tuningArgs({ Strategy: 'Bayesian', ResourceLimits: { MaxNumberOfTrainingJobs: 2, MaxParallelTrainingJobs: 1 } }, LR_RANGES))).toBe('HyperParameterTuningJobConfig.Strategy');
    expect(field(tuningArgs({ Strategy: 'Grid', ResourceLimits: { MaxParallelTrainingJobs: 1 } }, LR_RANGES))).toBe('HyperParameterTuningJobConfig.ParameterRanges');
    expect(field(tuningArgs({ Strategy: 'Random', ResourceLimits: { MaxNumberOfTrainingJobs: 2 } }, LR_RANGES))).toBe('HyperParameterTuningJobConfig.ResourceLimits.MaxParallelTrainingJobs');
    expect(field(tuningArgs({ Strategy: 'Random', ResourceLimits: { MaxNumberOfTrainingJobs: 2, MaxParallelTrainingJobs: 1 } },
      { ContinuousParameterRanges: [{ Name: 'lr', MinValue: '0', MaxValue: '1', ScalingType: 'Logarithmic' }] }))).toBe('HyperParameterTuningJobConfig.ParameterRanges.ContinuousParameterRanges[0].MinValue');
    expect(field(tuningArgs({ Strategy: 'Random', ResourceLimits: { MaxNumberOfTrainingJobs: 2, MaxParallelTrainingJobs: 1 } }, LR_RANGES))).toBeUndefined();
  });
});
