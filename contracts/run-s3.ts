import type { JobS3Access, S3Endpoint, SideEffects } from './s3-endpoint.js';

/**
 * What a run needs of the S3 endpoint (contracts/s3-endpoint.ts), handed in by whoever builds the services (cli/):
 * the engine starts one endpoint per run, reads the side effects the endpoint recorded against a step attempt, and
 * asks what a key of the `s3/` view holds now (for the cache decision's check of a step's side reads).
 */
export interface RunS3Services {
  /** The region the endpoint answers for (AWS_REGION in the containers, GetBucketLocation's answer). */
  region: string;
  /**
   * Starts an endpoint (listening on loopback) for one run; the engine closes it when the run ends. `log` takes the
   * endpoint's notable events (a read of a key the store lacks, an internal error) into the run's log.
   */
  start(runId: string, log: (line: string) => void): Promise<S3Endpoint>;
  /** What one step attempt wrote, read and deleted through the endpoint (recorded as it happened). */
  sideEffects(runId: string, step: string, attempt: number): SideEffects;
  /** The sha256 of the object s3://bucket/key in the store now; null when there is none. */
  objectHash(bucket: string, key: string): Promise<string | null>;
}

/** What one step attempt's executor sees of the run's endpoint (StepContext.s3). */
export interface StepS3 {
  /** The run's Docker network (`cairn-<runId>`): every container of the attempt joins it, unless network-isolated. */
  network: string;
  /**
   * The attempt's access (granted on first call, the same grant after that; revoked when the attempt ends):
   * `container` for a container on `network`, `loopback` for code on the host (Lambda modules).
   */
  access(): { container: JobS3Access; loopback: JobS3Access };
}
