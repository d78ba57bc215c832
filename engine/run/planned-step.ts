import type { CacheDecision } from '../../contracts/cache-decision.js';
import type { ImageProblem } from '../../contracts/image-resolver.js';
import type { ImageCheck } from './step-images.js';
import type { StepFailure } from '../../contracts/step-failure.js';
import type { Oversubscription } from './plan-capacity.js';

export interface BranchGuard {
  condition: string;
  /** The Condition's outcome under which the step runs. */
  outcome: boolean;
}

/** What keeps a step from running (cli/plan-words.ts words it). */
export type PlanBlocker =
  /** The image can be neither found, mapped nor pulled. */
  | { kind: 'image'; uri: string; problem?: ImageProblem }
  /** Blocked only because these upstream steps are. */
  | { kind: 'waits-on'; steps: string[] }
  | { kind: 'unsupported-type'; stepType: string }
  /** Its arguments, inputs or code are wrong where that can be known before anything runs. */
  | { kind: 'failure'; failure: StepFailure };

/** One row of `cairn plan`: the cache decision a run would make, or what blocks the step. */
export type PlannedStep = PlannedCommon & (
  | { action: CacheDecision['action']; decision: CacheDecision; blocker?: undefined }
  /** `blocker`: the first problem; `problems`: every problem found in the one pass, when there is more than one. */
  | { action: 'blocked'; blocker: PlanBlocker; problems?: PlanBlocker[]; decision?: undefined }
);

interface PlannedCommon {
  name: string;
  type: string;
  reusedFrom?: string;
  image?: ImageCheck;
  /** Set when the step runs only under one outcome of a Condition (engine/run/branches.ts). */
  when?: BranchGuard;
  /** Its InstanceCount containers together ask for more than this machine has (engine/run/plan-capacity.ts). */
  oversubscribed?: Oversubscription;
}
