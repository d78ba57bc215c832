import type { StepExecutor } from './executor.js';
import { ProcessingExecutor } from './processing.js';
import { TrainingExecutor } from './training.js';

/** Step types cairn can run locally. */
export const SUPPORTED_STEP_TYPES: ReadonlySet<string> = new Set(['Processing', 'Training']);

/** Step type → executor. */
export function createExecutors(): ReadonlyMap<string, StepExecutor> {
  const executors: StepExecutor[] = [new ProcessingExecutor(), new TrainingExecutor()];
  return new Map(executors.map((e) => [e.type, e]));
}
