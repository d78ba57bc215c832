import type { Logger } from 'pino';
import type { ArtifactStore, RecordedOutput } from './artifacts.js';
import type { FingerprintParts } from './fingerprint.js';
import type { ContainerRuntime, LineEnd, PullProgress } from './container-runtime.js';
import type { ImageResolver } from './image-resolver.js';
import type { JsonObject, JsonValue } from '../kernel/json.js';
import type { StepDef } from './definition.js';
import { ok, type Result } from '../kernel/result.js';
import type { StepFailure } from './step-failure.js';
import type { StepS3 } from './run-s3.js';
import type { StepWarning } from './step-warning.js';

/** Everything an executor may use while preparing or running one step attempt. */
export interface StepContext {
  runId: string;
  pipelineName: string;
  /** SageMaker-style PipelineExecutionId (equal to the run id). */
  executionId: string;
  stepName: string;
  stepType: string;
  /** The name of the job the step creates, when its caller names it (a Tuning step's trials); default: `pipelines-<executionId>-<stepName>`. */
  jobName?: string;
  /** The run forces this step (`--no-cache`, `--rerun`): an executor that reuses parts of its own work (a Tuning step's trials) must not. */
  forced?: boolean;
  /** The step as written (Lambda's FunctionArn, Callback's SqsQueueUrl and OutputParameters sit beside Arguments). */
  step?: StepDef;
  attempt: number;
  /** A fresh host directory private to this attempt; executors put config files, staging and output dirs here. */
  attemptDir: string;
  /** Labels every container of this attempt must carry (home, run, step, attempt, owner pid). */
  labels: Record<string, string>;
  runtime: ContainerRuntime;
  /**
   * The Docker network of the run (createNetwork), when the run has one: a multi-instance job's containers join it;
   * without it, the job creates and removes a network of its own per attempt (steps/job-network.ts).
   */
  runNetwork?: string;
  artifacts: ArtifactStore;
  images: ImageResolver;
  /** Outputs recorded by every upstream execution of this run (including reused ones). */
  upstreamOutputs: RecordedOutput[];
  /** Properties recorded by every (transitive) upstream step of this run, e.g. the Model a Transform step serves. */
  upstreamProperties: JsonObject[];
  signal: AbortSignal;
  /** A log line; `end` is `\r` when a lone carriage return ended it (RunOptions.onLine). */
  onLine: (line: string, stream: 'stdout' | 'stderr', end?: LineEnd) => void;
  onContainer: (containerId: string) => void;
  /** Every progress line of a pull of the step's image (`image` as written in the definition). */
  onPullProgress?: (image: string, progress: PullProgress) => void;
  /** Called for every MetricDefinitions match as log lines stream (value as SageMaker parses it; `at` in epoch ms). */
  onMetric: (name: string, value: number, at: number) => void;
  /** A one-line notice for the user (e.g. resource limits scaled down to this machine); executors also log it. */
  onNotice: (message: string) => void;
  /**
   * The run's S3 endpoint for this attempt (set while it executes; none at plan time or without an endpoint): every
   * container joins `network` and gets `jobS3Environment(access().container)` unless it is network-isolated.
   */
  s3?: StepS3;
  /**
   * Plan only: a problem `prepare` finds (a missing image, input or code) is reported here and preparation goes on
   * with a placeholder, so `plan` reports every problem of a step at once; a job prepared so is never executed.
   */
  onProblem?: (failure: StepFailure) => void;
  /** A step that succeeded left something the user should see (contracts/step-warning.ts); recorded with the attempt. */
  onWarning?: (warning: StepWarning) => void;
  log: Logger;
}

/** What `prepare` hands to `execute`: the fingerprint parts and the executor's own typed job. */
export interface PreparedStep<Job> {
  /** What determines the step's result; cache/fingerprint.ts turns it into the stored fingerprint. */
  fingerprint: FingerprintParts;
  /** Executor-private plan for `execute` (mounts, command, outputs to collect …). */
  job: Job;
}

export interface StepSuccess {
  /** The step's properties as `Get: Steps.<S>.…` sees them (shape of DescribeProcessingJob / DescribeTrainingJob). */
  properties: JsonObject;
  outputs: RecordedOutput[];
}

/**
 * The executor of one step type. `prepare` turns the resolved arguments into a `Job` of the executor's own type, and
 * `execute` receives exactly that job (invariant in `Job`).
 */
export interface StepExecutor<in out Job> {
  readonly type: string;
  /** False: the step is never reused from the cache (its execution is an effect, e.g. RegisterModel). Default true. */
  readonly cacheable?: boolean;
  /**
   * Validates the resolved arguments, resolves the image (no pull when `pull` is false: plan time) and hashes the
   * inputs. Starts no container and writes nothing outside `ctx.attemptDir`.
   */
  prepare(args: JsonValue, ctx: StepContext, opts: { pull: boolean }): Promise<Result<PreparedStep<Job>, StepFailure>>;
  /**
   * Runs the prepared job in a container and commits its outputs to the artifact store. (A property, not a method, so
   * its parameter is checked strictly: an executor of one job type is not assignable to one of another.)
   */
  execute: (prepared: PreparedStep<Job>, ctx: StepContext) => Promise<Result<StepSuccess, StepFailure>>;
}

/** A job bound to the executor that prepared it: whoever holds it can only have it run (each attempt with its context). */
export interface BoundJob {
  run(ctx: StepContext): Promise<Result<StepSuccess, StepFailure>>;
}

/** An executor whose job type is hidden: what the engine holds, one per step type, in one map. */
export type AnyStepExecutor = StepExecutor<BoundJob>;

/**
 * Hides an executor's job type: its prepared job is bound to its own `execute`, so the engine, which only ever hands
 * back what the same executor prepared, needs no cast and cannot mix jobs of two executors.
 */
export function anyExecutor<Job>(executor: StepExecutor<Job>): AnyStepExecutor {
  return {
    type: executor.type,
    cacheable: executor.cacheable,
    async prepare(args, ctx, opts) {
      const r = await executor.prepare(args, ctx, opts);
      if (!r.ok) return r;
      const prepared = r.value;
      return ok({ fingerprint: prepared.fingerprint, job: { run: (attemptCtx) => executor.execute(prepared, attemptCtx) } });
    },
    execute: (prepared, ctx) => prepared.job.run(ctx),
  };
}
