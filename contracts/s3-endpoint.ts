/**
 * The S3 endpoint a run's job containers talk to (issue 11): an S3-compatible HTTP server over cairn's own store,
 * alive while a run is active. cache/ implements it (the server, its store backend, the side-effect records); cli/
 * starts one per run and stops it; steps/ put `jobS3Environment` into every container they start.
 *
 * Every step attempt gets its own throwaway credentials (`grant`); a request is accepted only when it is signed
 * (AWS Signature V4) with a granted, unrevoked key, and whatever it writes or reads is recorded against that attempt.
 */
export interface S3Principal {
  runId: string;
  step: string;
  attempt: number;
}

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** An object a job wrote through the endpoint: already in the content store and the s3/ view when this is recorded. */
export interface SideWrite {
  bucket: string;
  key: string;
  /** sha256 of the bytes (the content store's key). */
  hash: string;
  size: number;
  /** The ETag the endpoint answered (md5 hex in quotes; `"<md5 of part md5s>-<parts>"` for a multipart upload). */
  etag: string;
}

/** An object a job read through the endpoint: its content hash then, or null when it was absent (404 NoSuchKey). */
export interface SideRead {
  bucket: string;
  key: string;
  hash: string | null;
}

export interface SideEffects {
  writes: SideWrite[];
  reads: SideRead[];
  /** Keys deleted through the endpoint (DeleteObject/DeleteObjects). */
  deletes: { bucket: string; key: string }[];
}

export interface S3Endpoint {
  /** `http://127.0.0.1:<port>`: for host-side clients (Lambda modules, tests). */
  readonly loopbackUrl: string;
  /** Also listens on `address` (the host side of a run's Docker network); resolves to that listener's URL. */
  listenOn(address: string): Promise<string>;
  /** Throwaway credentials for one step attempt; requests signed with them are attributed to it. */
  grant(principal: S3Principal): S3Credentials;
  /** Ends a grant (later requests with that key get 403) and returns what the attempt did through the endpoint. */
  revoke(accessKeyId: string): SideEffects;
  /** Closes every listener; in-flight requests finish first. Revokes every grant. */
  close(): Promise<void>;
}

/** The endpoint as one container sees it. */
export interface JobS3Access {
  /** URL reachable from the container (the run network's gateway address). */
  endpointUrl: string;
  region: string;
  credentials: S3Credentials;
}

/**
 * The environment a job container gets so that boto3, the AWS CLI, the SageMaker toolkits and `@step` talk to the
 * run's endpoint: the endpoint (generic and S3-specific), the region, the attempt's credentials, and no instance
 * metadata lookups.
 */
export function jobS3Environment(access: JobS3Access): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: access.endpointUrl,
    AWS_ENDPOINT_URL_S3: access.endpointUrl,
    AWS_REGION: access.region,
    AWS_DEFAULT_REGION: access.region,
    AWS_ACCESS_KEY_ID: access.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: access.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: access.credentials.sessionToken,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
