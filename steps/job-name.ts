import { createHash } from 'node:crypto';

const MAX_JOB_NAME = 63;
/** cairn's stand-in account and region for ARNs: nothing here exists in AWS. */
export const LOCAL_ARN_PREFIX = 'arn:aws:sagemaker:local:000000000000';

/**
 * The job name SageMaker Pipelines would give a step's job, made valid for SageMaker (`[a-zA-Z0-9-]`, at most 63
 * characters, starting and ending alphanumeric): `pipelines-<executionId>-<stepName>`. When it is too long it is cut
 * and ends with a short hash of the full name, so different steps still get different names.
 */
export function stepJobName(executionId: string, stepName: string): string {
  const full = `pipelines-${executionId}-${stepName}`;
  const clean = full.replace(/[^a-zA-Z0-9-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '');
  if (clean.length <= MAX_JOB_NAME) return clean;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${clean.slice(0, MAX_JOB_NAME - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

export function jobArn(kind: 'processing-job' | 'training-job', jobName: string): string {
  return `${LOCAL_ARN_PREFIX}:${kind}/${jobName}`;
}
