import type { LostState } from './artifacts.js';

/**
 * Whether a step of a run executes or reuses an earlier execution, and why: made once per step by
 * engine/run/cache-decision.ts (for `run` and for `plan` alike), stored with the step, and printed as it is by
 * `explain`, `show --json`, the live view and `plan` (cli/decision-words.ts turns a reason into words).
 */
export type CacheAction = 'run' | 'reuse' | 'not-run';

export type ForcedBy = { by: 'no-cache' } | { by: 'rerun'; steps: string[] };

export type CacheReason =
  /** No cache entry matches and no earlier execution of the step in this pipeline recorded a fingerprint. */
  | { kind: 'no-earlier-execution' }
  /** Steps it depends on run in this invocation (a plan cannot know their outputs, so cannot know the fingerprint). */
  | { kind: 'upstream-will-run'; steps: string[] }
  /** `--no-cache`, or `--rerun` of `steps` (this step or one upstream of it). */
  | { kind: 'forced'; forced: ForcedBy }
  /** The step's CacheConfig has Enabled=false. */
  | { kind: 'cache-disabled' }
  /** Steps of this type are never reused (their executor is not cacheable). */
  | { kind: 'never-cached'; stepType: string }
  /** Condition and Fail steps run in the engine every time a run reaches them. */
  | { kind: 'control-step'; control: ControlStep }
  /** The image is not local yet (plan only: the fingerprint needs the image id, which the pull gives). */
  | { kind: 'image-not-pulled'; image: string }
  /** A cache entry matches but is older than the step's CacheConfig ExpireAfter. */
  | { kind: 'expired'; sourceRun: string; createdAt: number; expireAfterMs: number }
  /** The fingerprint differs from the newest earlier execution's (run `sinceRun`) at these fingerprint paths. */
  | { kind: 'fingerprint-changed'; sinceRun: string; paths: string[] }
  /** Same fingerprint as run `sinceRun`, whose execution left no cache entry (caching was off for it). */
  | { kind: 'not-cached-before'; sinceRun: string }
  /** A cache entry matches but its step has no recorded properties (nothing to reuse). */
  | { kind: 'source-lacks-properties'; sourceRun: string }
  /**
   * The execution that would be reused (a cache entry, or on resume the step's own earlier execution in this run)
   * recorded output `output`, whose file `file` the content store no longer holds as recorded (`missing`, or
   * `damaged`: another size or content): the step runs again, and its commit stores the bytes anew.
   */
  | { kind: 'output-lost'; sourceRun: string; output: string; file: string; state: LostState }
  /**
   * The execution that would be reused read s3://`bucket`/`key` through the run's S3 endpoint when it held `recorded`
   * (sha256; null: absent, a 404), and the store now holds `current` there (null: absent): the step runs again.
   */
  | { kind: 'side-read-changed'; sourceRun: string; bucket: string; key: string; recorded: string | null; current: string | null }
  /** Reuse: a succeeded execution with the same fingerprint key. */
  | { kind: 'same-fingerprint'; sourceRun: string; createdAt: number }
  /** Selective execution: upstream of the selected steps, its results come from the reference run. */
  | { kind: 'reference-run'; sourceRun: string }
  /** Selective execution: neither selected by --steps nor upstream of a selected step. */
  | { kind: 'selected-out' };

export type ControlStep =
  | { stepType: 'Condition'; ifSteps: number; elseSteps: number }
  | { stepType: 'Fail'; errorMessage?: string };

export interface CacheDecision {
  action: CacheAction;
  reason: CacheReason;
  /** The fingerprint key the decision was made with (absent when none was computed). */
  fingerprintKey?: string;
}
