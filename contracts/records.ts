import type { RecordedOutput } from './artifacts.js';
import type { StepFailure } from './step-failure.js';
import type { CacheDecision, CacheMode } from './cache-decision.js';
import type { JsonObject } from '../kernel/json.js';
import type { ParameterValue } from './definition.js';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'stopped';
export type StepStatus = 'not-run' | 'running' | 'succeeded' | 'failed' | 'stopped' | 'skipped';
export type AttemptStatus = 'running' | 'succeeded' | 'failed' | 'stopped' | 'interrupted';

export interface RunOptions {
  noCache: boolean;
  /** Steps forced to run (with their downstream) in the first invocation. */
  rerun: string[];
  maxParallel?: number;
  /** `--cache sagemaker`: SageMaker's caching rules (engine/run/cache-rules.ts); absent: cairn's. */
  cache?: CacheMode;
  /** Selective execution (`--steps`, `--from-run`): only these steps run; their upstream is reused from `fromRun`. */
  selective?: SelectiveOptions;
}

export interface SelectiveOptions {
  /** The selected steps, in topological order. */
  steps: string[];
  /** The reference run whose outputs and properties the upstream steps reuse (none when nothing is upstream). */
  fromRun?: string;
}

export interface RunRecord {
  runId: string;
  pipeline: string;
  definitionFile: string;
  /** The definition JSON text the run executes (a resume uses this, not the file as it is now). */
  definition: string;
  parameters: Record<string, ParameterValue>;
  execution: Record<string, string>;
  options: RunOptions;
  status: RunStatus;
  startedAt: number;
  endedAt?: number;
}

export interface StepRecord {
  runId: string;
  name: string;
  type: string;
  status: StepStatus;
  /** True when this invocation ran no container for the step and its outputs came from an earlier execution. */
  reused: boolean;
  /** `<runId>` whose execution the outputs came from, when they did not come from this run. */
  reusedFrom?: string;
  fingerprintKey?: string;
  fingerprint?: string;
  properties?: JsonObject;
  exitCode?: number;
  failure?: StepFailure;
  /** Run or reuse, and why, as decided by the run (engine/run/cache-decision.ts); absent before the decision. */
  decision?: CacheDecision;
  startedAt?: number;
  endedAt?: number;
  attempts: number;
}

export interface AttemptRecord {
  runId: string;
  step: string;
  attempt: number;
  status: AttemptStatus;
  startedAt: number;
  endedAt?: number;
  exitCode?: number;
  failure?: StepFailure;
  containerId?: string;
  logFile: string;
}

export interface StepSuccessRecord {
  fingerprintKey: string;
  fingerprint: string;
  properties: JsonObject;
  outputs: RecordedOutput[];
  /** Whether the execution may serve later cache lookups. */
  cacheable: boolean;
  /** SageMaker's cache key of the execution (engine/run/cache-rules.ts), kept so `--cache sagemaker` can find it. */
  sagemakerKey?: string;
  reused: boolean;
  reusedFrom?: string;
  endedAt: number;
}
