import { cp } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { err, ok, type Result } from '../kernel/result.js';
import type { StepContext } from '../contracts/executor.js';
import { withWhere, stepFailure, type StepFailure } from '../contracts/step-failure.js';

/**
 * CheckpointConfig, as SageMaker honours it: whatever is under `S3Uri` is placed in the job's checkpoint directory
 * before it starts, and what the job leaves there is saved back to `S3Uri` when it ends, failed or not. A job that is
 * run again (a retry, or `cairn resume`) therefore continues from its last checkpoint, like managed spot training.
 * The checkpoint directory is a private copy, so a job may rewrite its checkpoints freely.
 */
export async function restoreCheckpoints(ctx: StepContext, uri: string, hostDir: string): Promise<Result<number, StepFailure>> {
  const src = ctx.artifacts.hostPath(uri);
  if (!src.ok) return err(stepFailure('invalid-arguments', { field: 'CheckpointConfig.S3Uri', message: `Training step "${ctx.stepName}": CheckpointConfig.S3Uri ${src.error}` }));
  if (!existsSync(src.value) || !statSync(src.value).isDirectory()) return ok(0);
  await cp(src.value, hostDir, { recursive: true, dereference: true });
  ctx.log.info({ uri }, 'restored checkpoints');
  return ok(1);
}

export async function saveCheckpoints(ctx: StepContext, hostDir: string, uri: string, containerPath?: string): Promise<Result<void, StepFailure>> {
  const r = await ctx.artifacts.commitDirectory('checkpoints', hostDir, uri, containerPath);
  if (!r.ok) return err(withWhere(r.error, `Training step "${ctx.stepName}": saving checkpoints failed`));
  ctx.log.info({ uri, files: r.value.files.length }, 'saved checkpoints');
  return ok(undefined);
}
