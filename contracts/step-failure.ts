/**
 * Why a step did not succeed. Every user-facing sentence about a failed step is rendered from one of these
 * (cli/render-failure.ts); `message` is a complete sentence a user can act on.
 */
export type StepFailure =
  | { reason: 'exit-nonzero'; message: string; exitCode: number; failureFile?: string; logTail: string[] }
  | { reason: 'oom-killed'; message: string; exitCode: number; logTail: string[] }
  | { reason: 'image-missing'; message: string; image: string }
  | { reason: 'input-missing'; message: string; input: string; uri: string }
  | { reason: 'invalid-arguments'; message: string; field: string }
  | { reason: 'expression'; message: string; field?: string }
  | { reason: 'output-commit'; message: string; output?: string }
  /** `permanent`: retrying cannot help (e.g. GPUs requested from an engine without a GPU runtime). */
  | { reason: 'docker-error'; message: string; permanent?: boolean }
  | { reason: 'stopped'; message: string }
  | { reason: 'upstream-failed'; message: string }
  /** A Lambda step's handler threw, timed out or gave outputs that do not match its OutputParameters. */
  | { reason: 'handler-error'; message: string; stack?: string[] }
  /** A Callback step was completed with `cairn callback <token> --failure`. */
  | { reason: 'callback-failure'; message: string; token: string }
  /** A Fail step was reached: `errorMessage` is its resolved ErrorMessage (engine/control-steps.ts). */
  | { reason: 'fail-step'; message: string; errorMessage: string };

export type StepFailureReason = StepFailure['reason'];
