import { s3ObjectHash } from '../cache/s3-object-hash.js';
import { startS3Endpoint } from '../cache/s3-endpoint/s3-endpoint.js';
import type { Store } from '../cache/store.js';
import type { Home } from '../contracts/home.js';
import type { RunS3Services } from '../contracts/run-s3.js';

/**
 * The S3 endpoint a run starts for its containers (cache/s3-endpoint/), over the store of `home`. The region is the
 * one the user's AWS configuration names (AWS_REGION, AWS_DEFAULT_REGION), else us-east-1: what the containers get as
 * AWS_REGION and GetBucketLocation answers.
 */
export function runS3Services(home: Home, store: Store, env: NodeJS.ProcessEnv = process.env): RunS3Services {
  const region = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? 'us-east-1';
  const hashCache = { get: (p: string) => store.getFileHash(p), put: store.putFileHash.bind(store) };
  return {
    region,
    start: (_runId, log) => startS3Endpoint({ home: home.root, store, region, log, hashCache }),
    sideEffects: (runId, step, attempt) => store.sideEffects(runId, step, attempt),
    objectHash: (bucket, key) => s3ObjectHash(home.root, bucket, key, hashCache),
  };
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);
