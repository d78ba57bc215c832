import type { ImageCheck } from './step-images.js';
import type { StepFailure } from '../../contracts/step-failure.js';

export interface BranchGuard {
  condition: string;
  /** The Condition's outcome under which the step runs. */
  outcome: boolean;
}

export interface PlannedStep {
  name: string;
  type: string;
  action: 'reuse' | 'run' | 'blocked' | 'not-run';
  /** One line: why the step would be reused or run, or what blocks it. */
  why: string;
  reusedFrom?: string;
  /** What blocks the step, when a failure does (`why` is then empty: cli/render-failure.ts words it). */
  failure?: StepFailure;
  image?: ImageCheck;
  /** Set when the step runs only under one outcome of a Condition (engine/branches.ts). */
  when?: BranchGuard;
}
