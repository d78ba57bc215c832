import { channelDir, DEFAULT_CHECKPOINT_DIR, type TrainingChannelConfig } from '../containers/contract/training.js';
import type { JsonObject, JsonValue } from '../kernel/json.js';
import { ok, type Result } from '../kernel/result.js';
import { ArgumentReader } from './arguments.js';
import type { StepFailure } from '../contracts/step-failure.js';
import { checkInstanceType } from './step-resources.js';
import { checkS3InputModes } from './processing-job.js';
import { compileMetricRegex, type MetricDefinition } from './metric-definitions.js';
import type { StepInput } from './step-inputs.js';

/** SageMaker's ChannelName pattern. */
const CHANNEL_NAME = /^[A-Za-z0-9.\-_]+$/;

export interface TrainingChannel extends StepInput, TrainingChannelConfig {}

/** A validated CreateTrainingJob request. */
export interface TrainingJobSpec {
  args: JsonObject;
  imageUri: string;
  entrypoint?: string[];
  containerArguments?: string[];
  hyperParameters: Record<string, string>;
  metricDefinitions: MetricDefinition[];
  environment: Record<string, string>;
  channels: TrainingChannel[];
  /** OutputDataConfig.S3OutputPath without a trailing slash. */
  outputPath: string;
  checkpointDir?: string;
  /** CheckpointConfig.S3Uri: checkpoints are restored from it before the job and saved to it after, as SageMaker syncs them. */
  checkpointUri?: string;
  instanceType: string;
  instanceCount: number;
  /** EnableNetworkIsolation: the container gets no network. */
  networkIsolated: boolean;
}

/** Validates resolved Training step Arguments; the first problem is an `invalid-arguments` failure. */
export function readTrainingJob(args: JsonValue, stepName: string): Result<TrainingJobSpec, StepFailure> {
  const a = new ArgumentReader(stepName, 'Training');
  const root = a.object(args, '', 'write the CreateTrainingJob request body as the step\'s Arguments');
  if (!root.ok) return root;
  const algo = a.object(root.value.AlgorithmSpecification, 'AlgorithmSpecification', 'give the step an AlgorithmSpecification with a TrainingImage');
  if (!algo.ok) return algo;
  if (algo.value.TrainingImage === undefined && algo.value.AlgorithmName !== undefined) {
    return a.fail('AlgorithmSpecification.AlgorithmName', 'names a marketplace algorithm, which cannot run locally', 'give a TrainingImage instead');
  }
  const imageUri = a.string(algo.value.TrainingImage, 'AlgorithmSpecification.TrainingImage', 'set it to the image the job runs');
  if (!imageUri.ok) return imageUri;
  if (algo.value.TrainingInputMode === 'Pipe') {
    return a.fail('AlgorithmSpecification.TrainingInputMode', 'is "Pipe", which cairn does not support locally', 'use "File"');
  }
  const entrypoint = a.stringList(algo.value.ContainerEntrypoint, 'AlgorithmSpecification.ContainerEntrypoint', 'give the entrypoint as a list of strings');
  if (!entrypoint.ok) return entrypoint;
  const cargs = a.stringList(algo.value.ContainerArguments, 'AlgorithmSpecification.ContainerArguments', 'give the arguments as a list of strings');
  if (!cargs.ok) return cargs;
  const metricDefinitions: MetricDefinition[] = [];
  const rawMetrics = a.array(algo.value.MetricDefinitions, 'AlgorithmSpecification.MetricDefinitions', 'give a list of {Name, Regex}');
  if (!rawMetrics.ok) return rawMetrics;
  for (const [i, raw] of rawMetrics.value.entries()) {
    const f = `AlgorithmSpecification.MetricDefinitions[${i}]`;
    const md = a.object(raw, f, 'give each metric a Name and a Regex');
    if (!md.ok) return md;
    const name = a.string(md.value.Name, `${f}.Name`, 'name the metric');
    if (!name.ok) return name;
    const regex = a.string(md.value.Regex, `${f}.Regex`, 'give a regular expression whose first group captures the value');
    if (!regex.ok) return regex;
    const compiled = compileMetricRegex(regex.value);
    if (typeof compiled === 'string') return a.fail(`${f}.Regex`, `is not a valid regular expression (${compiled})`, 'fix the expression');
    metricDefinitions.push({ name: name.value, regex: regex.value });
  }
  const hps = a.stringMap(root.value.HyperParameters, 'HyperParameters', 'give hyperparameters as an object of strings');
  if (!hps.ok) return hps;
  const env = a.stringMap(root.value.Environment, 'Environment', 'give the environment as an object of strings');
  if (!env.ok) return env;

  const channels: TrainingChannel[] = [];
  const rawChannels = a.array(root.value.InputDataConfig, 'InputDataConfig', 'give a list of channels');
  if (!rawChannels.ok) return rawChannels;
  const names = new Set<string>();
  for (const [i, raw] of rawChannels.value.entries()) {
    const f = `InputDataConfig[${i}]`;
    const ch = a.object(raw, f, 'give each channel a ChannelName and a DataSource');
    if (!ch.ok) return ch;
    const name = a.string(ch.value.ChannelName, `${f}.ChannelName`, 'give every channel a unique name');
    if (!name.ok) return name;
    if (!CHANNEL_NAME.test(name.value)) return a.fail(`${f}.ChannelName`, `is "${name.value}"`, 'use only letters, digits, ".", "-" and "_"');
    if (names.has(name.value)) return a.fail(`${f}.ChannelName`, `repeats the channel name "${name.value}"`, 'give every channel a unique name');
    names.add(name.value);
    const ds = a.object(ch.value.DataSource, `${f}.DataSource`, 'give the channel a DataSource with an S3DataSource');
    if (!ds.ok) return ds;
    if (ds.value.S3DataSource === undefined && ds.value.FileSystemDataSource !== undefined) {
      return a.fail(`${f}.DataSource.FileSystemDataSource`, 'is not supported locally (EFS and FSx need AWS)', 'use an S3DataSource');
    }
    const s3 = a.object(ds.value.S3DataSource, `${f}.DataSource.S3DataSource`, 'give the channel an S3DataSource with an S3Uri');
    if (!s3.ok) return s3;
    const uri = a.string(s3.value.S3Uri, `${f}.DataSource.S3DataSource.S3Uri`, 'set it to the s3:// or file:// URI of the channel data');
    if (!uri.ok) return uri;
    const dataType = checkS3InputModes(a, { S3DataType: s3.value.S3DataType ?? 'S3Prefix' }, `${f}.DataSource.S3DataSource`);
    if (!dataType.ok) return dataType;
    if (ch.value.InputMode === 'Pipe') return a.fail(`${f}.InputMode`, 'is "Pipe", which cairn does not support locally', 'use "File"');
    if (ch.value.CompressionType !== undefined && ch.value.CompressionType !== 'None') {
      return a.fail(`${f}.CompressionType`, `is ${JSON.stringify(ch.value.CompressionType)}, which cairn does not support locally`, 'use "None" and decompress in the job');
    }
    const contentType = a.optionalString(ch.value.ContentType, `${f}.ContentType`, 'give a MIME type such as "text/csv"');
    if (!contentType.ok) return contentType;
    const channel: TrainingChannel = { name: name.value, uri: uri.value, containerPath: channelDir(name.value), field: `${f}.DataSource.S3DataSource.S3Uri` };
    if (contentType.value !== undefined) channel.contentType = contentType.value;
    const sharded = a.sharded(s3.value.S3DataDistributionType, `${f}.DataSource.S3DataSource.S3DataDistributionType`);
    if (!sharded.ok) return sharded;
    if (typeof s3.value.S3DataDistributionType === 'string') channel.s3DistributionType = s3.value.S3DataDistributionType;
    if (sharded.value) channel.sharded = true;
    if (typeof ch.value.RecordWrapperType === 'string') channel.recordWrapperType = ch.value.RecordWrapperType;
    channels.push(channel);
  }

  const out = a.object(root.value.OutputDataConfig, 'OutputDataConfig', 'give an OutputDataConfig with an S3OutputPath');
  if (!out.ok) return out;
  const outputPath = a.outputUri(out.value.S3OutputPath, 'OutputDataConfig.S3OutputPath', 'set it to the s3:// or file:// prefix that receives model.tar.gz');
  if (!outputPath.ok) return outputPath;
  const ckpt = a.optionalObject(root.value.CheckpointConfig, 'CheckpointConfig', 'give an object with S3Uri and LocalPath');
  if (!ckpt.ok) return ckpt;
  let checkpointDir: string | undefined;
  let checkpointUri: string | undefined;
  if (ckpt.value !== undefined) {
    const p = ckpt.value.LocalPath === undefined ? ok(DEFAULT_CHECKPOINT_DIR) : a.containerPath(ckpt.value.LocalPath, 'CheckpointConfig.LocalPath', 'give an absolute container path');
    if (!p.ok) return p;
    checkpointDir = p.value;
    const uri = a.outputUri(ckpt.value.S3Uri, 'CheckpointConfig.S3Uri', 'set it to the s3:// prefix that keeps the checkpoints');
    if (!uri.ok) return uri;
    checkpointUri = uri.value.replace(/\/+$/, '');
  }
  const res = a.optionalObject(root.value.ResourceConfig, 'ResourceConfig', 'give InstanceType and InstanceCount');
  if (!res.ok) return res;
  const instanceType = a.optionalString(res.value?.InstanceType, 'ResourceConfig.InstanceType', 'name an instance type such as "ml.m5.xlarge"');
  if (!instanceType.ok) return instanceType;
  const knownType = checkInstanceType(a, instanceType.value, 'ResourceConfig.InstanceType');
  if (!knownType.ok) return knownType;
  const count = a.instanceCount(res.value?.InstanceCount, 'ResourceConfig.InstanceCount');
  if (!count.ok) return count;
  const isolated = a.flag(root.value.EnableNetworkIsolation, 'EnableNetworkIsolation', 'set it to true or false');
  if (!isolated.ok) return isolated;

  return ok({
    args: root.value,
    imageUri: imageUri.value,
    ...(entrypoint.value ? { entrypoint: entrypoint.value } : {}),
    ...(cargs.value ? { containerArguments: cargs.value } : {}),
    hyperParameters: hps.value,
    metricDefinitions,
    environment: env.value,
    channels,
    outputPath: outputPath.value.replace(/\/+$/, ''),
    ...(checkpointDir !== undefined ? { checkpointDir } : {}),
    ...(checkpointUri !== undefined ? { checkpointUri } : {}),
    instanceType: instanceType.value ?? 'local',
    instanceCount: count.value,
    networkIsolated: isolated.value,
  });
}
