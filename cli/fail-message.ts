import type { Store } from '../cache/store.js';
import { failureSentence } from './render-failure.js';

/**
 * The messages of the Fail steps a run reached. In plain and live mode the progress view writes to stdout; these go to
 * stderr as well, so a pipeline's own failure message is where a user (or a script) looks for errors. With --json the
 * progress view already writes to stderr, and `failureReason` carries the message.
 */
export function failStepMessages(store: Store, runId: string): string[] {
  const out: string[] = [];
  for (const s of store.getSteps(runId)) {
    if (s.status === 'failed' && s.failure?.reason === 'fail-step') out.push(failureSentence(s, s.failure));
  }
  return out;
}
