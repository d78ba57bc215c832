import { anyExecutor, type AnyStepExecutor } from '../contracts/executor.js';
import { ProcessingExecutor } from './processing.js';
import { TrainingExecutor } from './training.js';
import { ModelExecutor } from './model.js';
import { TransformExecutor } from './transform.js';
import { CallbackExecutor } from './callback.js';
import { LambdaExecutor } from './lambda.js';
import type { LambdaMap } from './lambda-config.js';
import { RegisterModelExecutor } from './register-model.js';
import { TuningExecutor } from './tuning.js';
import type { Store } from '../cache/store.js';

/** What some executors need beyond the step context; each is required when the executors are built. */
export interface ExecutorDeps {
  /** cairn.json's `lambdas` (Lambda steps). */
  lambdas: LambdaMap;
  /** The store: Callback tokens, the model registry (RegisterModel, and Lambda handlers' `context.registry`). */
  store: Store;
}

/** Step types cairn can run locally (Condition and Fail run in the engine itself: engine/control-steps.ts). */
export const SUPPORTED_STEP_TYPES: ReadonlySet<string> = new Set(['Processing', 'Training', 'Condition', 'Fail', 'Lambda', 'Callback', 'Model', 'Transform', 'RegisterModel', 'Tuning']);

/** Step type → executor, each with its job type hidden (contracts/executor.ts `anyExecutor`). */
export function createExecutors(deps: ExecutorDeps): ReadonlyMap<string, AnyStepExecutor> {
  const executors = [
    anyExecutor(new ProcessingExecutor()), anyExecutor(new TrainingExecutor()),
    anyExecutor(new LambdaExecutor(deps.lambdas, deps.store)), anyExecutor(new CallbackExecutor(deps.store)),
    anyExecutor(new ModelExecutor()), anyExecutor(new TuningExecutor()), anyExecutor(new TransformExecutor()), anyExecutor(new RegisterModelExecutor(deps.store)),
  ];
  return new Map(executors.map((e) => [e.type, e]));
}
