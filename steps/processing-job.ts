import type { JsonObject, JsonValue } from '../kernel/json.js';
import { ok, type Result } from '../kernel/result.js';
import { ArgumentReader } from './arguments.js';
import type { StepFailure } from '../contracts/step-failure.js';
import { checkInstanceType } from './step-resources.js';
import type { StepInput } from './step-inputs.js';

/** Container paths cairn itself binds in a processing container; inputs and outputs may not take them. */
const RESERVED = ['/opt/ml/config'];

export interface ProcessingOutput {
  name: string;
  uri: string;
  containerPath: string;
}

/** A validated CreateProcessingJob request. */
export interface ProcessingJobSpec {
  args: JsonObject;
  imageUri: string;
  entrypoint?: string[];
  containerArguments?: string[];
  environment: Record<string, string>;
  inputs: StepInput[];
  outputs: ProcessingOutput[];
  instanceType: string;
  instanceCount: number;
  /** NetworkConfig.EnableNetworkIsolation: the container gets no network. */
  networkIsolated: boolean;
}

/** Validates resolved Processing step Arguments; the first problem is an `invalid-arguments` failure. */
export function readProcessingJob(args: JsonValue, stepName: string): Result<ProcessingJobSpec, StepFailure> {
  const a = new ArgumentReader(stepName, 'Processing');
  const root = a.object(args, '', 'write the CreateProcessingJob request body as the step\'s Arguments');
  if (!root.ok) return root;
  const app = a.object(root.value.AppSpecification, 'AppSpecification', 'give the step an AppSpecification with an ImageUri');
  if (!app.ok) return app;
  const imageUri = a.string(app.value.ImageUri, 'AppSpecification.ImageUri', 'set it to the image the job runs');
  if (!imageUri.ok) return imageUri;
  const entrypoint = a.stringList(app.value.ContainerEntrypoint, 'AppSpecification.ContainerEntrypoint', 'give the entrypoint as a list of strings');
  if (!entrypoint.ok) return entrypoint;
  const cargs = a.stringList(app.value.ContainerArguments, 'AppSpecification.ContainerArguments', 'give the arguments as a list of strings');
  if (!cargs.ok) return cargs;
  const env = a.stringMap(root.value.Environment, 'Environment', 'give the environment as an object of strings');
  if (!env.ok) return env;

  const cluster = root.value.ProcessingResources;
  const clusterConfig = cluster && typeof cluster === 'object' && !Array.isArray(cluster) ? cluster.ClusterConfig : undefined;
  const cc = a.optionalObject(clusterConfig, 'ProcessingResources.ClusterConfig', 'give InstanceType and InstanceCount');
  if (!cc.ok) return cc;
  const instanceType = a.optionalString(cc.value?.InstanceType, 'ProcessingResources.ClusterConfig.InstanceType', 'name an instance type such as "ml.m5.xlarge"');
  if (!instanceType.ok) return instanceType;
  const knownType = checkInstanceType(a, instanceType.value, 'ProcessingResources.ClusterConfig.InstanceType');
  if (!knownType.ok) return knownType;

  const used = new Map<string, string>();
  const claim = (path: string, field: string): Result<void, StepFailure> => {
    if (RESERVED.includes(path)) return a.fail(field, `uses ${path}, which cairn binds for the job's configuration`, 'choose another path');
    const before = used.get(path);
    if (before !== undefined) return a.fail(field, `is "${path}", which ${before} already uses`, 'give every input and output its own LocalPath');
    used.set(path, field);
    return ok(undefined);
  };

  const inputs: StepInput[] = [];
  const rawInputs = a.array(root.value.ProcessingInputs, 'ProcessingInputs', 'give a list of inputs');
  if (!rawInputs.ok) return rawInputs;
  const inputNames = new Set<string>();
  for (const [i, raw] of rawInputs.value.entries()) {
    const f = `ProcessingInputs[${i}]`;
    const input = a.object(raw, f, 'give each input an InputName and an S3Input');
    if (!input.ok) return input;
    const name = a.string(input.value.InputName, `${f}.InputName`, 'give every input a unique name');
    if (!name.ok) return name;
    if (inputNames.has(name.value)) return a.fail(`${f}.InputName`, `repeats the input name "${name.value}"`, 'give every input a unique name');
    inputNames.add(name.value);
    if (input.value.S3Input === undefined && input.value.DatasetDefinition !== undefined) {
      return a.fail(`${f}.DatasetDefinition`, 'is not supported locally (Athena and Redshift datasets need AWS)', 'export the data to S3 and use an S3Input');
    }
    const s3 = a.object(input.value.S3Input, `${f}.S3Input`, 'give the input an S3Input with S3Uri and LocalPath');
    if (!s3.ok) return s3;
    const uri = a.string(s3.value.S3Uri, `${f}.S3Input.S3Uri`, 'set it to the s3:// or file:// URI of the input data');
    if (!uri.ok) return uri;
    const path = a.containerPath(s3.value.LocalPath, `${f}.S3Input.LocalPath`, 'SageMaker requires it to begin with /opt/ml/processing/: set it to where the container reads the input, e.g. "/opt/ml/processing/input/data"');
    if (!path.ok) return path;
    const unsupported = checkS3InputModes(a, s3.value, `${f}.S3Input`);
    if (!unsupported.ok) return unsupported;
    const claimed = claim(path.value, `${f}.S3Input.LocalPath`);
    if (!claimed.ok) return claimed;
    const sharded = a.sharded(s3.value.S3DataDistributionType, `${f}.S3Input.S3DataDistributionType`);
    if (!sharded.ok) return sharded;
    inputs.push({ name: name.value, uri: uri.value, containerPath: path.value, field: `${f}.S3Input.S3Uri`, ...(sharded.value ? { sharded: true } : {}) });
  }

  const outputs: ProcessingOutput[] = [];
  const outCfg = a.optionalObject(root.value.ProcessingOutputConfig, 'ProcessingOutputConfig', 'give an object with Outputs');
  if (!outCfg.ok) return outCfg;
  const rawOutputs = a.array(outCfg.value?.Outputs, 'ProcessingOutputConfig.Outputs', 'give a list of outputs');
  if (!rawOutputs.ok) return rawOutputs;
  const outputNames = new Set<string>();
  for (const [i, raw] of rawOutputs.value.entries()) {
    const f = `ProcessingOutputConfig.Outputs[${i}]`;
    const output = a.object(raw, f, 'give each output an OutputName and an S3Output');
    if (!output.ok) return output;
    const name = a.string(output.value.OutputName, `${f}.OutputName`, 'give every output a unique name');
    if (!name.ok) return name;
    if (outputNames.has(name.value)) return a.fail(`${f}.OutputName`, `repeats the output name "${name.value}"`, 'give every output a unique name');
    outputNames.add(name.value);
    if (output.value.S3Output === undefined && output.value.FeatureStoreOutput !== undefined) {
      return a.fail(`${f}.FeatureStoreOutput`, 'is not supported locally (Feature Store needs AWS)', 'write the output to S3 with an S3Output');
    }
    const s3 = a.object(output.value.S3Output, `${f}.S3Output`, 'give the output an S3Output with S3Uri and LocalPath');
    if (!s3.ok) return s3;
    const uri = a.outputUri(s3.value.S3Uri, `${f}.S3Output.S3Uri`, 'set it to the s3:// or file:// URI the output is uploaded to');
    if (!uri.ok) return uri;
    const path = a.containerPath(s3.value.LocalPath, `${f}.S3Output.LocalPath`, 'SageMaker requires it to begin with /opt/ml/processing/: set it to where the container writes the output, e.g. "/opt/ml/processing/output"');
    if (!path.ok) return path;
    const claimed = claim(path.value, `${f}.S3Output.LocalPath`);
    if (!claimed.ok) return claimed;
    outputs.push({ name: name.value, uri: uri.value, containerPath: path.value });
  }

  const count = a.instanceCount(cc.value?.InstanceCount, 'ProcessingResources.ClusterConfig.InstanceCount');
  if (!count.ok) return count;
  const network = a.optionalObject(root.value.NetworkConfig, 'NetworkConfig', 'give an object such as {"EnableNetworkIsolation": true}');
  if (!network.ok) return network;
  const isolated = a.flag(network.value?.EnableNetworkIsolation, 'NetworkConfig.EnableNetworkIsolation', 'set it to true or false');
  if (!isolated.ok) return isolated;
  return ok({
    args: root.value,
    imageUri: imageUri.value,
    ...(entrypoint.value ? { entrypoint: entrypoint.value } : {}),
    ...(cargs.value ? { containerArguments: cargs.value } : {}),
    environment: env.value,
    inputs,
    outputs,
    instanceType: instanceType.value ?? 'local',
    instanceCount: count.value,
    networkIsolated: isolated.value,
  });
}

/** File mode, S3Prefix, no compression: what cairn delivers. Anything else is refused rather than silently changed. */
export function checkS3InputModes(a: ArgumentReader, s3: JsonObject, f: string): Result<void, StepFailure> {
  const dataType = s3.S3DataType;
  if (dataType !== undefined && dataType !== 'S3Prefix') {
    return a.fail(`${f}.S3DataType`, `is ${JSON.stringify(dataType)}, which cairn does not support locally`, 'use "S3Prefix"');
  }
  const mode = s3.S3InputMode ?? s3.InputMode;
  if (mode === 'Pipe') return a.fail(`${f}.S3InputMode`, 'is "Pipe", which cairn does not support locally', 'use "File"');
  const compression = s3.S3CompressionType;
  if (compression !== undefined && compression !== 'None') {
    return a.fail(`${f}.S3CompressionType`, `is ${JSON.stringify(compression)}, which cairn does not support locally`, 'use "None" and decompress in the job');
  }
  return ok(undefined);
}
