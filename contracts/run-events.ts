import type { StepStatus, RunStatus } from './records.js';
import type { PullProgress } from './container-runtime.js';
import type { StepFailure } from './step-failure.js';
import type { RetryInfo } from './retry.js';
import type { CacheDecision } from './cache-decision.js';
import type { StepWarning } from './step-warning.js';

/** What a run reports as it goes; the CLI renders these (live view, plain lines) and the run log records them. */
export type RunEvent =
  | { type: 'run-started'; runId: string; pipeline: string; resumed: boolean; steps: { name: string; type: string }[]; at: number }
  | {
      type: 'step';
      runId: string;
      step: string;
      status: StepStatus;
      reused: boolean;
      /** For reused steps: the run whose execution was reused (absent when it is this run). */
      reusedFrom?: string;
      attempt?: number;
      failure?: StepFailure;
      /** The step's cache decision in this invocation (run or reuse, and why), once made. */
      decision?: CacheDecision;
      at: number;
    }
  | { type: 'log'; runId: string; step: string; line: string; stream: 'stdout' | 'stderr' }
  | { type: 'pull'; runId: string; step: string; image: string; progress: PullProgress }
  /** A MetricDefinitions value found in a running step's log (`at`: epoch ms). */
  | { type: 'metric'; runId: string; step: string; name: string; value: number; at: number }
  /** Something the user should know about a step that is not a failure (e.g. limits scaled down to this machine). */
  | { type: 'notice'; runId: string; step: string; message: string; at: number }
  /** A step that succeeded left something the user should see (a failure file on exit 0): cli words it. */
  | { type: 'warning'; runId: string; step: string; warning: StepWarning; at: number }
  /** A step attempt failed with a retryable exception type: the step waits `info.waitMs`, then runs its next attempt. */
  | { type: 'retry'; runId: string; step: string; info: RetryInfo; at: number }
  /** Leftovers of dead runs could not be swept because the Docker engine failed; the run goes on (cli words it). */
  | { type: 'sweep-problem'; runId: string; problem: SweepProblem; at: number }
  | { type: 'run-finished'; runId: string; status: RunStatus; at: number };

/** The Docker engine failed while cairn swept leftover containers: `engineText` is its error. */
export interface SweepProblem {
  during: 'list' | 'remove';
  engineText: string;
  containerId?: string;
}

export type RunEventListener = (e: RunEvent) => void;
