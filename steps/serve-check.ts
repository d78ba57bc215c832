import type { ContainerRuntime } from '../contracts/container-runtime.js';
import type { StepContext } from '../contracts/executor.js';
import { stepFailure, type StepFailure } from '../contracts/step-failure.js';
import { err, ok, type Result } from '../kernel/result.js';
import { SERVE_COMMAND } from './transform-serve.js';

/** What one probe of an image found, remembered per engine and image id for the life of the process. */
type Verdict = 'serves' | 'no-serve' | 'unknown';
const probes = new WeakMap<ContainerRuntime, Map<string, Promise<Verdict>>>();

/**
 * SageMaker starts a batch transform's model as `docker run <image> serve`: the image must either have an ENTRYPOINT
 * (which receives `serve` as its argument, as the framework serving images do) or a `serve` executable on its PATH.
 * Without an ENTRYPOINT, a throwaway container (no network, nothing mounted) asks the image's own shell
 * `command -v serve`. An image that has no shell to ask is not refused (the run will say what happens).
 */
export async function checkServes(ctx: StepContext, image: { id: string; uri: string }, field: string): Promise<Result<void, StepFailure>> {
  let byImage = probes.get(ctx.runtime);
  if (byImage === undefined) probes.set(ctx.runtime, (byImage = new Map()));
  let verdict = byImage.get(image.id);
  if (verdict === undefined) byImage.set(image.id, (verdict = probe(ctx, image.id)));
  if ((await verdict) !== 'no-serve') return ok(undefined);
  const failure = stepFailure('invalid-arguments', {
    field,
    problem: `is ${image.uri}, which cannot serve a model: it has no ENTRYPOINT and no \`${SERVE_COMMAND}\` executable on its PATH (SageMaker starts a transform's model with \`docker run <image> ${SERVE_COMMAND}\`)`,
    fix: 'use an inference image (a SageMaker framework serving image, or one whose PATH has a `serve` program that answers GET /ping and POST /invocations on port 8080)',
  });
  if (ctx.onProblem === undefined) return err(failure);
  ctx.onProblem(failure);
  return ok(undefined);
}

async function probe(ctx: StepContext, id: string): Promise<Verdict> {
  const info = await ctx.runtime.inspectImage(id);
  if (info === undefined) return 'unknown';
  if ((info.entrypoint ?? []).length > 0) return 'serves';
  const r = await ctx.runtime.run(
    { image: id, entrypoint: ['/bin/sh', '-c', `command -v ${SERVE_COMMAND}`], env: {}, mounts: [], labels: ctx.labels, networkIsolated: true },
    { signal: ctx.signal },
  );
  if (!r.ok) return 'unknown';
  return r.value.exitCode === 0 ? 'serves' : r.value.exitCode === 1 || r.value.exitCode === 127 ? 'no-serve' : 'unknown';
}
