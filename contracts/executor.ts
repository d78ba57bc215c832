import type { Logger } from 'pino';
import type { ArtifactStore, RecordedOutput } from './artifacts.js';
import type { FingerprintParts } from './fingerprint.js';
import type { ContainerRuntime, PullProgress } from './container-runtime.js';
import type { ImageResolver } from './image-resolver.js';
import type { JsonObject, JsonValue } from '../kernel/json.js';
import type { StepDef } from './definition.js';
import type { Result } from '../kernel/result.js';
import type { StepFailure } from './step-failure.js';

/** Everything an executor may use while preparing or running one step attempt. */
export interface StepContext {
  runId: string;
  pipelineName: string;
  /** SageMaker-style PipelineExecutionId (equal to the run id). */
  executionId: string;
  stepName: string;
  stepType: string;
  /** The step as written (Lambda's FunctionArn, Callback's SqsQueueUrl and OutputParameters sit beside Arguments). */
  step?: StepDef;
  attempt: number;
  /** A fresh host directory private to this attempt; executors put config files, staging and output dirs here. */
  attemptDir: string;
  /** Labels every container of this attempt must carry (home, run, step, attempt, owner pid). */
  labels: Record<string, string>;
  runtime: ContainerRuntime;
  artifacts: ArtifactStore;
  images: ImageResolver;
  /** Outputs recorded by every upstream execution of this run (including reused ones). */
  upstreamOutputs: RecordedOutput[];
  /** Properties recorded by every (transitive) upstream step of this run, e.g. the Model a Transform step serves. */
  upstreamProperties: JsonObject[];
  signal: AbortSignal;
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  onContainer: (containerId: string) => void;
  /** Every progress line of a pull of the step's image (`image` as written in the definition). */
  onPullProgress?: (image: string, progress: PullProgress) => void;
  /** Called for every MetricDefinitions match as log lines stream (value as SageMaker parses it; `at` in epoch ms). */
  onMetric: (name: string, value: number, at: number) => void;
  /** A one-line notice for the user (e.g. resource limits scaled down to this machine); executors also log it. */
  onNotice: (message: string) => void;
  log: Logger;
}

export interface PreparedStep {
  /** What determines the step's result; cache/fingerprint.ts turns it into the stored fingerprint. */
  fingerprint: FingerprintParts;
  /** Executor-private plan for `execute` (mounts, command, outputs to collect …). */
  job: unknown;
}

export interface StepSuccess {
  /** The step's properties as `Get: Steps.<S>.…` sees them (shape of DescribeProcessingJob / DescribeTrainingJob). */
  properties: JsonObject;
  outputs: RecordedOutput[];
}

export interface StepExecutor {
  readonly type: string;
  /** False: the step is never reused from the cache (its execution is an effect, e.g. RegisterModel). Default true. */
  readonly cacheable?: boolean;
  /**
   * Validates the resolved arguments, resolves the image (no pull when `pull` is false: plan time) and hashes the
   * inputs. Starts no container and writes nothing outside `ctx.attemptDir`.
   */
  prepare(args: JsonValue, ctx: StepContext, opts: { pull: boolean }): Promise<Result<PreparedStep, StepFailure>>;
  /** Runs the prepared job in a container and commits its outputs to the artifact store. */
  execute(prepared: PreparedStep, ctx: StepContext): Promise<Result<StepSuccess, StepFailure>>;
}
