import type { JsonValue } from '../../kernel/json.js';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import { SUPPORTED_STEP_TYPES } from '../../steps/executor-registry.js';
import { definitionText } from './definition-helpers.js';

/**
 * Processing steps for engine tests against the FakeRuntime: each reads one input at /opt/ml/processing/input/data and
 * writes output `out` (local /opt/ml/processing/output/out) to s3://bucket/out/<name>.
 */
export const CHAIN_IMAGE = 'cairn-test/job:1';
export const IN_DIR = '/opt/ml/processing/input/data';
export const OUT_DIR = '/opt/ml/processing/output/out';

export function proc(name: string, input: JsonValue, extra: Record<string, JsonValue> = {}): JsonValue {
  return {
    Name: name, Type: 'Processing', ...extra,
    Arguments: {
      AppSpecification: { ImageUri: CHAIN_IMAGE },
      ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 } },
      RoleArn: 'arn:aws:iam::111111111111:role/r',
      ProcessingInputs: [{ InputName: 'data', S3Input: { S3Uri: input, LocalPath: IN_DIR, S3DataType: 'S3Prefix', S3InputMode: 'File' } }],
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'out', S3Output: { S3Uri: `s3://bucket/out/${name}`, LocalPath: OUT_DIR, S3UploadMode: 'EndOfJob' } }] },
    },
  };
}

export const outOf = (step: string): JsonValue => ({ Get: `Steps.${step}.ProcessingOutputConfig.Outputs['out'].S3Output.S3Uri` });

/** A → B → C, each reading the one before's output (A reads s3://bucket/raw). */
export function chain(extra: Partial<Record<'A' | 'B' | 'C', Record<string, JsonValue>>> = {}) {
  return definition([proc('A', 's3://bucket/raw', extra.A), proc('B', outOf('A'), extra.B), proc('C', outOf('B'), extra.C)]);
}

/** A definition (with one String parameter Go, default "yes") and its text. */
export function definition(steps: JsonValue[]) {
  const text = definitionText({ Parameters: [{ Name: 'Go', Type: 'String', DefaultValue: 'yes' }], Steps: steps });
  const r = loadDefinitionText(text, 'pipeline.json', { supportedStepTypes: SUPPORTED_STEP_TYPES });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { def: r.value, text };
}

export type Loaded = ReturnType<typeof definition>;
