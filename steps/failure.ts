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
  | { reason: 'docker-error'; message: string }
  | { reason: 'stopped'; message: string }
  | { reason: 'upstream-failed'; message: string };

export type StepFailureReason = StepFailure['reason'];
