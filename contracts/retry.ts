import type { StepFailure } from './step-failure.js';

/**
 * SageMaker's retry-policy contract: the exception types of sagemaker.workflow.retry (StepExceptionTypeEnum and
 * SageMakerJobExceptionTypeEnum), a RetryPolicies entry as the loader checks it, and what a retry reports.
 */
export const STEP_EXCEPTION_TYPES = ['Step.SERVICE_FAULT', 'Step.THROTTLING'] as const;
export const SAGEMAKER_JOB_EXCEPTION_TYPES = ['SageMaker.JOB_INTERNAL_ERROR', 'SageMaker.CAPACITY_ERROR', 'SageMaker.RESOURCE_LIMIT'] as const;
export const EXCEPTION_TYPES: readonly ExceptionType[] = [...STEP_EXCEPTION_TYPES, ...SAGEMAKER_JOB_EXCEPTION_TYPES];

export type ExceptionType = (typeof STEP_EXCEPTION_TYPES)[number] | (typeof SAGEMAKER_JOB_EXCEPTION_TYPES)[number];

/** Spellings accepted for a type: older AWS documentation wrote `SageMaker.JOB_CAPACITY_ERROR`. */
const ALIASES: ReadonlyMap<string, ExceptionType> = new Map([['SageMaker.JOB_CAPACITY_ERROR', 'SageMaker.CAPACITY_ERROR']]);

/** The exception type a definition names (`undefined` when it is not one of SageMaker's). */
export function parseExceptionType(name: string): ExceptionType | undefined {
  return (EXCEPTION_TYPES as readonly string[]).includes(name) ? (name as ExceptionType) : ALIASES.get(name);
}

/**
 * One entry of a step's `RetryPolicies`, as SageMaker reads it (defaults filled in by the loader):
 * after a failure of one of `exceptionTypes`, wait `intervalSeconds × backoffRate^(n-1)` before the n-th retry, and
 * stop retrying after `maxAttempts` retries (retries, not attempts: 0 means never retry) or once the failure happens
 * more than `expireAfterMin` minutes after the step's first attempt started. Exactly one of the two limits is set.
 */
export interface RetryPolicy {
  exceptionTypes: ExceptionType[];
  intervalSeconds: number;
  backoffRate: number;
  maxAttempts?: number;
  expireAfterMin?: number;
}

export const RETRY_DEFAULTS = { intervalSeconds: 1, backoffRate: 2, maxAttempts: 5 } as const;
export const RETRY_LIMITS = { intervalSeconds: 43_200, maxAttempts: 20, expireAfterMin: 14_400 } as const;

export interface RetryInfo {
  /** The attempt that failed and its mapped exception type. */
  attempt: number;
  failure: StepFailure;
  exceptionType: ExceptionType;
  /** Which retry this is under the matching policy (1-based), and how many that policy allows (absent: time-bound). */
  retry: number;
  maxRetries?: number;
  /** Time-bound policies: when retries stop (epoch ms). */
  retryUntil?: number;
  waitMs: number;
}
