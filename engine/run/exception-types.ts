import type { ExceptionType } from '../../contracts/retry.js';
import type { StepFailure } from '../../contracts/step-failure.js';

/**
 * SageMaker's retry-policy exception types (sagemaker.workflow.retry: StepExceptionTypeEnum and
 * SageMakerJobExceptionTypeEnum), and how a local step failure maps onto them. A failure that maps to no type is never
 * retried, whatever the step's RetryPolicies say, just as SageMaker never retries an AlgorithmError or ClientError.
 *
 * | local failure (contracts/step-failure.ts)                     | exception type                | SageMaker counterpart                         |
 * |------------------------------------------------------|-------------------------------|-----------------------------------------------|
 * | `docker-error`: the Docker API answered 429 / "too many requests" | `Step.THROTTLING` | throttling by a downstream service           |
 * | `docker-error`: any other Docker daemon / API error  | `Step.SERVICE_FAULT`          | internal or transient error of a service call |
 * | `docker-error` that is permanent (no GPU runtime)    | none                          | (a local limitation; a retry cannot fix it)   |
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
 */
const THROTTLED = /\b429\b|too ?many ?requests|throttl|rate.?limit/i;
const FAILURE_PREFIXES: [RegExp, ExceptionType][] = [
  [/^InternalServerError\b/, 'SageMaker.JOB_INTERNAL_ERROR'],
  [/^(CapacityError|InsufficientCapacityError)\b/, 'SageMaker.CAPACITY_ERROR'],
  [/^ResourceLimitExceeded\b/, 'SageMaker.RESOURCE_LIMIT'],
];

/** The SageMaker exception type of a local failure (the table above); `undefined`: not retryable. */
export function exceptionTypeOf(failure: StepFailure): ExceptionType | undefined {
  switch (failure.reason) {
    case 'docker-error':
      if (failure.permanent === true) return undefined;
      return THROTTLED.test(failure.message) ? 'Step.THROTTLING' : 'Step.SERVICE_FAULT';
    case 'exit-nonzero': {
      const text = failure.failureFile?.trimStart();
      if (text === undefined) return undefined;
      return FAILURE_PREFIXES.find(([re]) => re.test(text))?.[1];
    }
    default:
      return undefined;
  }
}

/** For `show`: `SageMaker.JOB_INTERNAL_ERROR`, or `exit-nonzero, not retryable`. */
export function describeFailureType(failure: StepFailure): string {
  const type = exceptionTypeOf(failure);
  return type ?? `${failure.reason}, not retryable`;
}
