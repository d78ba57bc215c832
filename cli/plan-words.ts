import type { PlannedStep } from '../engine/run/planned-step.js';
import { failureSentence } from './render-failure.js';
import { imageProblemText } from './render-refusal.js';

/** A planned step as `plan` prints it (and `plan --json` writes it): `why` in words, a missing image's `message`. */
export type WordedStep = Omit<PlannedStep, 'failure' | 'image'> & { image?: Omit<NonNullable<PlannedStep['image']>, 'problem'> & { message?: string } };

/** Puts the words of a blocking failure or image problem (data in the plan) into `why`, after any branch guard. */
export function wordPlannedStep(s: PlannedStep): WordedStep {
  const { failure, image, ...rest } = s;
  const out: WordedStep = { ...rest };
  if (image !== undefined) {
    const { problem, ...img } = image;
    out.image = problem === undefined ? img : { ...img, message: imageProblemText(problem) };
    // The plan left `why` empty (or only a branch guard's "(if Condition … is …) ") for a step its image blocks.
    const blockedByImage = problem !== undefined && failure === undefined && s.action === 'blocked' && (s.why === '' || s.why.endsWith(') '));
    if (blockedByImage) out.why = `${s.why}${imageProblemText(problem)}`;
  }
  if (failure !== undefined) out.why = `${s.why}${failureSentence({ name: s.name, type: s.type }, failure)}`;
  return out;
}
