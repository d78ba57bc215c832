import type { StepContext } from '../contracts/executor.js';
import { jobS3Environment } from '../contracts/s3-endpoint.js';

/**
 * What a job container gets of the run's S3 endpoint (issue 11): the run network and the endpoint's environment
 * (endpoint URL, region, the attempt's credentials), over the container's own environment, so boto3, the AWS CLI and
 * the SageMaker toolkits reach the store. A network-isolated container (EnableNetworkIsolation) gets neither, as on
 * SageMaker; nor does any container when the run has no endpoint (`ctx.s3` unset).
 */
export function withJobS3(ctx: Pick<StepContext, 's3'>, env: Record<string, string>, isolated: boolean): { env: Record<string, string>; network?: string } {
  if (isolated || ctx.s3 === undefined) return { env };
  return { env: { ...env, ...jobS3Environment(ctx.s3.access().container) }, network: ctx.s3.network };
}

/** The same for code cairn runs on the host (Lambda modules): the loopback URL. */
export function hostS3Environment(ctx: Pick<StepContext, 's3'>): Record<string, string> {
  return ctx.s3 === undefined ? {} : jobS3Environment(ctx.s3.access().loopback);
}
