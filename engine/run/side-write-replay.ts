import { err, ok, type Result } from '../../kernel/result.js';
import type { StepFailure } from '../../contracts/step-failure.js';
import type { RunContext } from './run-context.js';
import { executionSideEffects, sideWriteOutputs } from './side-effects.js';

/**
 * A reused step's side writes, replayed: every key the reused execution wrote through the S3 endpoint is put back into
 * the `s3/` view from the content store, byte for byte, where it is missing or holds other bytes (the cache decision
 * checked the blobs with checkBlob first; side-effect-check.ts). Returns the keys put back.
 */
export async function replaySideWrites(rc: RunContext, source: { runId: string; step: string }): Promise<Result<string[], StepFailure>> {
  const found = executionSideEffects(rc.services.s3, rc.services.store, source.runId, source.step);
  if (found === undefined || found.effects.writes.length === 0) return ok([]);
  const restored = await rc.services.artifacts.restoreDestinations(sideWriteOutputs(found.effects.writes));
  if (!restored.ok) return err(restored.error);
  rc.log.info({ step: source.step, from: found.runId, attempt: found.attempt, writes: found.effects.writes.length, restored: restored.value },
    'side writes replayed');
  return restored;
}
