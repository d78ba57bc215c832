import type { Store } from '../../cache/store.js';
import type { ArtifactStore, LostFile } from '../../contracts/artifacts.js';
import type { CacheReason } from '../../contracts/cache-decision.js';
import type { RunS3Services } from '../../contracts/run-s3.js';
import type { SideRead } from '../../contracts/s3-endpoint.js';
import { executionSideEffects, sideWriteOutputs } from './side-effects.js';

/**
 * The part of the cache decision (engine/run/cache-decision.ts) that looks at what an execution did through the S3
 * endpoint: a candidate is not reused when an object it read no longer holds what it held then (or a key it found
 * absent is now there, or the other way round): `side-read-changed`, naming the key and both hashes; nor when the
 * content store lost a blob of one of its side writes (it could not be replayed): `output-lost`, with the lost files
 * (their damaged blobs are dropped before the step runs again, so its writes store the bytes anew).
 */
export type SideEffectCheck = (execution: { runId: string; step: string }) => Promise<{ reason: CacheReason; lost?: LostFile[] } | undefined>;

export function sideEffectCheck(services: {
  s3?: Pick<RunS3Services, 'sideEffects' | 'objectHash'>;
  store: Pick<Store, 'getAttempts' | 'getStep'>;
  artifacts: Pick<ArtifactStore, 'verifyOutputs'>;
}): SideEffectCheck {
  return async ({ runId, step }) => {
    const s3 = services.s3;
    const found = executionSideEffects(s3, services.store, runId, step);
    if (s3 === undefined || found === undefined) return undefined;
    for (const read of firstReads(found.effects.reads)) {
      const current = await s3.objectHash(read.bucket, read.key);
      if (current !== read.hash) {
        return { reason: { kind: 'side-read-changed', sourceRun: found.runId, bucket: read.bucket, key: read.key, recorded: read.hash, current } };
      }
    }
    const lost = await services.artifacts.verifyOutputs(sideWriteOutputs(found.effects.writes));
    const first = lost[0];
    if (first === undefined) return undefined;
    return { reason: { kind: 'output-lost', sourceRun: found.runId, output: first.output, file: first.file, state: first.state }, lost };
  };
}

/** The first read of every key: what the job saw of it before anything it did itself. */
function firstReads(reads: readonly SideRead[]): SideRead[] {
  const seen = new Map<string, SideRead>();
  for (const r of reads) if (!seen.has(`${r.bucket}/${r.key}`)) seen.set(`${r.bucket}/${r.key}`, r);
  return [...seen.values()];
}
