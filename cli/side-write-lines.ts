import type { StepRecord } from '../contracts/records.js';
import type { RunS3Services } from '../contracts/run-s3.js';
import type { SideWrite } from '../contracts/s3-endpoint.js';
import type { Store } from '../cache/store.js';
import { executionSideEffects } from '../engine/run/side-effects.js';

/** The side writes of a step as `show` and `explain` list them (a reused step: those of the execution it replayed). */
export function stepSideWrites(
  records: Pick<RunS3Services, 'sideEffects'>, store: Pick<Store, 'getAttempts' | 'getStep'>, step: Pick<StepRecord, 'runId' | 'name'>,
): SideWrite[] {
  return executionSideEffects(records, store, step.runId, step.name)?.effects.writes ?? [];
}

/** One line per side write: `s3://bucket/key  <size> bytes  sha256 <hash>`, under a heading. */
export function sideWriteLines(writes: readonly SideWrite[], replayedFrom?: string): string[] {
  if (writes.length === 0) return [];
  const head = replayedFrom === undefined ? 'side writes (through the run\'s S3 endpoint):' : `side writes (replayed from run ${replayedFrom}):`;
  return [head, ...writes.map((w) => `  s3://${w.bucket}/${w.key}  ${w.size} bytes  sha256 ${w.hash}`)];
}
