import { describe, expect, it } from 'vitest';
import { PullTracker } from '../../cli/pull-progress.js';
import { Progress } from '../../cli/progress.js';

const IMG = 'tensorflow/tensorflow:2.19.0';

describe('PullTracker', () => {
  it('sums bytes over layers and counts finished layers', () => {
    const t = new PullTracker(IMG);
    t.update({ status: 'Pulling from tensorflow/tensorflow', id: '2.19.0' });
    t.update({ status: 'Pulling fs layer', id: 'a' });
    t.update({ status: 'Pulling fs layer', id: 'b' });
    t.update({ status: 'Already exists', id: 'c' });
    t.update({ status: 'Downloading', id: 'a', current: 30e6, total: 100e6 });
    t.update({ status: 'Downloading', id: 'b', current: 10e6, total: 100e6 });
    expect(t.totals()).toEqual({ current: 40e6, total: 200e6, layers: 3, done: 1 });
    expect(t.line(10)).toBe(`pulling ${IMG}  [##--------]   20%  40.0/200.0 MB  1/3 layers`);
    t.update({ status: 'Download complete', id: 'a' });
    t.update({ status: 'Extracting', id: 'a', current: 5, total: 100e6 });
    expect(t.totals()).toEqual({ current: 110e6, total: 200e6, layers: 3, done: 2 });
    expect(t.finished).toBe(false);
    t.update({ status: `Status: Downloaded newer image for ${IMG}` });
    expect(t.finished).toBe(true);
  });

  it('rate-limits plain lines to one per 2 s, always printing the first and the final one', () => {
    const t = new PullTracker(IMG);
    t.update({ status: 'Pulling fs layer', id: 'a' });
    expect(t.plainLine(1_000)).toBe(`pulling ${IMG}  0/1 layers`);
    t.update({ status: 'Downloading', id: 'a', current: 1, total: 4 });
    expect(t.plainLine(1_500)).toBeUndefined();
    expect(t.plainLine(3_100)).toMatch(/^pulling .+ 25% {2}0\.0\/0\.0 MB {2}0\/1 layers$/);
    t.update({ status: 'Pull complete', id: 'a' });
    t.update({ status: `Status: Downloaded newer image for ${IMG}` });
    expect(t.plainLine(3_200)).toBe(`pulled ${IMG}: Downloaded newer image for ${IMG}`);
    expect(t.plainLine(9_000)).toBeUndefined();
  });
});

describe('Progress shows pulls', () => {
  it('as rate-limited plain lines per step when not on a terminal', () => {
    const out: string[] = [];
    const stream = { write: (s: string) => out.push(s), isTTY: false } as unknown as NodeJS.WriteStream;
    const p = new Progress(stream, { live: false });
    const pull = (status: string, extra: object = {}) => p.handle({ type: 'pull', runId: 'r', step: 'Train', image: IMG, progress: { status, ...extra } });
    pull('Pulling fs layer', { id: 'a' });
    for (let i = 1; i <= 50; i++) pull('Downloading', { id: 'a', current: i, total: 50 });
    pull('Pull complete', { id: 'a' });
    pull(`Status: Downloaded newer image for ${IMG}`);
    expect(out).toEqual([`  [Train] pulling ${IMG}  0/1 layers\n`, `  [Train] pulled ${IMG}: Downloaded newer image for ${IMG}\n`]);
  });

  it('as a progress bar per image under the step list on a terminal', () => {
    const out: string[] = [];
    const stream = { write: (s: string) => out.push(s), isTTY: true, columns: 120 } as unknown as NodeJS.WriteStream;
    const p = new Progress(stream, { live: true });
    p.handle({ type: 'run-started', runId: 'r', pipeline: 'p', resumed: false, steps: [{ name: 'Train', type: 'Training' }] } as never);
    p.handle({ type: 'pull', runId: 'r', step: 'Train', image: IMG, progress: { status: 'Downloading', id: 'a', current: 50e6, total: 100e6 } });
    p.handle({ type: 'run-finished', runId: 'r', status: 'failed', at: 0 });
    expect(out.join('')).toContain(`  pulling ${IMG}  [##########----------]   50%  50.0/100.0 MB  0/1 layers\n`);
  });
});
