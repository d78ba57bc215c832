import { isJsonObject, type JsonObject, type JsonValue } from '../kernel/json.js';
import { ok, type Result } from '../kernel/result.js';
import { ArgumentReader } from './arguments.js';
import type { StepFailure } from '../contracts/step-failure.js';
import { checkInstanceType } from './step-resources.js';

/** SageMaker's default MaxPayloadInMB. */
export const DEFAULT_MAX_PAYLOAD_MB = 6;
/** SageMaker's defaults for ModelClientConfig. */
export const DEFAULT_INVOCATION_TIMEOUT_SECONDS = 600;
export const DEFAULT_INVOCATION_RETRIES = 3;

export type SplitType = 'None' | 'Line';
export type BatchStrategy = 'SingleRecord' | 'MultiRecord';

/** A validated CreateTransformJob request. */
export interface TransformJobSpec {
  args: JsonObject;
  modelName: string;
  inputUri: string;
  contentType?: string;
  splitType: SplitType;
  gzip: boolean;
  outputUri: string;
  accept?: string;
  assembleWith: 'None' | 'Line';
  /** Unset: the container's GET /execution-parameters answer, else MultiRecord (as SageMaker). */
  batchStrategy?: BatchStrategy;
  /** Unset: the container's GET /execution-parameters answer, else 6. 0 means no limit. */
  maxPayloadMB?: number;
  environment: Record<string, string>;
  instanceType?: string;
  instanceCount: number;
  invocationTimeoutSeconds: number;
  invocationRetries: number;
}

/** Validates resolved Transform step Arguments; the first problem is an `invalid-arguments` failure. */
export function readTransformJob(args: JsonValue, stepName: string): Result<TransformJobSpec, StepFailure> {
  const a = new ArgumentReader(stepName, 'Transform');
  const root = a.object(args, '', 'write the CreateTransformJob request body as the step\'s Arguments');
  if (!root.ok) return root;
  const r = root.value;
  const modelName = a.string(r.ModelName, 'ModelName', 'name the model, usually {"Get": "Steps.<ModelStep>.ModelName"}');
  if (!modelName.ok) return modelName;

  const input = a.object(r.TransformInput, 'TransformInput', 'give the job a TransformInput with DataSource.S3DataSource.S3Uri');
  if (!input.ok) return input;
  const source = a.object(isJsonObject(input.value.DataSource) ? input.value.DataSource.S3DataSource : undefined,
    'TransformInput.DataSource.S3DataSource', 'give the input data as DataSource.S3DataSource with an S3Uri');
  if (!source.ok) return source;
  const dataType = a.optionalString(source.value.S3DataType, 'TransformInput.DataSource.S3DataSource.S3DataType', 'use "S3Prefix"');
  if (!dataType.ok) return dataType;
  if (dataType.value !== undefined && dataType.value !== 'S3Prefix') {
    return a.fail('TransformInput.DataSource.S3DataSource.S3DataType', `is "${dataType.value}", which cairn does not run locally (manifest files list objects in S3)`, 'use "S3Prefix" with the data under one prefix');
  }
  const inputUri = a.string(source.value.S3Uri, 'TransformInput.DataSource.S3DataSource.S3Uri', 'set it to the s3:// URI of the data to transform');
  if (!inputUri.ok) return inputUri;
  const contentType = a.optionalString(input.value.ContentType, 'TransformInput.ContentType', 'give a MIME type such as "text/csv"');
  if (!contentType.ok) return contentType;
  const split = oneOf(a, input.value.SplitType, 'TransformInput.SplitType', ['None', 'Line'] as const, 'None',
    'RecordIO and TFRecord splitting are not run locally; use "Line" or "None"');
  if (!split.ok) return split;
  const compression = oneOf(a, input.value.CompressionType, 'TransformInput.CompressionType', ['None', 'Gzip'] as const, 'None', 'use "None" or "Gzip"');
  if (!compression.ok) return compression;

  const output = a.object(r.TransformOutput, 'TransformOutput', 'give the job a TransformOutput with an S3OutputPath');
  if (!output.ok) return output;
  const outputUri = a.outputUri(output.value.S3OutputPath, 'TransformOutput.S3OutputPath', 'set it to the s3:// prefix the results go to');
  if (!outputUri.ok) return outputUri;
  const accept = a.optionalString(output.value.Accept, 'TransformOutput.Accept', 'give a MIME type such as "text/csv"');
  if (!accept.ok) return accept;
  const assemble = oneOf(a, output.value.AssembleWith, 'TransformOutput.AssembleWith', ['None', 'Line'] as const, 'None', 'use "None" or "Line"');
  if (!assemble.ok) return assemble;

  const strategy = r.BatchStrategy === undefined || r.BatchStrategy === null ? ok(undefined)
    : oneOf(a, r.BatchStrategy, 'BatchStrategy', ['SingleRecord', 'MultiRecord'] as const, 'MultiRecord', 'use "SingleRecord" or "MultiRecord"');
  if (!strategy.ok) return strategy;
  const payload = number(a, r.MaxPayloadInMB, 'MaxPayloadInMB', 'give the largest request size in MB (0: no limit)');
  if (!payload.ok) return payload;
  const env = a.stringMap(r.Environment, 'Environment', 'give the environment as an object of strings');
  if (!env.ok) return env;
  const filtered = dataProcessing(a, r.DataProcessing);
  if (!filtered.ok) return filtered;

  const res = a.optionalObject(r.TransformResources, 'TransformResources', 'give InstanceType and InstanceCount');
  if (!res.ok) return res;
  const instanceType = a.optionalString(res.value?.InstanceType, 'TransformResources.InstanceType', 'name an instance type such as "ml.m5.xlarge"');
  if (!instanceType.ok) return instanceType;
  const known = checkInstanceType(a, instanceType.value, 'TransformResources.InstanceType');
  if (!known.ok) return known;
  const count = number(a, res.value?.InstanceCount, 'TransformResources.InstanceCount', 'give a whole number of instances');
  if (!count.ok) return count;

  const client = a.optionalObject(r.ModelClientConfig, 'ModelClientConfig', 'give InvocationsTimeoutInSeconds and InvocationsMaxRetries');
  if (!client.ok) return client;
  const timeout = number(a, client.value?.InvocationsTimeoutInSeconds, 'ModelClientConfig.InvocationsTimeoutInSeconds', 'give seconds (1-3600)');
  if (!timeout.ok) return timeout;
  const retries = number(a, client.value?.InvocationsMaxRetries, 'ModelClientConfig.InvocationsMaxRetries', 'give a count (0-3)');
  if (!retries.ok) return retries;

  return ok({
    args: r,
    modelName: modelName.value,
    inputUri: inputUri.value,
    ...(contentType.value !== undefined ? { contentType: contentType.value } : {}),
    splitType: split.value,
    gzip: compression.value === 'Gzip',
    outputUri: outputUri.value,
    ...(accept.value !== undefined ? { accept: accept.value } : {}),
    assembleWith: assemble.value,
    ...(strategy.value !== undefined ? { batchStrategy: strategy.value } : {}),
    ...(payload.value !== undefined ? { maxPayloadMB: payload.value } : {}),
    environment: env.value,
    ...(instanceType.value !== undefined ? { instanceType: instanceType.value } : {}),
    instanceCount: count.value ?? 1,
    invocationTimeoutSeconds: timeout.value || DEFAULT_INVOCATION_TIMEOUT_SECONDS,
    invocationRetries: retries.value ?? DEFAULT_INVOCATION_RETRIES,
  });
}

function oneOf<T extends string>(a: ArgumentReader, v: JsonValue | undefined, field: string, allowed: readonly T[], dflt: T, fix: string): Result<T, StepFailure> {
  if (v === undefined || v === null) return ok(dflt);
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return ok(v as T);
  return a.fail(field, `is ${JSON.stringify(v)}, not one of ${allowed.map((x) => `"${x}"`).join(', ')}`, fix);
}

/** A non-negative number, also when a parameter resolved it to text. */
function number(a: ArgumentReader, v: JsonValue | undefined, field: string, fix: string): Result<number | undefined, StepFailure> {
  if (v === undefined || v === null) return ok(undefined);
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return ok(n);
  return a.fail(field, `is ${JSON.stringify(v)}, not a non-negative number`, fix);
}

/** DataProcessing filters and joins are not run locally: only the identity (`$`, JoinSource None) is accepted. */
function dataProcessing(a: ArgumentReader, v: JsonValue | undefined): Result<void, StepFailure> {
  if (v === undefined || v === null) return ok(undefined);
  const dp = a.object(v, 'DataProcessing', 'leave DataProcessing out');
  if (!dp.ok) return dp;
  const identity = (x: JsonValue | undefined): boolean => x === undefined || x === null || x === '$';
  if (identity(dp.value.InputFilter) && identity(dp.value.OutputFilter) && (dp.value.JoinSource ?? 'None') === 'None') return ok(undefined);
  return a.fail('DataProcessing', 'filters or joins records, which cairn does not run locally', 'leave DataProcessing out (or filter with a Processing step)');
}
