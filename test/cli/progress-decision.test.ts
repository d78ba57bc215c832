import { describe, expect, it } from 'vitest';
import { Progress } from '../../cli/progress.js';

function capture(): { out: NodeJS.WriteStream; lines: () => string[] } {
  let text = '';
  const out = { isTTY: false, write: (s: string) => { text += s; return true; } } as unknown as NodeJS.WriteStream;
  return { out, lines: () => text.split('\n').filter((l) => l !== '') };
}

describe('Progress prints the cache decision carried by step events', () => {
  it('plain lines: why a step runs (first attempt) or is reused', () => {
    const c = capture();
    const p = new Progress(c.out, { live: false });
    p.handle({ type: 'run-started', runId: 'r', pipeline: 'p', resumed: false, steps: [{ name: 'A', type: 'Processing' }, { name: 'B', type: 'Processing' }], at: 0 });
    p.handle({
      type: 'step', runId: 'r', step: 'A', status: 'succeeded', reused: true, reusedFrom: 'q',
      decision: { action: 'reuse', reason: { kind: 'same-fingerprint', sourceRun: 'q', createdAt: Date.parse('2026-01-01T00:00:00Z') } }, at: 1,
    });
    const decision = { action: 'run' as const, reason: { kind: 'fingerprint-changed' as const, sinceRun: 'q', paths: ['inputs.data'] } };
    p.handle({ type: 'step', runId: 'r', step: 'B', status: 'running', reused: false, attempt: 1, decision, at: 2 });
    p.handle({ type: 'step', runId: 'r', step: 'B', status: 'running', reused: false, attempt: 2, decision, at: 3 });
    expect(c.lines().slice(1)).toEqual([
      'A: reused: same fingerprint as run q (2026-01-01T00:00:00.000Z)',
      'B: running (attempt 1): changed since run q: inputs.data',
      'B: running (attempt 2)',
    ]);
  });
});
