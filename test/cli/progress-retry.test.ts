import { exitFailure } from '../../contracts/step-failure.js';
import { describe, expect, it } from 'vitest';
import { Progress } from '../../cli/progress.js';
import type { RetryInfo } from '../../contracts/retry.js';

function sink(): NodeJS.WriteStream & { text: () => string } {
  let out = '';
  return { write: (s: string) => { out += s; return true; }, columns: 200, isTTY: false, text: () => out } as unknown as NodeJS.WriteStream & { text: () => string };
}

const info: RetryInfo = {
  attempt: 1, retry: 1, maxRetries: 3, waitMs: 2000, exceptionType: 'SageMaker.JOB_INTERNAL_ERROR',
  failure: exitFailure({ exitCode: 1, logTail: [] }),
};

describe('Progress and retries', () => {
  it('plain mode: a line per retry with its wait, and the attempt while running', () => {
    const out = sink();
    const p = new Progress(out, { live: false, logs: false });
    p.handle({ type: 'run-started', runId: 'r', pipeline: 'p', resumed: false, steps: [{ name: 'T', type: 'Training' }], at: 0 });
    p.handle({ type: 'step', runId: 'r', step: 'T', status: 'running', reused: false, attempt: 1, at: 0 });
    p.handle({ type: 'retry', runId: 'r', step: 'T', info, at: 1000 });
    p.handle({ type: 'step', runId: 'r', step: 'T', status: 'running', reused: false, attempt: 2, at: 3000 });
    p.handle({ type: 'step', runId: 'r', step: 'T', status: 'succeeded', reused: false, attempt: 2, at: 4500 });
    expect(out.text().split('\n').slice(1, 6)).toEqual([
      'T: running (attempt 1)',
      'T: attempt 1 failed with SageMaker.JOB_INTERNAL_ERROR; retry 1 of 3 in 2.0s',
      '  Training step "T" failed: its container exited with code 1; the last log lines show why. Fix the cause in the job code or its inputs and run again.',
      'T: running (attempt 2, retry 1 of 3 after SageMaker.JOB_INTERNAL_ERROR)',
      'T: succeeded in 1.5s (attempt 2)',
    ]);
  });

  it('live mode: the wait, then the retry beside the running step', () => {
    const out = sink();
    const p = new Progress(out, { live: true });
    p.handle({ type: 'run-started', runId: 'r', pipeline: 'p', resumed: false, steps: [{ name: 'T', type: 'Training' }], at: 0 });
    p.handle({ type: 'step', runId: 'r', step: 'T', status: 'running', reused: false, attempt: 1, at: Date.now() });
    p.handle({ type: 'retry', runId: 'r', step: 'T', info: { ...info, waitMs: 60_000 }, at: Date.now() });
    expect(out.text()).toMatch(/▶ T\s+running\s+\S+ {2}retry 1 of 3 in (59\.\ds|60\.0s|1m00s) after SageMaker\.JOB_INTERNAL_ERROR\n$/);
    p.handle({ type: 'step', runId: 'r', step: 'T', status: 'running', reused: false, attempt: 2, at: Date.now() });
    p.handle({ type: 'run-finished', runId: 'r', status: 'stopped', at: 3 });
    expect(out.text()).toMatch(/▶ T\s+running\s+\S+ {2}attempt 2, retry 1 of 3 after SageMaker\.JOB_INTERNAL_ERROR\n/);
  });
});
