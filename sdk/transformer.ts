import type { Num, Str } from './entities.js';

export interface TransformInputOptions {
  /** `s3://` URI (or a variable) of the data to transform. */
  data: Str;
  /** Default S3Prefix. */
  dataType?: 'S3Prefix' | 'ManifestFile' | 'AugmentedManifestFile';
  contentType?: Str;
  compressionType?: 'None' | 'Gzip';
  splitType?: 'None' | 'Line' | 'RecordIO' | 'TFRecord';
  /** DataProcessing.InputFilter / OutputFilter / JoinSource. */
  inputFilter?: Str;
  outputFilter?: Str;
  joinSource?: 'Input' | 'None';
}

/** sagemaker.inputs.TransformInput: the data of a batch transform job. */
export class TransformInput {
  constructor(readonly opts: TransformInputOptions) {
    if (opts.data === undefined || opts.data === '') throw new Error('TransformInput: "data" is required (the s3:// URI of the data to transform)');
  }

  /** The job's `TransformInput`. */
  toRequest(): Record<string, unknown> {
    const o = this.opts;
    const r: Record<string, unknown> = { DataSource: { S3DataSource: { S3DataType: o.dataType ?? 'S3Prefix', S3Uri: o.data } } };
    if (o.contentType !== undefined) r.ContentType = o.contentType;
    if (o.compressionType !== undefined) r.CompressionType = o.compressionType;
    if (o.splitType !== undefined) r.SplitType = o.splitType;
    return r;
  }

  /** The job's `DataProcessing`, when a filter or join is set. */
  dataProcessing(): Record<string, unknown> | undefined {
    const o = this.opts;
    const r: Record<string, unknown> = {};
    if (o.inputFilter !== undefined) r.InputFilter = o.inputFilter;
    if (o.outputFilter !== undefined) r.OutputFilter = o.outputFilter;
    if (o.joinSource !== undefined) r.JoinSource = o.joinSource;
    return Object.keys(r).length === 0 ? undefined : r;
  }
}

export interface TransformerOptions {
  /** The model to serve, e.g. a ModelStep's `properties.modelName`. */
  modelName: Str;
  instanceType: Str;
  /** Default 1. */
  instanceCount?: Num;
  /**
   * Where the results go. Required: the SDK's default is a path named after a timestamped job name, which would
   * differ on every build.
   */
  outputPath: Str;
  accept?: Str;
  assembleWith?: 'None' | 'Line';
  strategy?: 'MultiRecord' | 'SingleRecord';
  maxConcurrentTransforms?: Num;
  maxPayload?: Num;
  env?: Record<string, Str>;
  outputKmsKey?: Str;
  volumeKmsKey?: Str;
}

/** What a TransformStep runs: a transformer and its input (`transformer.transform(...)`). */
export interface TransformRun {
  transformer: Transformer;
  inputs: TransformInput;
}

/** sagemaker.transformer.Transformer: a batch transform job over a model. */
export class Transformer {
  constructor(readonly opts: TransformerOptions) {
    if (opts.modelName === undefined || opts.modelName === '') throw new Error('Transformer: "modelName" is required');
    if (opts.outputPath === undefined || opts.outputPath === '') {
      throw new Error('Transformer: "outputPath" is required (where the results go; the SDK would name it after a timestamped job name)');
    }
  }

  /** The step arguments of `transformer.transform(...)`, as under a PipelineSession. */
  transform(input: TransformInputOptions): TransformRun {
    return { transformer: this, inputs: new TransformInput(input) };
  }

  /** The CreateTransformJob request (without TransformJobName). */
  jobArguments(input: TransformInput): Record<string, unknown> {
    const o = this.opts;
    const output: Record<string, unknown> = { S3OutputPath: o.outputPath };
    if (o.outputKmsKey !== undefined) output.KmsKeyId = o.outputKmsKey;
    if (o.assembleWith !== undefined) output.AssembleWith = o.assembleWith;
    if (o.accept !== undefined) output.Accept = o.accept;
    const resources: Record<string, unknown> = { InstanceCount: o.instanceCount ?? 1, InstanceType: o.instanceType };
    if (o.volumeKmsKey !== undefined) resources.VolumeKmsKeyId = o.volumeKmsKey;
    const r: Record<string, unknown> = { ModelName: o.modelName, TransformInput: input.toRequest(), TransformOutput: output, TransformResources: resources };
    if (o.strategy !== undefined) r.BatchStrategy = o.strategy;
    if (o.maxConcurrentTransforms !== undefined) r.MaxConcurrentTransforms = o.maxConcurrentTransforms;
    if (o.maxPayload !== undefined) r.MaxPayloadInMB = o.maxPayload;
    if (o.env !== undefined) r.Environment = o.env;
    const dp = input.dataProcessing();
    if (dp !== undefined) r.DataProcessing = dp;
    return r;
  }
}
