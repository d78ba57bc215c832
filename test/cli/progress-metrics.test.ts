import { describe, expect, it } from 'vitest';
import { Progress } from '../../cli/progress.js';

function sink(columns = 200): NodeJS.WriteStream & { text: () => string } {
  let out = '';
  return { write: (s: string) => { out += s; return true; }, columns, isTTY: false, text: () => out } as unknown as NodeJS.WriteStream & { text: () => string };
}

describe('Progress and metrics', () => {
  it('plain mode: one metrics line per step when it ends, and notices as lines', () => {
    const out = sink();
    const p = new Progress(out, { live: false, logs: false });
    p.handle({ type: 'run-started', runId: 'r', pipeline: 'p', resumed: false, steps: [{ name: 'Train', type: 'Training' }], at: 0 });
    p.handle({ type: 'step', runId: 'r', step: 'Train', status: 'running', reused: false, attempt: 1, at: 0 });
    p.handle({ type: 'notice', runId: 'r', step: 'Train', message: 'limits scaled down', at: 1 });
    p.handle({ type: 'metric', runId: 'r', step: 'Train', name: 'train:loss', value: 0.5, at: 1 });
    p.handle({ type: 'metric', runId: 'r', step: 'Train', name: 'train:accuracy', value: 0.8700000001, at: 1 });
    p.handle({ type: 'metric', runId: 'r', step: 'Train', name: 'train:loss', value: 0.31, at: 2 });
    p.handle({ type: 'step', runId: 'r', step: 'Train', status: 'succeeded', reused: false, attempt: 1, at: 1500 });
    expect(out.text().split('\n').slice(1, 5)).toEqual([
      'Train: running (attempt 1)', 'Train: limits scaled down', 'Train: succeeded in 1.5s', 'Train metrics: train:loss=0.31 train:accuracy=0.87',
    ]);
  });

  it('live mode: the latest value of each metric beside the running step', () => {
    const out = sink();
    const p = new Progress(out, { live: true });
    p.handle({ type: 'run-started', runId: 'r', pipeline: 'p', resumed: false, steps: [{ name: 'Train', type: 'Training' }], at: 0 });
    p.handle({ type: 'step', runId: 'r', step: 'Train', status: 'running', reused: false, attempt: 1, at: Date.now() });
    p.handle({ type: 'metric', runId: 'r', step: 'Train', name: 'loss', value: 2, at: 1 });
    p.handle({ type: 'metric', runId: 'r', step: 'Train', name: 'loss', value: 1.25, at: 2 });
    p.handle({ type: 'run-finished', runId: 'r', status: 'stopped', at: 3 });
    expect(out.text()).toMatch(/▶ Train\s+running\s+\S+ {2}loss=1\.25\n/);
  });
});
