import type { CacheDecision } from '../../contracts/cache-decision.js';
import type { ImageCheck } from './step-images.js';

export interface BranchGuard {
  condition: string;
  /** The Condition's outcome under which the step runs. */
  outcome: boolean;
}

/** One row of `cairn plan`: the cache decision a run would make, or what blocks the step. */
export type PlannedStep = PlannedCommon & (
  | { action: CacheDecision['action']; decision: CacheDecision }
  /** `why`: what blocks the step (a sentence naming the field); `waitsOn`: blocked only because these steps are. */
  | { action: 'blocked'; why: string; waitsOn?: string[]; decision?: undefined }
);

interface PlannedCommon {
  name: string;
  type: string;
  reusedFrom?: string;
  image?: ImageCheck;
  /** Set when the step runs only under one outcome of a Condition (engine/run/branches.ts). */
  when?: BranchGuard;
}
