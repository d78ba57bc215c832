import { stepFailure, type StepFailure } from '../../contracts/step-failure.js';
import { RETRY_DEFAULTS, type ExceptionType, type RetryInfo, type RetryPolicy } from '../../contracts/retry.js';
import { exceptionTypeOf } from './exception-types.js';
import { err, type Result } from '../../kernel/result.js';


/** The first policy that lists the exception type, as SageMaker picks it. */
export function matchPolicy(policies: readonly RetryPolicy[], type: ExceptionType): number | undefined {
  const i = policies.findIndex((p) => p.exceptionTypes.includes(type));
  return i < 0 ? undefined : i;
}

/** Milliseconds to wait before the `retry`-th retry (1-based) under a policy. */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  return Math.round(policy.intervalSeconds * policy.backoffRate ** (retry - 1) * 1000);
}

export type RetryDecision = { retry: true; info: RetryInfo; policy: number } | { retry: false; why: string };

/**
 * Whether a failed attempt is retried. `used[i]`: retries already made under policy i in this execution of the step;
 * `firstStartedAt`: when the step's first attempt started (ExpireAfterMin counts from there).
 */
export function decideRetry(
  policies: readonly RetryPolicy[],
  failure: StepFailure,
  attempt: number,
  used: readonly number[],
  firstStartedAt: number,
  now: number,
): RetryDecision {
  const type = exceptionTypeOf(failure);
  if (type === undefined) return { retry: false, why: `${failure.reason} failures are not retryable` };
  const i = matchPolicy(policies, type);
  const policy = i === undefined ? undefined : policies[i];
  if (i === undefined || policy === undefined) return { retry: false, why: `no retry policy lists ${type}` };
  const retry = (used[i] ?? 0) + 1;
  const info: RetryInfo = { attempt, failure, exceptionType: type, retry, waitMs: backoffMs(policy, retry) };
  if (policy.expireAfterMin !== undefined) {
    const until = firstStartedAt + policy.expireAfterMin * 60_000;
    if (now >= until) return { retry: false, why: `the retry policy for ${type} expired after ${policy.expireAfterMin} min` };
    info.retryUntil = until;
  } else {
    const max = policy.maxAttempts ?? RETRY_DEFAULTS.maxAttempts;
    if (retry > max) return { retry: false, why: `the retry policy for ${type} allows ${max} retr${max === 1 ? 'y' : 'ies'}` };
    info.maxRetries = max;
  }
  return { retry: true, info, policy: i };
}

/** Resolves true after `ms`, or false as soon as the signal aborts (also when it already has). */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (v: boolean): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(v);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface AttemptResult<T> {
  attempt: number;
  result: Result<T, StepFailure>;
}

export interface RetryOptions {
  policies: readonly RetryPolicy[] | undefined;
  signal: AbortSignal;
  /** Told before each wait (a retry follows it unless the run is stopped meanwhile). */
  onRetry: (info: RetryInfo) => void;
  /** Told when a failed attempt is final. */
  onGiveUp?: (why: string) => void;
  now?: () => number;
  wait?: (ms: number, signal: AbortSignal) => Promise<boolean>;
}

/**
 * Runs `attempt` until it succeeds or a failure is not retried under the policies. A stop during a wait ends with a
 * `stopped` failure (the failed attempt stays recorded as it ended).
 */
export async function withRetries<T>(opts: RetryOptions, attempt: () => Promise<AttemptResult<T>>): Promise<AttemptResult<T>> {
  const now = opts.now ?? Date.now;
  const wait = opts.wait ?? sleep;
  const policies = opts.policies ?? [];
  const used = policies.map(() => 0);
  const firstStartedAt = now();
  for (;;) {
    const out = await attempt();
    if (out.result.ok || policies.length === 0 || out.result.error.reason === 'stopped') return out;
    const d = decideRetry(policies, out.result.error, out.attempt, used, firstStartedAt, now());
    if (!d.retry) {
      opts.onGiveUp?.(d.why);
      return out;
    }
    used[d.policy] = d.info.retry;
    opts.onRetry(d.info);
    if (!(await wait(d.info.waitMs, opts.signal))) {
      return { attempt: out.attempt, result: err(stepFailure('stopped', { when: 'retry-wait', attempt: out.attempt, exceptionType: d.info.exceptionType })) };
    }
  }
}
