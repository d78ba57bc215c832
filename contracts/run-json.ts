import type { RunRecord, RunStatus, StepRecord, StepStatus } from './records.js';
import type { CacheAction, CacheReason } from './cache-decision.js';
import type { SideWrite } from './s3-endpoint.js';
import type { StepWarning } from './step-warning.js';
import { tuningTrials, type TrialJson } from './tuning-trials-json.js';

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
  /** The run's cache decision for the step (absent when none was made: it stopped before, was skipped, or not reached). */
  decision?: { action: CacheAction; reason: CacheReason };
  /** Objects the step's execution wrote through the run's S3 endpoint (a reused step: those it replayed); absent: none. */
  sideWrites?: SideWrite[];
  /** What the step left that the user should see although it succeeded (e.g. a failure file on exit 0). */
  warnings?: StepWarning[];
  /** A Tuning step's trials, best first (contracts/tuning-trials-json.ts). */
  trials?: TrialJson[];
}

/** Readers of what a step's records hold beyond its row: side writes (S3 endpoint) and warnings. */
export interface RunJsonExtras {
  sideWrites?: (step: StepRecord) => SideWrite[];
  warnings?: (step: StepRecord) => StepWarning[];
}

/** The contract built from a run's records (`steps` in definition order). */
export function runJson(run: RunRecord, steps: StepRecord[], extras: RunJsonExtras = {}): RunJson {
  return {
    runId: run.runId,
    status: run.status,
    steps: steps.map((s) => {
      const j: StepJson = { name: s.name, status: s.status, reused: s.reused && s.status === 'succeeded', attempts: s.attempts };
      if (s.exitCode !== undefined) j.exitCode = s.exitCode;
      if (s.failure?.reason === 'exit-nonzero' && s.failure.failureFile !== undefined && s.failure.failureFile !== '') {
        j.failureReason = s.failure.failureFile;
      } else if (s.failure?.reason === 'fail-step' && s.failure.errorMessage !== '') {
        // A Fail step's (resolved) ErrorMessage: the pipeline's own failure reason, like a container's failure file.
        j.failureReason = s.failure.errorMessage;
      } else if (s.failure?.reason === 'legacy') {
        // A record of the previous cairn (contracts/read-step-failure.ts): the same two sources, as it stored them.
        const text = s.failure.was === 'exit-nonzero' ? s.failure.failureFile : s.failure.was === 'fail-step' ? s.failure.errorMessage : undefined;
        if (text !== undefined && text !== '') j.failureReason = text;
      }
      if (s.decision !== undefined) j.decision = { action: s.decision.action, reason: s.decision.reason };
      const writes = s.status === 'succeeded' ? (extras.sideWrites?.(s) ?? []) : [];
      if (writes.length > 0) j.sideWrites = writes;
      const w = extras.warnings?.(s) ?? [];
      if (w.length > 0) j.warnings = w;
      if (s.type === 'Tuning' && s.properties !== undefined) j.trials = tuningTrials(s.properties);
      return j;
    }),
  };
}
