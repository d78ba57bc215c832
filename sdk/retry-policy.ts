/**
 * sagemaker.workflow.retry: how often and how fast a step is retried after a given kind of failure. A step takes a
 * list of them (`retryPolicies`); each becomes one entry of the step's `RetryPolicies`.
 */

/** sagemaker.workflow.retry.StepExceptionTypeEnum. */
export const StepExceptionType = { SERVICE_FAULT: 'Step.SERVICE_FAULT', THROTTLING: 'Step.THROTTLING' } as const;
export type StepExceptionTypeValue = (typeof StepExceptionType)[keyof typeof StepExceptionType];

/** sagemaker.workflow.retry.SageMakerJobExceptionTypeEnum. */
export const SageMakerJobExceptionType = {
  INTERNAL_ERROR: 'SageMaker.JOB_INTERNAL_ERROR',
  CAPACITY_ERROR: 'SageMaker.CAPACITY_ERROR',
  RESOURCE_LIMIT: 'SageMaker.RESOURCE_LIMIT',
} as const;
export type SageMakerJobExceptionTypeValue = (typeof SageMakerJobExceptionType)[keyof typeof SageMakerJobExceptionType];

export interface RetryPolicyOptions {
  /** Seconds before the first retry (default 1). */
  intervalSeconds?: number;
  /** Factor applied to the interval after each retry (default 2.0). */
  backoffRate?: number;
  /** At most this many attempts (1–20). */
  maxAttempts?: number;
  /** Stop retrying this many minutes after the first failure (0–14400). */
  expireAfterMins?: number;
}

function check(kind: string, o: RetryPolicyOptions): void {
  const bad = (field: string, v: unknown, rule: string): Error => new Error(`${kind}: "${field}" ${JSON.stringify(v)} must be ${rule}`);
  if (o.maxAttempts !== undefined && (!Number.isInteger(o.maxAttempts) || o.maxAttempts < 1 || o.maxAttempts > 20)) throw bad('maxAttempts', o.maxAttempts, 'an integer from 1 to 20');
  if (o.expireAfterMins !== undefined && (!Number.isInteger(o.expireAfterMins) || o.expireAfterMins < 0 || o.expireAfterMins > 14400)) {
    throw bad('expireAfterMins', o.expireAfterMins, 'an integer from 0 to 14400');
  }
  if (o.intervalSeconds !== undefined && (!Number.isInteger(o.intervalSeconds) || o.intervalSeconds < 1 || o.intervalSeconds > 43200)) {
    throw bad('intervalSeconds', o.intervalSeconds, 'an integer from 1 to 43200');
  }
  if (o.backoffRate !== undefined && !(o.backoffRate >= 0)) throw bad('backoffRate', o.backoffRate, 'a number of at least 0');
}

/** sagemaker.workflow.retry.RetryPolicy: `{BackoffRate, IntervalSeconds, MaxAttempts?, ExpireAfterMin?, ExceptionType | FailureReasonType}`. */
export abstract class RetryPolicy {
  protected constructor(readonly opts: RetryPolicyOptions) {
    check(this.constructor.name, opts);
  }

  protected base(): Record<string, unknown> {
    const r: Record<string, unknown> = { BackoffRate: this.opts.backoffRate ?? 2.0, IntervalSeconds: this.opts.intervalSeconds ?? 1 };
    if (this.opts.maxAttempts !== undefined) r.MaxAttempts = this.opts.maxAttempts;
    if (this.opts.expireAfterMins !== undefined) r.ExpireAfterMin = this.opts.expireAfterMins;
    return r;
  }

  abstract toRequest(): Record<string, unknown>;
}

/** Retries a step after a service fault or throttling (sagemaker.workflow.retry.StepRetryPolicy). */
export class StepRetryPolicy extends RetryPolicy {
  readonly exceptionTypes: StepExceptionTypeValue[];

  constructor(opts: RetryPolicyOptions & { exceptionTypes: StepExceptionTypeValue[] }) {
    super(opts);
    if (opts.exceptionTypes.length === 0) throw new Error('StepRetryPolicy: "exceptionTypes" needs at least one exception type');
    this.exceptionTypes = [...opts.exceptionTypes];
  }

  toRequest(): Record<string, unknown> {
    return { ...this.base(), ExceptionType: this.exceptionTypes };
  }
}

/** Retries a SageMaker job step after a job failure of the given kinds (sagemaker.workflow.retry.SageMakerJobStepRetryPolicy). */
export class SageMakerJobStepRetryPolicy extends RetryPolicy {
  readonly exceptionTypes: SageMakerJobExceptionTypeValue[];

  constructor(opts: RetryPolicyOptions & { exceptionTypes?: SageMakerJobExceptionTypeValue[]; failureReasonTypes?: SageMakerJobExceptionTypeValue[] }) {
    super(opts);
    this.exceptionTypes = [...(opts.exceptionTypes ?? opts.failureReasonTypes ?? [])];
    if (this.exceptionTypes.length === 0) throw new Error('SageMakerJobStepRetryPolicy: "exceptionTypes" needs at least one exception type');
  }

  toRequest(): Record<string, unknown> {
    return { ...this.base(), ExceptionType: this.exceptionTypes };
  }
}
