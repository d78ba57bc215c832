import type { PreparedStep, StepContext } from '../contracts/executor.js';
import { err, ok, type Result } from '../kernel/result.js';
import { stepFailure, type StepFailure } from '../contracts/step-failure.js';
import { standInFor } from '../containers/framework-images.js';

/**
 * `FingerprintParts.image.id` of a step whose image is not local yet but the registry says it can be pulled (plan
 * time only). Such a fingerprint cannot match a cache entry; the plan says "run (image will be pulled)", and the run
 * prepares again with `pull: true`, which records the real image id.
 */
export const IMAGE_ID_PENDING_PULL = '';

export function imageWillBePulled<Job>(prepared: PreparedStep<Job>): boolean {
  return prepared.fingerprint.image.id === IMAGE_ID_PENDING_PULL;
}

export interface StepImage {
  /** As written in the definition. */
  uri: string;
  /** What is run locally (after the image map). */
  local: string;
  /** `sha256:…`, or IMAGE_ID_PENDING_PULL. */
  id: string;
}

/** Resolves the step's image through `ctx.images`; a problem becomes an `image-missing` failure naming step and field. */
export async function resolveStepImage(ctx: StepContext, uri: string, field: string, pull: boolean): Promise<Result<StepImage, StepFailure>> {
  const r = await ctx.images.resolve(uri, {
    pull,
    signal: ctx.signal,
    onProgress: (p) => {
      ctx.log.debug({ image: uri, ...p }, 'pull progress');
      ctx.onPullProgress?.(uri, p);
    },
  });
  if (!r.ok) {
    const failure = stepFailure('image-missing', { image: uri, field, problem: r.error });
    if (ctx.onProblem === undefined) return err(failure);
    ctx.onProblem(failure);
    return ok({ uri, local: uri, id: IMAGE_ID_PENDING_PULL });
  }
  if ('pullable' in r.value) return ok({ uri, local: r.value.local, id: IMAGE_ID_PENDING_PULL });
  standInNotice(ctx, uri, r.value.local);
  return ok({ uri, local: r.value.local, id: r.value.id });
}

/**
 * A one-line notice when the image runs as a cairn stand-in of another framework version than the URI asks for
 * (e.g. tensorflow-training:2.13 on the 2.19 stand-in), once per run of the step (not at plan time).
 */
function standInNotice(ctx: StepContext, uri: string, local: string): void {
  const match = standInFor(uri);
  if (match?.note === undefined || match.standIn.image !== local || ctx.onProblem !== undefined) return;
  ctx.log.info({ image: uri, local, note: match.note }, 'stand-in of another version');
  ctx.onNotice(`image ${uri} runs as the stand-in ${local}: ${match.note}`);
}

/** At run time: the image id to run, pulling first when the plan left it pending. */
export async function runnableImage(ctx: StepContext, image: StepImage, field: string): Promise<Result<string, StepFailure>> {
  if (image.id !== IMAGE_ID_PENDING_PULL) return ok(image.id);
  const r = await resolveStepImage(ctx, image.uri, field, true);
  return r.ok ? ok(r.value.id) : r;
}
