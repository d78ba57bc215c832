import type { BuildContext } from './build-context.js';
import { createHash } from 'node:crypto';
import { basenameOf, isS3Uri, s3PathJoin, type Num, type Str } from './entities.js';
import { frameworkImageUri, type Framework } from './image-uris.js';
import { codeLocation } from './local-code.js';
import { ProcessingInput, type ProcessingOutput } from './inputs.js';

/** What serialising a step needs to know about the pipeline it is part of. */
export interface ProcessorOptions {
  /** IAM role ARN (recorded in the definition; cairn does not assume it). `roleArn` is accepted as an alias. */
  role?: string;
  roleArn?: string;
  imageUri: string;
  instanceType: Str;
  /** Default 1. */
  instanceCount?: Num;
  /** Default 30. */
  volumeSizeInGb?: Num;
  volumeKmsKey?: string;
  outputKmsKey?: string;
  maxRuntimeInSeconds?: number;
  env?: Record<string, Str>;
  /** ContainerEntrypoint (plain `Processor` only; ScriptProcessor derives it from `command` and the code). */
  entrypoint?: string[];
  networkConfig?: { enableNetworkIsolation?: boolean; encryptInterContainerTraffic?: boolean };
}

/** The code a processor adds to a job: extra inputs and the container entrypoint. */
export interface CodeSetup {
  inputs: ProcessingInput[];
  entrypoint: string[] | undefined;
}

/** What a ProcessingStep runs: a processor with its inputs, outputs, arguments and code (`processor.run(...)`). */
export interface ProcessingRun<N extends string = string> {
  processor: Processor;
  inputs?: ProcessingInput[];
  outputs?: ProcessingOutput<N>[];
  /** ContainerArguments. */
  jobArguments?: Str[];
  /** ScriptProcessor: the script (local file or s3:// URI). FrameworkProcessor: the entry script, relative to `sourceDir`. */
  code?: string;
  /** FrameworkProcessor: a local directory, or the s3:// URI of a sourcedir.tar.gz. */
  sourceDir?: string;
}

/** The arguments of `processor.run(...)`, named as in the SDK. */
export interface RunOptions<N extends string> {
  inputs?: ProcessingInput[];
  outputs?: ProcessingOutput<N>[];
  arguments?: Str[];
  code?: string;
  sourceDir?: string;
}

/** sagemaker.processing.Processor: runs a container with inputs and outputs. */
export class Processor {
  readonly role: string;
  readonly imageUri: string;
  readonly opts: ProcessorOptions;

  constructor(opts: ProcessorOptions) {
    const role = opts.role ?? opts.roleArn;
    if (role === undefined) throw new Error(`${this.constructor.name}: "role" is required (the IAM role ARN SageMaker would use)`);
    if (!opts.imageUri) throw new Error(`${this.constructor.name}: "imageUri" is required`);
    this.role = role;
    this.imageUri = opts.imageUri;
    this.opts = opts;
  }

  /**
   * The step arguments of a processing job, as `processor.run(...)` returns them under a PipelineSession: pass them
   * to `new ProcessingStep({ name, stepArgs })`.
   */
  run<const N extends string = string>(opts: RunOptions<N> = {}): ProcessingRun<N> {
    const r: ProcessingRun<N> = { processor: this };
    if (opts.inputs !== undefined) r.inputs = opts.inputs;
    if (opts.outputs !== undefined) r.outputs = opts.outputs;
    if (opts.arguments !== undefined) r.jobArguments = opts.arguments;
    if (opts.code !== undefined) r.code = opts.code;
    if (opts.sourceDir !== undefined) r.sourceDir = opts.sourceDir;
    this.codeSetup(r.code, r.sourceDir, undefined);
    return r;
  }

  /** Inputs and entrypoint that running `code` needs (none for a plain Processor). */
  codeSetup(code: string | undefined, _sourceDir: string | undefined, _ctx: BuildContext | undefined): CodeSetup {
    if (code !== undefined) throw new Error('Processor runs no code of its own: use ScriptProcessor or FrameworkProcessor to pass "code"');
    return { inputs: [], entrypoint: this.opts.entrypoint };
  }

  /** The CreateProcessingJob request (without ProcessingJobName), keys in the SDK's order. */
  jobArguments(p: { inputs: Record<string, unknown>[]; outputs: Record<string, unknown>[]; arguments?: Str[]; entrypoint?: string[] }): Record<string, unknown> {
    const o = this.opts;
    const cluster: Record<string, unknown> = { InstanceType: o.instanceType, InstanceCount: o.instanceCount ?? 1, VolumeSizeInGB: o.volumeSizeInGb ?? 30 };
    if (o.volumeKmsKey !== undefined) cluster.VolumeKmsKeyId = o.volumeKmsKey;
    const app: Record<string, unknown> = { ImageUri: this.imageUri };
    if (p.arguments !== undefined) app.ContainerArguments = p.arguments;
    if (p.entrypoint !== undefined) app.ContainerEntrypoint = p.entrypoint;
    const r: Record<string, unknown> = { ProcessingResources: { ClusterConfig: cluster }, AppSpecification: app, RoleArn: this.role };
    if (p.inputs.length > 0) r.ProcessingInputs = p.inputs;
    if (p.outputs.length > 0) {
      r.ProcessingOutputConfig = o.outputKmsKey === undefined ? { Outputs: p.outputs } : { Outputs: p.outputs, KmsKeyId: o.outputKmsKey };
    }
    if (o.env !== undefined) r.Environment = o.env;
    if (o.networkConfig !== undefined) {
      r.NetworkConfig = {
        EnableNetworkIsolation: o.networkConfig.enableNetworkIsolation ?? false,
        EnableInterContainerTrafficEncryption: o.networkConfig.encryptInterContainerTraffic ?? false,
      };
    }
    if (o.maxRuntimeInSeconds !== undefined) r.StoppingCondition = { MaxRuntimeInSeconds: o.maxRuntimeInSeconds };
    return r;
  }
}

const CODE_DIR = '/opt/ml/processing/input/code';

export interface ScriptProcessorOptions extends Omit<ProcessorOptions, 'entrypoint'> {
  /** The interpreter, e.g. `["python3"]`; the code's path in the container is appended to it. */
  command: string[];
}


/** sagemaker.processing.ScriptProcessor: runs `command + [/opt/ml/processing/input/code/<script>]`. */
export class ScriptProcessor extends Processor {
  readonly command: string[];

  constructor(opts: ScriptProcessorOptions) {
    super(opts);
    this.command = [...opts.command];
  }

  override codeSetup(code: string | undefined, _sourceDir: string | undefined, ctx: BuildContext | undefined): CodeSetup {
    if (code === undefined) throw new Error('ScriptProcessor: "code" is required (the script to run: a local file or an s3:// URI)');
    code = codeLocation('ScriptProcessor', 'code', code, ctx, 'file');
    const input = new ProcessingInput({ source: code, destination: CODE_DIR, inputName: 'code' });
    return { inputs: [input], entrypoint: [...this.command, `${CODE_DIR}/${basenameOf(code)}`] };
  }
}

export interface FrameworkProcessorOptions extends Omit<ProcessorOptions, 'entrypoint' | 'imageUri'> {
  /** Default `["python"]`: how runproc.sh runs the entry script. */
  command?: string[];
  framework: Framework;
  frameworkVersion: string;
  /** Default `py3`. */
  pyVersion?: string;
  /** Default: the framework's training image for `frameworkVersion`, `pyVersion`, the instance type and `region`. */
  imageUri?: string;
  /** Default us-east-1. */
  region?: string;
}

/** The runproc.sh the SDK (2.257) generates for a FrameworkProcessor without a CodeArtifact repository (sagemaker.processing.FrameworkProcessor). */
export function runprocScript(command: readonly string[], entryPoint: string): string {
  return [
    '#!/bin/bash', '', 'cd /opt/ml/processing/input/code/', 'tar -xzf sourcedir.tar.gz', '',
    '# Exit on any error. SageMaker uses error code to mark failed job.', 'set -e', '',
    "if [[ -f 'requirements.txt' ]]; then", '    # Optionally log into CodeArtifact', '    if ! hash aws 2>/dev/null; then',
    '        echo "AWS CLI is not installed. Skipping CodeArtifact login."', '    else',
    "        echo 'CodeArtifact repository not specified. Skipping login.'", '    fi', '',
    '    # Some py3 containers has typing, which may breaks pip install', '    pip uninstall --yes typing', '',
    '    python -m pip install -r requirements.txt', 'fi', '',
    `${command.join(' ')} ${entryPoint} "$@"`, '',
  ].join('\n');
}

/**
 * sagemaker.processing.FrameworkProcessor: `sourceDir` (an `s3://…/sourcedir.tar.gz`) is mounted as input `code`
 * at /opt/ml/processing/input/code/, a generated runproc.sh as input `entrypoint`, and the container runs
 * `/bin/bash /opt/ml/processing/input/entrypoint/runproc.sh`, which untars the code, installs requirements.txt and
 * runs `command <code>`. runproc.sh goes to `s3://<bucket>/<pipeline>/code/<hash>/runproc.sh` as the SDK does
 * inside a pipeline; `Pipeline.assets()` lists it (cairn does not upload it yet).
 */
export class FrameworkProcessor extends Processor {
  readonly command: string[];
  readonly framework: Framework;

  constructor(opts: FrameworkProcessorOptions) {
    const instanceType = opts.instanceType;
    const imageUri = opts.imageUri ?? frameworkImageUri({
      framework: opts.framework, frameworkVersion: opts.frameworkVersion, pyVersion: opts.pyVersion ?? 'py3',
      instanceType: typeof instanceType === 'string' ? instanceType : 'ml.m5.xlarge', region: opts.region,
    });
    super({ ...opts, imageUri });
    this.command = [...(opts.command ?? ['python'])];
    this.framework = opts.framework;
  }

  override codeSetup(code: string | undefined, sourceDir: string | undefined, ctx: BuildContext | undefined): CodeSetup {
    const kind = this.constructor.name;
    if (code === undefined) throw new Error(`${kind}: "code" is required (the entry script, relative to sourceDir)`);
    if (sourceDir === undefined) throw new Error(`${kind}: "sourceDir" is required (a local directory, or the s3:// URI of a sourcedir.tar.gz)`);
    if (isS3Uri(sourceDir) && !sourceDir.endsWith('/sourcedir.tar.gz')) throw new Error(`${kind}: an s3:// sourceDir must name a file called sourcedir.tar.gz (as the SDK requires)`);
    sourceDir = codeLocation(kind, 'sourceDir', sourceDir, ctx, 'sourcedir', [code, sourceDir]);
    if (ctx === undefined) ctx = { pipelineName: 'probe', defaultBucket: 'probe', assets: [] };
    const script = runprocScript(this.command, code);
    const hash = createHash('sha256').update(script).digest('hex');
    const uri = s3PathJoin('s3://', ctx.defaultBucket, ctx.pipelineName, 'code', hash, 'runproc.sh');
    ctx.assets.push({ uri, body: script });
    return {
      inputs: [
        new ProcessingInput({ source: sourceDir, destination: `${CODE_DIR}/`, inputName: 'code' }),
        new ProcessingInput({ source: uri, destination: '/opt/ml/processing/input/entrypoint', inputName: 'entrypoint' }),
      ],
      entrypoint: ['/bin/bash', '/opt/ml/processing/input/entrypoint/runproc.sh'],
    };
  }
}

/** sagemaker.tensorflow.TensorFlowProcessor: a FrameworkProcessor on the TensorFlow training image. */
export class TensorFlowProcessor extends FrameworkProcessor {
  constructor(opts: Omit<FrameworkProcessorOptions, 'framework'>) {
    super({ ...opts, framework: 'tensorflow' });
  }
}
