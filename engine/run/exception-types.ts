import type { ExceptionType } from '../../contracts/retry.js';
import type { PlatformFault, StepFailure } from '../../contracts/step-failure.js';

/**
 * SageMaker's retry-policy exception types (sagemaker.workflow.retry: StepExceptionTypeEnum and
 * SageMakerJobExceptionTypeEnum), and how a local step failure maps onto them. A failure that maps to no type is never
 * retried, whatever the step's RetryPolicies say, just as SageMaker never retries an AlgorithmError or ClientError.
 *
 * | local failure (contracts/step-failure.ts)                     | exception type                | SageMaker counterpart                         |
 * |------------------------------------------------------|-------------------------------|-----------------------------------------------|
 * | `docker-error` whose Docker API answer had HTTP status 429 (`status`) | `Step.THROTTLING` | throttling by a downstream service     |
 * | `docker-error`: any other Docker daemon / API error  | `Step.SERVICE_FAULT`          | internal or transient error of a service call |
 * | `docker-error` with `gpu` (no GPU runtime; `retryable: false`) | none                | (a local limitation; a retry cannot fix it)   |
 * | `exit-nonzero`, /opt/ml/output/failure starts with `InternalServerError` | `SageMaker.JOB_INTERNAL_ERROR` | FailureReason `InternalServerError: …` |
 * | `exit-nonzero`, failure file starts with `CapacityError` / `InsufficientCapacityError` | `SageMaker.CAPACITY_ERROR` | FailureReason `CapacityError: …` |
 * | `exit-nonzero`, failure file starts with `ResourceLimitExceeded` | `SageMaker.RESOURCE_LIMIT` | `ResourceLimitExceeded` |
 * | `exit-nonzero`, anything else                        | none                          | `AlgorithmError` / `ClientError`: not retried |
 * | `oom-killed`                                         | none                          | `AlgorithmError` (exit 137): not retried      |
 * | `image-missing` (image absent, pull refused)         | none                          | `ClientError` (cannot pull the image)         |
 * | `input-missing`, `invalid-arguments`, `expression`, `output-commit`, `upstream-failed`, `stopped` | none | validation / client errors, or a stop |
 *
 * The failure-file prefixes are cairn's convention (SageMaker itself would report such a container as an
 * AlgorithmError): they let a job simulate the platform faults that SageMaker retries, to try a retry policy locally.
 * They are parsed once, where the failure is made (contracts/step-failure.ts `exitFailure`, into `platformFault`);
 * this mapping reads only fields: `retryable`, `status`, `platformFault`.
 */
const FAULT_TYPES: Record<PlatformFault, ExceptionType> = {
  InternalServerError: 'SageMaker.JOB_INTERNAL_ERROR',
  CapacityError: 'SageMaker.CAPACITY_ERROR',
  ResourceLimitExceeded: 'SageMaker.RESOURCE_LIMIT',
};

/** The HTTP status of a throttled Docker API call. */
const TOO_MANY_REQUESTS = 429;

/** The SageMaker exception type of a local failure (the table above); `undefined`: not retryable. */
export function exceptionTypeOf(failure: StepFailure): ExceptionType | undefined {
  if (!failure.retryable) return undefined;
  switch (failure.reason) {
    case 'docker-error':
      return failure.status === TOO_MANY_REQUESTS ? 'Step.THROTTLING' : 'Step.SERVICE_FAULT';
    case 'exit-nonzero':
      return failure.platformFault === undefined ? undefined : FAULT_TYPES[failure.platformFault];
    default:
      return undefined;
  }
}

/** For `show`: `SageMaker.JOB_INTERNAL_ERROR`, or `exit-nonzero, not retryable`. */
export function describeFailureType(failure: StepFailure): string {
  const type = exceptionTypeOf(failure);
  // A record of the previous cairn keeps the reason it was stored with.
  return type ?? `${failure.reason === 'legacy' ? failure.was : failure.reason}, not retryable`;
}
