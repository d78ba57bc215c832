import type { CacheDecision } from '../contracts/cache-decision.js';
import type { StepFailure } from '../contracts/step-failure.js';
import type { JsonObject } from '../kernel/json.js';
import type { Result } from '../kernel/result.js';

/**
 * What the UI needs from the command line's one renderer of words and its callback check, handed in by
 * cli/commands/ui.ts (ui/ never imports cli/): the sentences the page shows are the CLI's, made in one place.
 */
export interface UiWords {
  failure(step: { name: string; type: string; runId?: string }, f: StepFailure, logFile?: string): string[];
  decision(d: CacheDecision): string;
}

export type CallbackAnswer = { success: JsonObject } | { failure: string };

/** Completes a Callback token as `cairn callback` does: the checked record, or the refusal's message. */
export type AnswerCallback = (token: string, answer: CallbackAnswer) => Result<{ runId: string; step: string; status: string }, string>;
