import { describe, expect, it } from 'vitest';
import { schedule, type TaskOutcome } from '../../engine/run/scheduler.js';

/** An in-process fake: each task resolves when the test says so, and the test sees what is running. */
function harness(deps: Record<string, string[]>) {
  const running = new Set<string>();
  const started: string[] = [];
  const finishers = new Map<string, (o: TaskOutcome) => void>();
  let peak = 0;
  const run = (name: string): Promise<TaskOutcome> => new Promise((res) => {
    running.add(name);
    started.push(name);
    peak = Math.max(peak, running.size);
    finishers.set(name, (o) => { running.delete(name); res(o); });
  });
  const finish = async (name: string, o: TaskOutcome = 'succeeded'): Promise<void> => {
    for (let i = 0; i < 50 && !finishers.has(name); i++) await new Promise((r) => setTimeout(r, 1));
    finishers.get(name)!(o);
    finishers.delete(name);
    await new Promise((r) => setTimeout(r, 1));
  };
  return { running, started, run, finish, peak: () => peak, upstream: (n: string) => deps[n] ?? [] };
}

describe('schedule', () => {
  it('runs ready tasks in order, at most maxParallel at once, fan-out then fan-in', async () => {
    const h = harness({ B: ['A'], C: ['A'], D: ['A'], E: ['B', 'C', 'D'] });
    const done = schedule({ order: ['A', 'B', 'C', 'D', 'E'], upstream: h.upstream, done: new Map(), maxParallel: 2, signal: new AbortController().signal, run: h.run });
    await h.finish('A');
    expect([...h.running]).toEqual(['B', 'C']);
    await h.finish('C');
    expect([...h.running]).toEqual(['B', 'D']);
    await h.finish('B');
    await h.finish('D');
    await h.finish('E');
    expect(Object.fromEntries(await done)).toEqual({ A: 'succeeded', B: 'succeeded', C: 'succeeded', D: 'succeeded', E: 'succeeded' });
    expect(h.started).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(h.peak()).toBe(2);
  });

  it('starts nothing new after a failure but lets running tasks finish', async () => {
    const h = harness({ C: ['A'], D: ['B'] });
    const done = schedule({ order: ['A', 'B', 'C', 'D'], upstream: h.upstream, done: new Map(), maxParallel: 2, signal: new AbortController().signal, run: h.run });
    await h.finish('A', 'failed');
    expect([...h.running]).toEqual(['B']);
    await h.finish('B');
    expect(Object.fromEntries(await done)).toEqual({ A: 'failed', B: 'succeeded' });
  });

  it('skips tasks already done and stops launching on abort', async () => {
    const h = harness({ B: ['A'], C: ['B'] });
    const ac = new AbortController();
    const done = schedule({ order: ['A', 'B', 'C'], upstream: h.upstream, done: new Map([['A', 'succeeded']]), maxParallel: 4, signal: ac.signal, run: h.run });
    await new Promise((r) => setTimeout(r, 1));
    expect([...h.running]).toEqual(['B']);
    ac.abort();
    await h.finish('B', 'stopped');
    expect(Object.fromEntries(await done)).toEqual({ A: 'succeeded', B: 'stopped' });
  });

  it('rethrows a bug in a task after the others finish', async () => {
    const h = harness({});
    const done = schedule({
      order: ['A', 'B'], upstream: h.upstream, done: new Map(), maxParallel: 2, signal: new AbortController().signal,
      run: (n) => (n === 'A' ? Promise.reject(new Error('boom')) : h.run(n)),
    });
    const rejected = expect(done).rejects.toThrow('boom');
    await h.finish('B');
    await rejected;
  });
});
