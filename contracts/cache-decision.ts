import type { LostState } from './artifacts.js';

/**
 * Whether a step of a run executes or reuses an earlier execution, and why: made once per step by
 * engine/run/cache-decision.ts (for `run` and for `plan` alike), stored with the step, and printed as it is by
 * `explain`, `show --json`, the live view and `plan` (cli/decision-words.ts turns a reason into words).
 */
export type CacheAction = 'run' | 'reuse' | 'not-run';

/** `--cache cairn` (default): content-addressed reuse; `--cache sagemaker`: exactly SageMaker's step caching. */
export type CacheMode = 'cairn' | 'sagemaker';

/**
 * Which caching rule governs a step (engine/run/cache-rules.ts picks it; cli/decision-words.ts words it):
 * `content-addressed`: cairn's fingerprint (image id, argument values, input content) finds an earlier execution;
 * `sagemaker-key`: SageMaker's cache key (these Arguments fields, by value, within the pipeline and ExpireAfter);
 * `never-across-runs`: a side-effecting step type, run in every run (a resume still keeps a success of its own run);
 * `disabled`: never reused (CacheConfig.Enabled=false; under --cache sagemaker also a step without Enabled=true, or
 * of a type SageMaker never caches); `control`: a Condition or Fail step, evaluated by the engine.
 */
export type CacheRule =
  | { kind: 'content-addressed' }
  | { kind: 'sagemaker-key'; attributes: string[] }
  | { kind: 'never-across-runs'; stepType: string }
  | { kind: 'disabled'; mode: CacheMode }
  | { kind: 'control' };

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
  /** A Lambda, Callback or RegisterModel step (an effect) without the opt-in CacheConfig.Enabled=true: runs in every run. */
  | { kind: 'side-effecting'; stepType: string }
  /** `--cache sagemaker`: the step's CacheConfig does not say Enabled=true, so SageMaker runs it. */
  | { kind: 'sagemaker-not-enabled' }
  /** `--cache sagemaker`: SageMaker's step caching does not cover steps of this type. */
  | { kind: 'sagemaker-never-cached'; stepType: string }
  /** `--cache sagemaker`: no earlier successful execution of the step in this pipeline has the same key attributes. */
  | { kind: 'sagemaker-key-unmatched'; attributes: string[] }
  /** `--cache sagemaker` reuse: an earlier successful execution with the same key attribute values. */
  | { kind: 'same-sagemaker-key'; sourceRun: string; createdAt: number }
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
  /** The caching rule that applied (absent on decisions recorded before rules were, and for selective execution). */
  rule?: CacheRule;
}
