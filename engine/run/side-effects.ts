import type { Store } from '../../cache/store.js';
import type { RecordedOutput } from '../../contracts/artifacts.js';
import type { RunS3Services } from '../../contracts/run-s3.js';
import type { SideEffects, SideWrite } from '../../contracts/s3-endpoint.js';

/**
 * The side effects (S3 writes, reads and deletes through the run's endpoint) of one execution of a step: those of its
 * succeeded attempt, where the endpoint recorded them. A step reused from an earlier run has none of its own: they are
 * the execution's it was reused from (`reusedFrom`). Undefined when there is no endpoint or the step never succeeded.
 */
export function executionSideEffects(
  s3: Pick<RunS3Services, 'sideEffects'> | undefined, store: Pick<Store, 'getAttempts' | 'getStep'>, runId: string, step: string,
): { runId: string; attempt: number; effects: SideEffects } | undefined {
  if (s3 === undefined) return undefined;
  const record = store.getStep(runId, step);
  if (record?.reused === true && record.reusedFrom !== undefined && record.reusedFrom !== runId) {
    return executionSideEffects(s3, store, record.reusedFrom, step);
  }
  const succeeded = store.getAttempts(runId, step).filter((a) => a.status === 'succeeded').pop();
  if (succeeded === undefined) return undefined;
  return { runId, attempt: succeeded.attempt, effects: s3.sideEffects(runId, step, succeeded.attempt) };
}

/**
 * Side writes as one-file outputs (`s3://bucket/key`, the blob of its hash): the form the artifact store verifies
 * (checkBlob) and puts back into the `s3/` view, byte for byte, when a step is reused. A key written twice counts once
 * (the last write).
 */
export function sideWriteOutputs(writes: readonly SideWrite[]): RecordedOutput[] {
  const last = new Map<string, SideWrite>();
  for (const w of writes) last.set(`${w.bucket}/${w.key}`, w);
  return [...last.values()].map((w) => ({
    name: sideWriteName(w),
    uri: `s3://${w.bucket}/${w.key}`,
    hash: `sha256:${w.hash}`,
    isFile: true,
    files: [{ path: w.key.split('/').pop() ?? w.key, hash: w.hash, size: w.size }],
  }));
}

/** How a side write is named where outputs are (an `output-lost` reason, a restore failure). */
export function sideWriteName(w: Pick<SideWrite, 'bucket' | 'key'>): string {
  return `side write s3://${w.bucket}/${w.key}`;
}
