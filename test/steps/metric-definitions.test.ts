import { describe, expect, it } from 'vitest';
import { compileMetricRegex, MetricCollector, parseMetricValue } from '../../steps/metric-definitions.js';

const DEFS = [
  { name: 'train:loss', regex: 'Loss=(.*?);' },
  { name: 'train:accuracy', regex: 'Accuracy=([0-9.]+)' },
  { name: 'epoch', regex: '(?P<n>Iteration=\\d+)' },
];

describe('MetricCollector', () => {
  it('reports every match as lines stream, first capture group as a float, and keeps the final values', () => {
    const seen: [string, number, number][] = [];
    const c = new MetricCollector(DEFS, (name, value, at) => seen.push([name, value, at]));
    c.observe('Iteration=1; Loss=0.9; Accuracy=0.5;', 1000);
    c.observe('nothing to see', 1001);
    c.observe('Loss=1e-3; Accuracy=0.75', 1002);
    c.observe('Loss=nan; Accuracy=inf', 1003);
    c.observe('Loss=abc; Accuracy=.875', 1004);
    expect(seen).toEqual([
      ['train:loss', 0.9, 1000], ['train:accuracy', 0.5, 1000],
      ['train:loss', 0.001, 1002], ['train:accuracy', 0.75, 1002],
      ['train:accuracy', 0.875, 1004],
    ]);
    expect(c.finalMetrics()).toEqual([
      { MetricName: 'train:loss', Value: 0.001, Timestamp: new Date(1002).toISOString() },
      { MetricName: 'train:accuracy', Value: 0.875, Timestamp: new Date(1004).toISOString() },
    ]);
  });

  it('takes the whole match when the regex has no group, and one value per metric per line', () => {
    const seen: number[] = [];
    const c = new MetricCollector([{ name: 'n', regex: '\\d+\\.\\d+' }], (_n, v) => seen.push(v));
    c.observe('values 1.5 and 2.5');
    expect(seen).toEqual([1.5]);
  });

  it('translates Python named groups and reports invalid expressions', () => {
    expect(compileMetricRegex('(?P<v>\\d+)')).toBeInstanceOf(RegExp);
    expect(typeof compileMetricRegex('(')).toBe('string');
    expect(parseMetricValue(' 3.25 ')).toBe(3.25);
    expect(parseMetricValue('-Infinity')).toBeUndefined();
  });
});
