import type { Str } from './entities.js';

export type S3DataType = 'S3Prefix' | 'ManifestFile' | 'AugmentedManifestFile';
export type S3DataDistributionType = 'FullyReplicated' | 'ShardedByS3Key';

export interface ProcessingInputOptions {
  /** `s3://` URI (or a variable resolving to one, e.g. another step's output). */
  source: Str;
  /** Path inside the container, e.g. `/opt/ml/processing/input/raw`. */
  destination: string;
  /** Default: `input-<n>` (1-based position among the step's inputs). */
  inputName?: string;
  s3DataType?: S3DataType;
  s3InputMode?: 'File' | 'Pipe';
  s3DataDistributionType?: S3DataDistributionType;
  s3CompressionType?: 'None' | 'Gzip';
}

/** sagemaker.processing.ProcessingInput (S3 inputs). */
export class ProcessingInput {
  readonly source: Str;
  readonly destination: string;
  readonly inputName: string | undefined;
  readonly s3DataType: S3DataType;
  readonly s3InputMode: 'File' | 'Pipe';
  readonly s3DataDistributionType: S3DataDistributionType;
  readonly s3CompressionType: 'None' | 'Gzip';

  constructor(opts: ProcessingInputOptions) {
    if (typeof opts.source === 'string' && !opts.source.startsWith('s3://')) {
      throw new Error(`ProcessingInput ${JSON.stringify(opts.source)}: local sources are not uploaded yet; give an s3:// URI ` +
        '(cairn resolves s3://<bucket>/<key> to its embedded object store)');
    }
    this.source = opts.source;
    this.destination = opts.destination;
    this.inputName = opts.inputName;
    this.s3DataType = opts.s3DataType ?? 'S3Prefix';
    this.s3InputMode = opts.s3InputMode ?? 'File';
    this.s3DataDistributionType = opts.s3DataDistributionType ?? 'FullyReplicated';
    this.s3CompressionType = opts.s3CompressionType ?? 'None';
  }

  /** `ProcessingInput._to_request_dict`, named `name` when the input has no name of its own. */
  toRequest(name: string): Record<string, unknown> {
    return {
      InputName: this.inputName ?? name,
      AppManaged: false,
      S3Input: {
        S3Uri: this.source,
        LocalPath: this.destination,
        S3DataType: this.s3DataType,
        S3InputMode: this.s3InputMode,
        S3DataDistributionType: this.s3DataDistributionType,
        S3CompressionType: this.s3CompressionType,
      },
    };
  }
}

export interface ProcessingOutputOptions<N extends string> {
  /** Path inside the container whose content is uploaded after the job. */
  source: string;
  /**
   * `s3://` destination. Default, as the SDK does inside a pipeline:
   * `Join("/", ["s3:/", <default bucket>, <pipeline name>, ExecutionId, <step name>, "output", <output name>])`.
   */
  destination?: Str;
  /** Default: `output-<n>`. Name it to reference it from later steps. */
  outputName?: N;
  s3UploadMode?: 'EndOfJob' | 'Continuous';
}

/** sagemaker.processing.ProcessingOutput (S3 outputs). */
export class ProcessingOutput<const N extends string = string> {
  readonly source: string;
  readonly destination: Str | undefined;
  readonly outputName: N | undefined;
  readonly s3UploadMode: 'EndOfJob' | 'Continuous';

  constructor(opts: ProcessingOutputOptions<N>) {
    this.source = opts.source;
    this.destination = opts.destination;
    this.outputName = opts.outputName;
    this.s3UploadMode = opts.s3UploadMode ?? 'EndOfJob';
  }

  toRequest(name: string, destination: Str): Record<string, unknown> {
    return {
      OutputName: name,
      AppManaged: false,
      S3Output: { S3Uri: destination, LocalPath: this.source, S3UploadMode: this.s3UploadMode },
    };
  }
}

export interface TrainingInputOptions {
  s3Data: Str;
  /** Default `FullyReplicated`. */
  distribution?: S3DataDistributionType;
  compression?: 'None' | 'Gzip';
  contentType?: Str;
  recordWrapping?: 'None' | 'RecordIO';
  s3DataType?: S3DataType;
  inputMode?: 'File' | 'Pipe' | 'FastFile';
  attributeNames?: string[];
  shuffleConfig?: { seed: number };
}

/** sagemaker.inputs.TrainingInput: one channel of a training job. */
export class TrainingInput {
  readonly config: Record<string, unknown>;

  constructor(opts: TrainingInputOptions) {
    if (typeof opts.s3Data === 'string' && !opts.s3Data.startsWith('s3://')) {
      throw new Error(`TrainingInput ${JSON.stringify(opts.s3Data)}: local data is not uploaded yet; give an s3:// URI`);
    }
    const s3: Record<string, unknown> = { S3DataType: opts.s3DataType ?? 'S3Prefix', S3Uri: opts.s3Data };
    s3.S3DataDistributionType = opts.distribution ?? 'FullyReplicated';
    if (opts.attributeNames !== undefined) s3.AttributeNames = opts.attributeNames;
    const config: Record<string, unknown> = { DataSource: { S3DataSource: s3 } };
    if (opts.compression !== undefined) config.CompressionType = opts.compression;
    if (opts.contentType !== undefined) config.ContentType = opts.contentType;
    if (opts.recordWrapping !== undefined) config.RecordWrapperType = opts.recordWrapping;
    if (opts.inputMode !== undefined) config.InputMode = opts.inputMode;
    if (opts.shuffleConfig !== undefined) config.ShuffleConfig = { Seed: opts.shuffleConfig.seed };
    this.config = config;
  }

  /** `_Job._convert_input_to_channel`: the config with `ChannelName` added last. */
  toChannel(name: string): Record<string, unknown> {
    return { ...this.config, ChannelName: name };
  }
}

/** What a training channel may be given as: a TrainingInput, an `s3://` URI, or a variable resolving to one. */
export type TrainingChannel = TrainingInput | Str;

export function toTrainingInput(v: TrainingChannel): TrainingInput {
  return v instanceof TrainingInput ? v : new TrainingInput({ s3Data: v });
}
