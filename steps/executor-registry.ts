import type { StepExecutor } from '../contracts/executor.js';
import { ProcessingExecutor } from './processing.js';
import { TrainingExecutor } from './training.js';
import { ModelExecutor } from './model.js';
import { TransformExecutor } from './transform.js';
import { CallbackExecutor } from './callback.js';
import { LambdaExecutor } from './lambda.js';
import { LambdaMap } from './lambda-config.js';
import { RegisterModelExecutor } from './register-model.js';
import type { Store } from '../cache/store.js';

/** What some executors need beyond the step context: cairn.json's `lambdas` (Lambda), the store (Callback tokens, the model registry). */
export interface ExecutorDeps {
  lambdas?: LambdaMap;
  store?: Store;
}

/** Step types cairn can run locally (Condition and Fail run in the engine itself: engine/control-steps.ts). */
export const SUPPORTED_STEP_TYPES: ReadonlySet<string> = new Set(['Processing', 'Training', 'Condition', 'Fail', 'Lambda', 'Callback', 'Model', 'Transform', 'RegisterModel']);

/** Step type → executor. */
export function createExecutors(deps: ExecutorDeps = {}): ReadonlyMap<string, StepExecutor> {
  const executors: StepExecutor[] = [new ProcessingExecutor(), new TrainingExecutor(),
    new LambdaExecutor(() => deps.lambdas ?? LambdaMap.empty(), () => deps.store), new CallbackExecutor(() => deps.store),
    new ModelExecutor(), new TransformExecutor(), new RegisterModelExecutor(() => deps.store)];
  return new Map(executors.map((e) => [e.type, e]));
}
