import { codeLocation } from './local-code.js';
import {
  isPipelineVariable, pythonJsonDumps, pythonStr, s3PathJoin, type HyperparameterValue, type Num, type Str, type Value,
} from './entities.js';
import { DEFAULT_REGION, frameworkImageUri } from './image-uris.js';
import type { BuildContext } from './build-context.js';
import type { TrainingChannel } from './inputs.js';

export interface MetricDefinition {
  name: string;
  regex: string;
}

export interface EstimatorOptions {
  imageUri: string;
  /** IAM role ARN (recorded in the definition; cairn does not assume it). `roleArn` is accepted as an alias. */
  role?: string;
  roleArn?: string;
  instanceType: Str;
  /** Default 1. */
  instanceCount?: Num;
  /** VolumeSizeInGB, default 30. */
  volumeSize?: Num;
  volumeKmsKey?: string;
  /** MaxRuntimeInSeconds, default 86400 (24 h) as in the SDK. */
  maxRun?: number;
  /** Default File. */
  inputMode?: 'File' | 'Pipe' | 'FastFile';
  /** Where model.tar.gz goes; default `s3://<default bucket>/` as in the SDK. */
  outputPath?: Str;
  outputKmsKey?: string;
  /** Values are passed as `str(value)` (generic Estimator) or JSON-encoded (framework estimators), as the SDK does. */
  hyperparameters?: Record<string, HyperparameterValue>;
  metricDefinitions?: MetricDefinition[];
  enableSagemakerMetrics?: boolean;
  environment?: Record<string, Str>;
  containerEntrypoint?: string[];
  containerArguments?: Str[];
  /** Script mode: the entry script, relative to `sourceDir`. */
  entryPoint?: string;
  /** Script mode: `s3://…/sourcedir.tar.gz` holding the code (local directories are not packed yet). */
  sourceDir?: string;
  /** Default us-east-1: `sagemaker_region` and the image's region. */
  region?: string;
  /** `sagemaker_container_log_level`, default 20 (logging.INFO). */
  containerLogLevel?: number;
  checkpointS3Uri?: Str;
  checkpointLocalPath?: string;
  /** `false` leaves out DebugHookConfig (the SDK writes `{S3OutputPath: <output path>, CollectionConfigurations: []}`). */
  debuggerHookConfig?: false;
  /** ProfilerConfig.DisableProfiler (default false, as in the SDK). */
  disableProfiler?: boolean;
}

/** `{"sagemaker_program": ..., "sagemaker_submit_directory": ...}` for script mode, JSON-encoded as the SDK does. */
export function scriptModeHyperparameters(
  kind: string, o: Pick<EstimatorOptions, 'entryPoint' | 'sourceDir' | 'containerLogLevel' | 'region'>, required: boolean, ctx: BuildContext | undefined,
): Record<string, string> {
  if (o.entryPoint === undefined) {
    if (required) throw new Error(`${kind}: "entryPoint" is required (the training script, relative to sourceDir)`);
    if (o.sourceDir !== undefined) throw new Error(`${kind}: "sourceDir" needs an "entryPoint"`);
    return {};
  }
  if (o.sourceDir === undefined) {
    throw new Error(`${kind}: entryPoint ${JSON.stringify(o.entryPoint)} needs "sourceDir": the local directory holding it, or the s3:// URI of a sourcedir.tar.gz`);
  }
  return {
    sagemaker_submit_directory: pythonJsonDumps(codeLocation(kind, 'sourceDir', o.sourceDir, ctx, 'sourcedir')),
    sagemaker_program: pythonJsonDumps(o.entryPoint),
    sagemaker_container_log_level: pythonJsonDumps(o.containerLogLevel ?? 20),
    sagemaker_region: pythonJsonDumps(o.region ?? DEFAULT_REGION),
  };
}

/** What a TrainingStep runs: an estimator and its channels (`estimator.fit(...)`). */
export interface TrainingRun {
  estimator: Estimator;
  /** Channels by name, or one channel (named "training", as in the SDK). */
  inputs?: Record<string, TrainingChannel> | TrainingChannel;
}

/** sagemaker.estimator.Estimator: a training job on any image. */
export class Estimator {
  readonly role: string;
  readonly imageUri: string;
  readonly opts: EstimatorOptions;

  constructor(opts: EstimatorOptions) {
    const role = opts.role ?? opts.roleArn;
    if (role === undefined) throw new Error(`${this.constructor.name}: "role" is required (the IAM role ARN SageMaker would use)`);
    if (!opts.imageUri) throw new Error(`${this.constructor.name}: "imageUri" is required`);
    this.role = role;
    this.imageUri = opts.imageUri;
    this.opts = opts;
    this.hyperparameters(undefined);
  }

  /** The step arguments of a training job, as `estimator.fit(...)` returns them under a PipelineSession. */
  fit(opts: { inputs?: Record<string, TrainingChannel> | TrainingChannel } = {}): TrainingRun {
    return opts.inputs === undefined ? { estimator: this } : { estimator: this, inputs: opts.inputs };
  }

  /** The HyperParameters map: user values as `str()` (variables via `to_string()`), then script-mode keys. */
  hyperparameters(ctx?: BuildContext): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(this.opts.hyperparameters ?? {})) out[k] = isPipelineVariable(v) ? v.toStringExpr() : pythonStr(v);
    return { ...out, ...scriptModeHyperparameters(this.constructor.name, this.opts, false, ctx) };
  }

  /** AlgorithmSpecification.EnableSageMakerMetricsTimeSeries, when set. */
  protected metricsTimeSeries(): boolean | undefined {
    return this.opts.enableSagemakerMetrics;
  }

  /** The CreateTrainingJob request (without TrainingJobName), keys in the SDK's order. */
  jobArguments(channels: Record<string, unknown>[], ctx: BuildContext): Record<string, unknown> {
    const o = this.opts;
    const algo: Record<string, unknown> = { TrainingInputMode: o.inputMode ?? 'File', TrainingImage: this.imageUri };
    if (o.containerEntrypoint !== undefined) algo.ContainerEntrypoint = o.containerEntrypoint;
    if (o.containerArguments !== undefined) algo.ContainerArguments = o.containerArguments;
    if (o.metricDefinitions !== undefined && o.metricDefinitions.length > 0) {
      algo.MetricDefinitions = o.metricDefinitions.map((m) => ({ Name: m.name, Regex: m.regex }));
    }
    const ts = this.metricsTimeSeries();
    if (ts !== undefined) algo.EnableSageMakerMetricsTimeSeries = ts;
    const outputPath = o.outputPath ?? s3PathJoin('s3://', ctx.defaultBucket) + '/';
    const output: Record<string, unknown> = { S3OutputPath: outputPath };
    if (o.outputKmsKey !== undefined) output.KmsKeyId = o.outputKmsKey;
    const resources: Record<string, unknown> = { VolumeSizeInGB: o.volumeSize ?? 30, InstanceCount: o.instanceCount ?? 1, InstanceType: o.instanceType };
    if (o.volumeKmsKey !== undefined) resources.VolumeKmsKeyId = o.volumeKmsKey;
    const r: Record<string, unknown> = {
      AlgorithmSpecification: algo,
      OutputDataConfig: output,
      StoppingCondition: { MaxRuntimeInSeconds: o.maxRun ?? 86400 },
      ResourceConfig: resources,
      RoleArn: this.role,
    };
    if (channels.length > 0) r.InputDataConfig = channels;
    const hp = this.hyperparameters(ctx);
    if (Object.keys(hp).length > 0) r.HyperParameters = hp;
    if (o.environment !== undefined) r.Environment = o.environment;
    if (o.checkpointS3Uri !== undefined) {
      r.CheckpointConfig = o.checkpointLocalPath === undefined ? { S3Uri: o.checkpointS3Uri } : { S3Uri: o.checkpointS3Uri, LocalPath: o.checkpointLocalPath };
    }
    if (o.debuggerHookConfig !== false) r.DebugHookConfig = { S3OutputPath: outputPath, CollectionConfigurations: [] };
    r.ProfilerConfig = { S3OutputPath: outputPath, DisableProfiler: o.disableProfiler ?? false };
    return r;
  }
}

export interface TensorFlowOptions extends Omit<EstimatorOptions, 'imageUri' | 'entryPoint'> {
  entryPoint: string;
  frameworkVersion: string;
  pyVersion: string;
  /** Default: the TensorFlow training image for the version, Python, instance type (cpu/gpu) and region. */
  imageUri?: string;
  /**
   * The `model_dir` hyperparameter. Default "/opt/ml/model" (the SDK's default is an S3 path under the output path
   * named after a timestamped job name, which would differ on every build); `false` leaves it out.
   */
  modelDir?: string | false;
}

function atLeast(version: string, min: readonly number[]): boolean {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    const a = parts[i] ?? 0;
    const b = min[i] ?? 0;
    if (Number.isNaN(a) || a !== b) return !Number.isNaN(a) && a > b;
  }
  return true;
}

/** sagemaker.tensorflow.TensorFlow: script mode on the TensorFlow training image; every hyperparameter JSON-encoded. */
export class TensorFlow extends Estimator {
  readonly frameworkVersion: string;
  readonly pyVersion: string;

  constructor(opts: TensorFlowOptions) {
    const instanceType = opts.instanceType;
    const imageUri = opts.imageUri ?? frameworkImageUri({
      framework: 'tensorflow', frameworkVersion: opts.frameworkVersion, pyVersion: opts.pyVersion,
      instanceType: typeof instanceType === 'string' ? instanceType : 'ml.m5.xlarge', region: opts.region,
    });
    super({ ...opts, imageUri });
    this.frameworkVersion = opts.frameworkVersion;
    this.pyVersion = opts.pyVersion;
  }

  override hyperparameters(ctx?: BuildContext): Record<string, Value> {
    const o = this.opts as TensorFlowOptions;
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(o.hyperparameters ?? {})) out[k] = isPipelineVariable(v) ? v.toStringExpr() : pythonJsonDumps(v);
    Object.assign(out, scriptModeHyperparameters(this.constructor.name, o, true, ctx));
    const modelDir = o.modelDir ?? '/opt/ml/model';
    if (modelDir !== false) out.model_dir = pythonJsonDumps(modelDir);
    return out;
  }

  /** The SDK turns SageMaker metrics on by default for TensorFlow 1.15 and later. */
  protected override metricsTimeSeries(): boolean | undefined {
    return this.opts.enableSagemakerMetrics ?? (atLeast(this.frameworkVersion, [1, 15]) ? true : undefined);
  }
}
