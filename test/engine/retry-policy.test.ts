import { describe, expect, it } from 'vitest';
import { describeFailureType, exceptionTypeOf } from '../../engine/run/exception-types.js';
import { err, ok } from '../../kernel/result.js';
import type { RetryInfo, RetryPolicy } from '../../contracts/retry.js';
import { backoffMs, decideRetry, matchPolicy, sleep, withRetries } from '../../engine/run/retry-policy.js';
import { dockerFailure, exitFailure, stepFailure, type StepFailure } from '../../contracts/step-failure.js';
import { words } from '../failure-words.js';

/** Made as the step container makes it: the failure file's platform fault is parsed once, here. */
const exit = (failureFile?: string): StepFailure => exitFailure({ exitCode: 1, logTail: [], ...(failureFile !== undefined ? { failureFile } : {}) });
const internal = exit('InternalServerError: the host went away');
const policy = (types: RetryPolicy['exceptionTypes'], extra: Partial<RetryPolicy> = {}): RetryPolicy =>
  ({ exceptionTypes: types, intervalSeconds: 1, backoffRate: 2, maxAttempts: 5, ...extra });

describe('local failures → SageMaker exception types', () => {
  it.each<[StepFailure, string | undefined]>([
    [dockerFailure({ during: 'create', engineText: 'connect ECONNREFUSED' }), 'Step.SERVICE_FAULT'],
    [dockerFailure({ during: 'run', engineText: '(HTTP code 429) toomanyrequests', status: 429 }), 'Step.THROTTLING'],
    [dockerFailure({ during: 'run', engineText: 'says 429 but the API answered 500', status: 500 }), 'Step.SERVICE_FAULT'],
    [dockerFailure({ during: 'create', engineText: 'could not select device driver "" with capabilities: [[gpu]]', gpu: { instanceType: 'ml.p3.2xlarge', field: 'ResourceConfig.InstanceType', gpus: 1, cpuAlternative: 'ml.m5.2xlarge' } }), undefined],
    [internal, 'SageMaker.JOB_INTERNAL_ERROR'],
    [exit('  CapacityError: Unable to provision requested ML compute capacity'), 'SageMaker.CAPACITY_ERROR'],
    [exit('InsufficientCapacityError'), 'SageMaker.CAPACITY_ERROR'],
    [exit('ResourceLimitExceeded: quota'), 'SageMaker.RESOURCE_LIMIT'],
    [exit('Traceback …\nValueError: InternalServerError'), undefined],
    [exit(), undefined],
    [stepFailure('oom-killed', { exitCode: 137, logTail: [] }), undefined],
    [stepFailure('image-missing', { image: 'x' }), undefined],
    [stepFailure('input-missing', { input: 'a', uri: 's3://b/a', message: 'missing' }), undefined],
    [stepFailure('invalid-arguments', { field: 'X', problem: 'is missing', fix: 'set it' }), undefined],
    [stepFailure('expression', { message: 'bad' }), undefined],
    [stepFailure('output-commit', { message: 'disk full' }), undefined],
    [stepFailure('stopped', { when: 'container' }), undefined],
    [stepFailure('legacy', { was: 'docker-error', message: 'Docker failed: (HTTP code 429) toomanyrequests' }), undefined],
  ])('%o → %s', (failure, type) => {
    expect(exceptionTypeOf(failure)).toBe(type);
  });

  it('describes a failure for `show`', () => {
    expect(describeFailureType(internal)).toBe('SageMaker.JOB_INTERNAL_ERROR');
    expect(describeFailureType(exit())).toBe('exit-nonzero, not retryable');
    expect(describeFailureType(stepFailure('legacy', { was: 'oom-killed', message: 'old words' }))).toBe('oom-killed, not retryable');
  });
});

describe('policy matching and backoff', () => {
  it('picks the first policy listing the type', () => {
    const ps = [policy(['Step.SERVICE_FAULT']), policy(['SageMaker.CAPACITY_ERROR', 'SageMaker.JOB_INTERNAL_ERROR']), policy(['SageMaker.JOB_INTERNAL_ERROR'])];
    expect(matchPolicy(ps, 'SageMaker.JOB_INTERNAL_ERROR')).toBe(1);
    expect(matchPolicy(ps, 'Step.THROTTLING')).toBeUndefined();
  });

  it('waits IntervalSeconds × BackoffRate^(n-1)', () => {
    const p = policy(['Step.SERVICE_FAULT'], { intervalSeconds: 3, backoffRate: 1.5 });
    expect([1, 2, 3, 4].map((n) => backoffMs(p, n))).toEqual([3000, 4500, 6750, 10125]);
    expect(backoffMs(policy(['Step.SERVICE_FAULT'], { intervalSeconds: 0 }), 3)).toBe(0);
  });

  it('does not retry unmapped failures or types no policy lists', () => {
    expect(decideRetry([policy(['SageMaker.JOB_INTERNAL_ERROR'])], exit(), 1, [0], 0, 0))
      .toEqual({ retry: false, why: 'exit-nonzero failures are not retryable' });
    expect(decideRetry([policy(['SageMaker.CAPACITY_ERROR'])], internal, 1, [0], 0, 0))
      .toEqual({ retry: false, why: 'no retry policy lists SageMaker.JOB_INTERNAL_ERROR' });
  });

  it('MaxAttempts counts retries; 0 never retries', () => {
    const p = [policy(['SageMaker.JOB_INTERNAL_ERROR'], { maxAttempts: 2 })];
    expect(decideRetry(p, internal, 2, [1], 0, 0)).toMatchObject({ retry: true, info: { retry: 2, maxRetries: 2, waitMs: 2000 } });
    expect(decideRetry(p, internal, 3, [2], 0, 0)).toEqual({ retry: false, why: 'the retry policy for SageMaker.JOB_INTERNAL_ERROR allows 2 retries' });
    expect(decideRetry([policy(['SageMaker.JOB_INTERNAL_ERROR'], { maxAttempts: 0 })], internal, 1, [0], 0, 0)).toMatchObject({ retry: false });
  });

  it('ExpireAfterMin counts from the first attempt', () => {
    const p = [{ exceptionTypes: ['SageMaker.JOB_INTERNAL_ERROR' as const], intervalSeconds: 1, backoffRate: 2, expireAfterMin: 2 }];
    expect(decideRetry(p, internal, 1, [0], 1000, 1000 + 119_999)).toMatchObject({ retry: true, info: { retryUntil: 121_000 } });
    expect(decideRetry(p, internal, 1, [0], 1000, 1000 + 120_000)).toMatchObject({ retry: false });
  });
});

describe('withRetries', () => {
  /** Attempts failing with the given failures, then succeeding; records the waits asked for. */
  function scripted(failures: StepFailure[]) {
    let n = 0;
    const waits: number[] = [];
    const retries: RetryInfo[] = [];
    const attempt = () => {
      n++;
      const f = failures[n - 1];
      return Promise.resolve({ attempt: n, result: f === undefined ? ok('done') : err(f) });
    };
    const opts = (policies: RetryPolicy[], signal = new AbortController().signal) => ({
      policies, signal, onRetry: (i: RetryInfo) => retries.push(i),
      wait: (ms: number) => { waits.push(ms); return Promise.resolve(true); },
    });
    return { attempt, opts, waits, retries, count: () => n };
  }

  it('recovers a step that fails once', async () => {
    const s = scripted([internal]);
    const out = await withRetries(s.opts([policy(['SageMaker.JOB_INTERNAL_ERROR'], { maxAttempts: 3 })]), s.attempt);
    expect(out).toEqual({ attempt: 2, result: ok('done') });
    expect(s.waits).toEqual([1000]);
    expect(s.retries.map((r) => [r.attempt, r.exceptionType, r.retry, r.maxRetries])).toEqual([[1, 'SageMaker.JOB_INTERNAL_ERROR', 1, 3]]);
  });

  it('backs off exactly and gives up after MaxAttempts retries', async () => {
    const s = scripted(Array.from({ length: 10 }, () => internal));
    const out = await withRetries(s.opts([policy(['SageMaker.JOB_INTERNAL_ERROR'], { intervalSeconds: 2, backoffRate: 3, maxAttempts: 3 })]), s.attempt);
    expect(out.attempt).toBe(4);
    expect(out.result).toEqual(err(internal));
    expect(s.waits).toEqual([2000, 6000, 18000]);
  });

  it('counts retries per policy', async () => {
    const docker: StepFailure = dockerFailure({ during: 'run', engineText: 'daemon hiccup' });
    const s = scripted([internal, docker, internal, docker]);
    const ps = [policy(['Step.SERVICE_FAULT'], { intervalSeconds: 10, backoffRate: 2, maxAttempts: 1 }), policy(['SageMaker.JOB_INTERNAL_ERROR'], { maxAttempts: 5 })];
    const out = await withRetries(s.opts(ps), s.attempt);
    expect(out.attempt).toBe(4);
    expect(out.result.ok).toBe(false);
    expect(s.waits).toEqual([1000, 10000, 2000]);
  });

  it('never retries a non-matching failure, nor without policies', async () => {
    const s = scripted([exit(), exit()]);
    expect((await withRetries(s.opts([policy(['SageMaker.JOB_INTERNAL_ERROR'])]), s.attempt)).attempt).toBe(1);
    const t = scripted([internal]);
    expect((await withRetries(t.opts([]), t.attempt)).attempt).toBe(1);
    expect(t.waits).toEqual([]);
  });

  it('a stop during the wait ends as stopped', async () => {
    const ac = new AbortController();
    let n = 0;
    const pending = withRetries(
      { policies: [policy(['SageMaker.JOB_INTERNAL_ERROR'], { intervalSeconds: 60 })], signal: ac.signal, onRetry: () => setTimeout(() => ac.abort(), 20) },
      () => Promise.resolve({ attempt: ++n, result: err(internal) }),
    );
    const started = Date.now();
    const out = await pending;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(n).toBe(1);
    expect(out.result).toEqual(err(stepFailure('stopped', { when: 'retry-wait', attempt: 1, exceptionType: 'SageMaker.JOB_INTERNAL_ERROR' })));
    expect(!out.result.ok && words(out.result.error, { name: 'T', type: 'Training' })).toBe('stopped while waiting to retry after attempt 1 failed (SageMaker.JOB_INTERNAL_ERROR)');
  });

  it('sleep resolves false at once on an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await sleep(10_000, ac.signal)).toBe(false);
    expect(await sleep(1, new AbortController().signal)).toBe(true);
  });
});
