import type { JsonObject, JsonValue } from '../kernel/json.js';
import type { RetryPolicy } from './retry.js';

/** The typed form of a SageMaker pipeline definition (Version "2020-12-01"), as produced by `loadDefinition`. */
export type ParameterType = 'String' | 'Integer' | 'Float' | 'Boolean';
export type ParameterValue = string | number | boolean;

export interface ParameterDef {
  name: string;
  type: ParameterType;
  defaultValue?: ParameterValue;
  enumValues?: ParameterValue[];
}

export interface CacheConfig {
  enabled: boolean;
  /** As written (`P30D`, `PT1H`, or the SDK's short form `30d`). */
  expireAfter?: string;
  /** Parsed duration in milliseconds; undefined means never expires. */
  expireAfterMs?: number;
}

export interface StepDef {
  name: string;
  type: string;
  /** Arguments exactly as written; may contain Get / Std:Join / Std:JsonGet expressions. */
  arguments: JsonValue;
  /** Explicit DependsOn plus implicit dependencies from `Get: Steps.X...` references, deduplicated, in file order. */
  dependsOn: string[];
  explicitDependsOn: string[];
  displayName?: string;
  description?: string;
  cacheConfig?: CacheConfig;
  /** RetryPolicies, checked and with SageMaker's defaults filled in (engine/retry-policy.ts). */
  retryPolicies?: RetryPolicy[];
  propertyFiles?: { propertyFileName: string; outputName: string; filePath: string }[];
  /** JSON path of this step object in the file, e.g. `Steps[2]` or `Steps[3].Arguments.IfSteps[0]`. */
  path: string;
  /** The step object as written. */
  raw: JsonObject;
  /** Set for steps nested in a Condition step's IfSteps / ElseSteps. */
  branchOf?: { condition: string; branch: 'IfSteps' | 'ElseSteps' };
}

export interface Definition {
  /** File the definition came from, as given by the user (used in diagnostics). */
  file: string;
  version: string;
  metadata: JsonValue;
  parameters: ParameterDef[];
  experimentConfig?: JsonValue;
  /** ParallelismConfiguration.MaxParallelExecutionSteps, when given. */
  maxParallelSteps?: number;
  /** Every step, nested ones included, in file order. */
  steps: StepDef[];
  /** The whole definition object as written. */
  raw: JsonObject;
}

export type OutputType = 'String' | 'Integer' | 'Boolean' | 'Float';

/** One entry of a Lambda / Callback step's `OutputParameters` (LambdaOutput / CallbackOutput `to_request()`). */
export interface DeclaredOutput {
  name: string;
  type: OutputType;
}
