import { getEventListeners } from 'node:events';
import { describe, expect, it, test } from 'vitest';
import { DiagnosticSink } from '../../engine/definition/diagnostic-sink.js';
import { readRetryPolicies } from '../../engine/definition/read-retry-policies.js';
import type { RetryPolicy } from '../../contracts/retry.js';
import { exitFailure, stepFailure, type StepFailure } from '../../contracts/step-failure.js';
import { decideRetry, sleep, withRetries } from '../../engine/run/retry-policy.js';
import type { JsonValue } from '../../kernel/json.js';
import { err, ok } from '../../kernel/result.js';
import { definitionText, diagnose, load, training } from './definition-helpers.js';

// The bounds of RetryPolicies and the corners of the retry decision (issue 16: mutants Stryker left alive in
// engine/definition/read-retry-policies.ts and engine/run/retry-policy.ts).

const withPolicies = (policies: JsonValue): Record<string, unknown> => ({ Steps: [training('T', {}, { RetryPolicies: policies })] });
const messages = (input: string | Record<string, unknown>): string[] => diagnose(input).map((d) => d.replace(/^pipeline\.json:\d+:\d+ /, ''));
const THROTTLING = ['Step.THROTTLING'];

describe('RetryPolicies bounds', () => {
  test('the largest values are allowed, one more is not; no value below 0', () => {
    const def = load(withPolicies([
      { ExceptionType: THROTTLING, IntervalSeconds: 43_200, MaxAttempts: 20 },
      { ExceptionType: ['Step.SERVICE_FAULT', 'Step.SERVICE_FAULT'], ExpireAfterMin: 14_400, BackoffRate: 0.5 },
    ]));
    expect(def.steps[0]?.retryPolicies).toEqual([
      { exceptionTypes: THROTTLING, intervalSeconds: 43_200, backoffRate: 2, maxAttempts: 20 },
      { exceptionTypes: ['Step.SERVICE_FAULT'], intervalSeconds: 1, backoffRate: 0.5, expireAfterMin: 14_400 },
    ]);
    expect(messages(withPolicies([{ ExceptionType: THROTTLING, IntervalSeconds: -1, MaxAttempts: -1 }, { ExceptionType: THROTTLING, ExpireAfterMin: -1 }]))).toEqual([
      'Steps[0].RetryPolicies[0].IntervalSeconds (step "T"): IntervalSeconds must be a whole number of seconds from 0 to 43200 (12 hours); it is -1',
      'Steps[0].RetryPolicies[0].MaxAttempts (step "T"): MaxAttempts must be a whole number of retries from 0 to 20; it is -1',
      'Steps[0].RetryPolicies[1].ExpireAfterMin (step "T"): ExpireAfterMin must be a whole number of minutes from 0 to 14400 (10 days); it is -1',
    ]);
  });

  test('a BackoffRate too large for a number is refused', () => {
    const text = definitionText(withPolicies([{ ExceptionType: THROTTLING, BackoffRate: 7 }])).replace('"BackoffRate": 7', '"BackoffRate": 1e999');
    expect(text).toContain('1e999');
    expect(messages(text)).toEqual([
      "Steps[0].RetryPolicies[0].BackoffRate (step \"T\"): BackoffRate must be a number of at least 0 (the interval's multiplier after each retry); it is null",
    ]);
  });

  test('one unsound policy among sound ones: the step has no policies, and each fault is told once', () => {
    const r = messages(withPolicies([{ ExceptionType: THROTTLING }, { ExceptionType: THROTTLING, Extra: 1 }, { ExceptionType: ['Nope', 'Step.THROTTLING', 7] }]));
    expect(r).toHaveLength(3);
    expect(r[0]).toMatch(/^Steps\[0\]\.RetryPolicies\[1\]\.Extra \(step "T"\): unknown retry policy field "Extra" \(fields: /);
    expect(r[1]).toMatch(/^Steps\[0\]\.RetryPolicies\[2\]\.ExceptionType\[0\] \(step "T"\): unknown exception type "Nope" \(SageMaker/);
    expect(r[2]).toMatch(/^Steps\[0\]\.RetryPolicies\[2\]\.ExceptionType\[2\] \(step "T"\): unknown exception type 7 \(SageMaker/);
  });

  test('no policies at all is an empty list; any unsound policy makes the list none', () => {
    expect(load(withPolicies([])).steps[0]?.retryPolicies).toEqual([]);
    const sink = new DiagnosticSink('p.json', () => ({ line: 1, column: 1 }));
    expect(readRetryPolicies([{ ExceptionType: THROTTLING }, { ExceptionType: THROTTLING, MaxAttempts: 99 }], 'R', 'T', sink)).toBeUndefined();
    expect(sink.sorted()).toMatchObject([{ code: 'invalid-retry-policy', path: 'R[1].MaxAttempts', step: 'T' }]);
    expect(readRetryPolicies([{ ExceptionType: THROTTLING }], 'R', 'T', sink)).toEqual([{ exceptionTypes: THROTTLING, intervalSeconds: 1, backoffRate: 2, maxAttempts: 5 }]);
  });
});

const internal = exitFailure({ exitCode: 1, logTail: [], failureFile: 'InternalServerError: the host went away' });
const policy = (extra: Partial<RetryPolicy> = {}): RetryPolicy =>
  ({ exceptionTypes: ['SageMaker.JOB_INTERNAL_ERROR'], intervalSeconds: 1, backoffRate: 2, maxAttempts: 5, ...extra });

describe('the retry decision', () => {
  it('says "1 retry" in the singular, and takes 5 retries when a policy names neither limit', () => {
    expect(decideRetry([policy({ maxAttempts: 1 })], internal, 2, [1], 0, 0)).toEqual({ retry: false, why: 'the retry policy for SageMaker.JOB_INTERNAL_ERROR allows 1 retry' });
    const { maxAttempts: _, ...neither } = policy();
    expect(decideRetry([neither], internal, 5, [4], 0, 0)).toMatchObject({ retry: true, info: { retry: 5, maxRetries: 5 } });
    expect(decideRetry([neither], internal, 6, [5], 0, 0)).toEqual({ retry: false, why: 'the retry policy for SageMaker.JOB_INTERNAL_ERROR allows 5 retries' });
  });

  it('an expired policy says after how long; the retry is counted under the policy that matched', () => {
    const p = [policy({ exceptionTypes: ['Step.THROTTLING'] }), { exceptionTypes: ['SageMaker.JOB_INTERNAL_ERROR' as const], intervalSeconds: 2, backoffRate: 3, expireAfterMin: 1 }];
    expect(decideRetry(p, internal, 1, [0, 0], 0, 60_000)).toEqual({ retry: false, why: 'the retry policy for SageMaker.JOB_INTERNAL_ERROR expired after 1 min' });
    expect(decideRetry(p, internal, 3, [9, 2], 0, 59_999)).toEqual({
      retry: true, policy: 1,
      info: { attempt: 3, failure: internal, exceptionType: 'SageMaker.JOB_INTERNAL_ERROR', retry: 3, waitMs: 18_000, retryUntil: 60_000 },
    });
  });

  it('gives up with the reason told, and never retries a stopped attempt', async () => {
    const gaveUp: string[] = [];
    const retried: number[] = [];
    let n = 0;
    const opts = { policies: [policy({ maxAttempts: 1 })], signal: new AbortController().signal, onRetry: (i: { retry: number }) => retried.push(i.retry), onGiveUp: (w: string) => gaveUp.push(w), wait: () => Promise.resolve(true) };
    const out = await withRetries(opts, () => Promise.resolve({ attempt: ++n, result: err(internal) }));
    expect([out.attempt, retried, gaveUp]).toEqual([2, [1], ['the retry policy for SageMaker.JOB_INTERNAL_ERROR allows 1 retry']]);
    const stopped: StepFailure = stepFailure('stopped', { when: 'container' });
    n = 0;
    expect(await withRetries(opts, () => Promise.resolve({ attempt: ++n, result: err(stopped) }))).toEqual({ attempt: 1, result: err(stopped) });
    expect(await withRetries({ ...opts, policies: undefined }, () => Promise.resolve({ attempt: 1, result: ok(1) }))).toEqual({ attempt: 1, result: ok(1) });
    expect(gaveUp).toHaveLength(1);
    // no policies (none given, or an empty list): one attempt, and no retry decision to tell
    for (const policies of [undefined, []]) {
      n = 0;
      expect(await withRetries({ ...opts, policies }, () => Promise.resolve({ attempt: ++n, result: err(internal) }))).toEqual({ attempt: 1, result: err(internal) });
    }
    expect(gaveUp).toHaveLength(1);
  });

  it('a wait leaves no listener on the run\'s signal, whether it ends or is stopped', async () => {
    const ac = new AbortController();
    expect(await sleep(1, ac.signal)).toBe(true);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    const stopping = sleep(60_000, ac.signal);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    ac.abort();
    expect(await stopping).toBe(false);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });
});
