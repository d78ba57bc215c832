import { copyFile, link, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mount } from '../contracts/container-runtime.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { StepContext } from '../contracts/executor.js';
import { withWhere, stepFailure, type StepFailure } from '../contracts/step-failure.js';

/** One input of a job: where its data comes from and where the container sees it (read-only). */
export interface StepInput {
  name: string;
  uri: string;
  containerPath: string;
  /** Field path of the URI in the Arguments, for messages. */
  field: string;
}

/** Content hash of every input, by name. */
export async function hashStepInputs(ctx: StepContext, inputs: readonly StepInput[]): Promise<Result<Record<string, string>, StepFailure>> {
  const out: Record<string, string> = {};
  for (const input of inputs) {
    const h = await ctx.artifacts.hashInput(input.uri, ctx.upstreamOutputs);
    if (!h.ok) return err(named(ctx, input, h.error));
    out[input.name] = h.value.hash;
  }
  return ok(out);
}

/**
 * Stages every input under `<attemptDir>/inputs/<name>` and returns the mounts for them. As in SageMaker, where inputs
 * are downloaded copies, a job may create files in its input directories (a FrameworkProcessor's runproc.sh untars its
 * code in place): a staged directory of hard links is mounted writable; a source directory served in place stays
 * read-only.
 */
export async function stageStepInputs(ctx: StepContext, inputs: readonly StepInput[]): Promise<Result<Mount[], StepFailure>> {
  const mounts: Mount[] = [];
  for (const [i, input] of inputs.entries()) {
    const dir = join(ctx.attemptDir, 'inputs', safeDirName(input.name, i));
    const staged = await ctx.artifacts.stageInput(input.uri, dir, ctx.upstreamOutputs);
    if (!staged.ok) return err(named(ctx, input, staged.error));
    let hostPath = staged.value.hostPath;
    const inStaging = hostPath === dir || hostPath.startsWith(`${dir}/`);
    // Another input mounted inside this one (a ScriptProcessor's code at /opt/ml/processing/input/code under an input
    // at /opt/ml/processing/input) needs a mount point Docker can create: stage a linked copy instead of the source.
    const nests = inputs.some((o) => o !== input && o.containerPath.startsWith(`${input.containerPath.replace(/\/+$/, '')}/`));
    if (!inStaging && nests) {
      try {
        await linkTree(hostPath, dir);
      } catch (e) {
        return err(named(ctx, input, stepFailure('input-missing', { input: input.name, uri: input.uri, message: `Input ${input.uri} could not be staged in ${dir}: ${(e as Error).message}.` })));
      }
      hostPath = dir;
    }
    mounts.push({ hostPath, containerPath: input.containerPath, readOnly: !inStaging && !nests });
  }
  return ok(mounts);
}

/** Hard links (or copies, across devices) of every file under `from`, at the same paths under `to`. */
async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const e of await readdir(from, { withFileTypes: true })) {
    const [s, d] = [join(from, e.name), join(to, e.name)];
    if (e.isDirectory()) await linkTree(s, d);
    else await link(s, d).catch(() => copyFile(s, d));
  }
}

/** A directory name for an input or output: the name itself when it is plain, else an index-prefixed clean form. */
export function safeDirName(name: string, index: number): string {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) ? name : `${index}-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
}

/** The store knows the URI but not which input it was: add the input's name, step and field. */
function named(ctx: StepContext, input: StepInput, f: StepFailure): StepFailure {
  const where = `${ctx.stepType} step "${ctx.stepName}", input "${input.name}" (Arguments.${input.field})`;
  return withWhere(f.reason === 'input-missing' || f.reason === 'disk-full' ? { ...f, input: input.name } : f, where);
}
