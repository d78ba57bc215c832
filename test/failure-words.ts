import { imageProblemText } from '../cli/render-refusal.js';
import type { ImageProblem } from '../contracts/image-resolver.js';
import type { Result } from '../kernel/result.js';
import { failureSentence, type StepRef } from '../cli/render-failure.js';
import type { StepFailure } from '../contracts/step-failure.js';

/** The words a user sees for a failure of `step` (cli/render-failure.ts): what tests compare message text with. */
export function words(f: StepFailure | undefined | false, step: StepRef): string {
  if (f === undefined || f === false) return '';
  return failureSentence(step, f);
}

/** A failure as `{ ...data, message: words }` without its version, retryable flag and word parts, for `toEqual`. */
export function worded(f: StepFailure | undefined, step: StepRef): Record<string, unknown> | undefined {
  if (f === undefined) return undefined;
  const { v: _v, retryable: _r, ...data } = f;
  const rest: Record<string, unknown> = { ...data };
  for (const k of ['problem', 'fix', 'failureSummary', 'platformFault', 'when']) delete rest[k];
  return { ...rest, message: failureSentence(step, f) };
}

/** The words of an image problem (cli/render-refusal.ts); '' when there is none. */
export function problemWords(p: ImageProblem | undefined | false): string {
  return p === undefined || p === false ? '' : imageProblemText(p);
}

/** A failed resolution as `{ ok, error: { uri, local, message } }`, for `toEqual` on the words. */
export function imageWorded<T>(r: Result<T, ImageProblem>): unknown {
  return r.ok ? r : { ok: false, error: { uri: r.error.uri, local: r.error.local, message: imageProblemText(r.error) } };
}
