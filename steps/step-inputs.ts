import { join } from 'node:path';
import type { Mount } from '../contracts/container-runtime.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { StepContext } from '../contracts/executor.js';
import { forInput, withWhere, type StepFailure } from '../contracts/step-failure.js';
import { keepShard, type Shard } from './input-shard.js';

/** One input of a job: where its data comes from and where the container sees it. */
export interface StepInput {
  name: string;
  uri: string;
  containerPath: string;
  /** Field path of the URI in the Arguments, for messages. */
  field: string;
  /** S3DataDistributionType ShardedByS3Key: each host of a multi-instance job gets its share of the objects. */
  sharded?: boolean;
}

/** Content hash of every input, by name. */
export async function hashStepInputs(ctx: StepContext, inputs: readonly StepInput[]): Promise<Result<Record<string, string>, StepFailure>> {
  const out: Record<string, string> = {};
  for (const input of inputs) {
    const h = await ctx.artifacts.hashInput(input.uri, ctx.upstreamOutputs);
    if (!h.ok && ctx.onProblem !== undefined) {
      ctx.onProblem(named(ctx, input, h.error));
      out[input.name] = `missing:${input.uri}`;
      continue;
    }
    if (!h.ok) return err(named(ctx, input, h.error));
    out[input.name] = h.value.hash;
  }
  return ok(out);
}

/**
 * Stages every input under `<attemptDir>/inputs/<name>` and returns the mounts for them. As in SageMaker, where inputs
 * are downloaded copies, a job may write to its inputs (a FrameworkProcessor's runproc.sh untars its code in place): a
 * staged directory holds private copies (cache/stage-copy.ts) and is mounted writable; a user's source directory
 * served in place is mounted read-only. One with another input mounted inside it (a ScriptProcessor's code at
 * /opt/ml/processing/input/code under an input at /opt/ml/processing/input) needs a mount point Docker can create
 * in it, so it is staged as a copy instead.
 */
export async function stageStepInputs(ctx: StepContext, inputs: readonly StepInput[], shard?: Shard): Promise<Result<Mount[], StepFailure>> {
  const mounts: Mount[] = [];
  for (const [i, input] of inputs.entries()) {
    const dir = join(ctx.attemptDir, 'inputs', safeDirName(input.name, i));
    const nests = inputs.some((o) => o !== input && o.containerPath.startsWith(`${input.containerPath.replace(/\/+$/, '')}/`));
    const sharded = input.sharded === true && shard !== undefined && shard.count > 1;
    const staged = await ctx.artifacts.stageInput(input.uri, dir, ctx.upstreamOutputs, nests || sharded ? { inPlace: false } : {});
    if (!staged.ok) return err(named(ctx, input, staged.error));
    const hostPath = staged.value.hostPath;
    if (sharded) {
      const kept = await keepShard(hostPath, shard);
      ctx.log.info({ input: input.name, shard: shard.index + 1, of: shard.count, objects: kept.length }, 'ShardedByS3Key: this host\'s share of the input');
    }
    const inStaging = hostPath === dir || hostPath.startsWith(`${dir}/`);
    mounts.push({ hostPath, containerPath: input.containerPath, readOnly: !inStaging });
  }
  return ok(mounts);
}

/** A directory name for an input or output: the name itself when it is plain, else an index-prefixed clean form. */
export function safeDirName(name: string, index: number): string {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) ? name : `${index}-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
}

/** The store knows the URI but not which input it was: add the input's name, step and field. */
function named(ctx: StepContext, input: StepInput, f: StepFailure): StepFailure {
  const where = `${ctx.stepType} step "${ctx.stepName}", input "${input.name}" (Arguments.${input.field})`;
  return withWhere(forInput(f, input.name, input.field), where);
}
