import type { Store } from '../cache/store.js';
import type { RunStatus, StepStatus } from '../cache/store-types.js';

/** The machine-readable contract of `show --json`, `run --json` and `resume --json`. */
export interface RunJson {
  runId: string;
  status: RunStatus;
  steps: StepJson[];
}

export interface StepJson {
  name: string;
  status: StepStatus;
  reused: boolean;
  attempts: number;
  exitCode?: number;
  failureReason?: string;
}

export function runJson(store: Store, runId: string): RunJson | undefined {
  const run = store.getRun(runId);
  if (run === undefined) return undefined;
  return {
    runId,
    status: run.status,
    steps: store.getSteps(runId).map((s) => {
      const j: StepJson = { name: s.name, status: s.status, reused: s.reused && s.status === 'succeeded', attempts: s.attempts };
      if (s.exitCode !== undefined) j.exitCode = s.exitCode;
      if (s.failure?.reason === 'exit-nonzero' && s.failure.failureFile !== undefined && s.failure.failureFile !== '') {
        j.failureReason = s.failure.failureFile;
      } else if (s.failure?.reason === 'fail-step' && s.failure.errorMessage !== '') {
        // A Fail step's (resolved) ErrorMessage: the pipeline's own failure reason, like a container's failure file.
        j.failureReason = s.failure.errorMessage;
      }
      return j;
    }),
  };
}
