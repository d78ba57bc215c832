import { createHash } from 'node:crypto';
import type { CacheMode, CacheReason, CacheRule } from '../../contracts/cache-decision.js';
import type { StepDef } from '../../contracts/definition.js';
import { canonicalJson, isJsonObject, type JsonObject, type JsonValue } from '../../kernel/json.js';

/**
 * Which caching rule governs a step, for the one cache decision (engine/run/cache-decision.ts calls `cacheRule`).
 *
 * `--cache cairn` (the default):
 * - Processing, Training, Transform, Model/CreateModel (pure jobs): content-addressed reuse. The fingerprint holds
 *   the image id, the argument values and the content of every input, so a reuse is exact; CacheConfig.Enabled=false
 *   turns it off, ExpireAfter bounds it.
 * - Lambda, Callback, RegisterModel: their execution is an effect (a function called, a message sent, a model
 *   version registered), so they are never reused from another run (reason `side-effecting`), unless the step opts in
 *   with `CacheConfig: {Enabled: true}`. SageMaker itself never caches these types, so the field has no meaning for
 *   the cloud and saying it is a deliberate local choice. RegisterModel cannot opt in: its executor is not cacheable
 *   (a reuse would hand downstream the ARN of an older version). Within one run, a resume keeps every step that
 *   succeeded, these included (engine/run/kept-steps.ts), so a resume never repeats an effect.
 *
 * `--cache sagemaker`: exactly SageMaker Pipelines' step caching ("When you use step caching, SageMaker looks for a
 * previous execution with the same values for certain attributes"; AWS docs: pipelines-caching,
 * pipelines-default-keys):
 * - only steps whose CacheConfig says `Enabled: true`; ExpireAfter (ISO 8601) bounds the age of the execution
 *   reused (no ExpireAfter: no bound, as cairn reads it); only successful executions of the same step of the same
 *   pipeline count, the newest one wins;
 * - only the step types SageMaker caches that cairn runs: Processing, Training, Transform (SageMaker also caches
 *   Tuning, AutoML, ClarifyCheck, QualityCheck and EMR, which cairn does not run). Model, RegisterModel, Lambda,
 *   Callback, Condition and Fail steps are never cached;
 * - the key is the values of these Arguments fields after parameters and properties are resolved, compared as they
 *   are (an S3 URI, not the data behind it):
 *   - Processing: AppSpecification, Environment, ProcessingInputs;
 *   - Training: AlgorithmSpecification, CheckpointConfig, DebugHookConfig, DebugRuleConfigurations, Environment,
 *     HyperParameters, InputDataConfig;
 *   - Transform: DataProcessing, Environment, ModelName, TransformInput.
 *   Any other field (instance type, output paths, StoppingCondition …) may change and the step is still reused.
 */
export const SAGEMAKER_KEY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  Processing: ['AppSpecification', 'Environment', 'ProcessingInputs'],
  Training: [
    'AlgorithmSpecification', 'CheckpointConfig', 'DebugHookConfig', 'DebugRuleConfigurations', 'Environment',
    'HyperParameters', 'InputDataConfig',
  ],
  Transform: ['DataProcessing', 'Environment', 'ModelName', 'TransformInput'],
};

/** Step types whose execution is an effect: never reused from another run unless CacheConfig.Enabled=true. */
export const SIDE_EFFECTING_STEP_TYPES: ReadonlySet<string> = new Set(['Lambda', 'Callback', 'RegisterModel']);

export interface RuleQuery {
  step: Pick<StepDef, 'type' | 'cacheConfig'>;
  mode: CacheMode;
  /** False for executors whose results are never reused (`executor.cacheable === false`). */
  cacheable: boolean;
}

/** The rule, and when it rules out any reuse, the reason the step runs. */
export interface RuleVerdict {
  rule: CacheRule;
  runs?: CacheReason;
}

export function cacheRule(q: RuleQuery): RuleVerdict {
  const { type } = q.step;
  const enabled = q.step.cacheConfig?.enabled;
  if (q.mode === 'sagemaker') {
    const attributes = SAGEMAKER_KEY_ATTRIBUTES[type];
    if (attributes === undefined) return { rule: { kind: 'disabled', mode: q.mode }, runs: { kind: 'sagemaker-never-cached', stepType: type } };
    if (enabled !== true) return { rule: { kind: 'disabled', mode: q.mode }, runs: { kind: 'sagemaker-not-enabled' } };
    return { rule: { kind: 'sagemaker-key', attributes: [...attributes] } };
  }
  if (enabled === false) return { rule: { kind: 'disabled', mode: q.mode }, runs: { kind: 'cache-disabled' } };
  if (!q.cacheable) return { rule: { kind: 'never-across-runs', stepType: type }, runs: { kind: 'never-cached', stepType: type } };
  if (SIDE_EFFECTING_STEP_TYPES.has(type) && enabled !== true) {
    return { rule: { kind: 'never-across-runs', stepType: type }, runs: { kind: 'side-effecting', stepType: type } };
  }
  return { rule: { kind: 'content-addressed' } };
}

/**
 * SageMaker's cache key of a step (undefined for a type SageMaker does not cache): a hash of the pipeline, the step
 * and the values of its key attributes in the resolved arguments. Recorded with every execution that ran, whatever
 * the mode, so `--cache sagemaker` finds executions made under `--cache cairn` too.
 */
export function sagemakerKey(pipeline: string, step: Pick<StepDef, 'name' | 'type'>, resolvedArguments: JsonValue): string | undefined {
  const attributes = SAGEMAKER_KEY_ATTRIBUTES[step.type];
  if (attributes === undefined) return undefined;
  const args: JsonObject = isJsonObject(resolvedArguments) ? resolvedArguments : {};
  const values: JsonObject = {};
  for (const a of attributes) {
    const v = args[a];
    if (v !== undefined) values[a] = v;
  }
  const text = canonicalJson({ pipeline, step: step.name, type: step.type, values });
  return `sagemaker:sha256:${createHash('sha256').update(text).digest('hex')}`;
}
