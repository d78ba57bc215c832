import { Join, ExecutionVariables, type Str } from './entities.js';
import { toTrainingInput, type ProcessingInput, type ProcessingOutput, type TrainingChannel } from './inputs.js';
import type { Estimator } from './estimator.js';
import type { Processor } from './processing.js';
import type { BuildContext } from './build-context.js';
import { ProcessingStepProperties, TrainingStepProperties } from './properties.js';

export interface CacheConfigOptions {
  enableCaching?: boolean;
  /** ISO-8601 duration ("P30D", "PT1H") or the SDK's short form ("30d"). */
  expireAfter?: string;
}

/** sagemaker.workflow.steps.CacheConfig. */
export class CacheConfig {
  readonly enableCaching: boolean;
  readonly expireAfter: string | undefined;

  constructor(opts: CacheConfigOptions = {}) {
    this.enableCaching = opts.enableCaching ?? false;
    this.expireAfter = opts.expireAfter;
  }

  toRequest(): Record<string, unknown> {
    return this.expireAfter === undefined ? { Enabled: this.enableCaching } : { Enabled: this.enableCaching, ExpireAfter: this.expireAfter };
  }
}

export interface StepOptions {
  name: string;
  displayName?: string;
  description?: string;
  /** Steps (or step names) this one runs after, besides those whose properties it references. */
  dependsOn?: (Step | string)[];
  cacheConfig?: CacheConfig;
}

/** sagemaker.workflow.steps.Step: `{Name, Type, Arguments, DependsOn?, DisplayName?, Description?, CacheConfig?}`. */
export abstract class Step {
  abstract readonly stepType: string;
  readonly name: string;
  readonly opts: StepOptions;

  protected constructor(opts: StepOptions) {
    if (typeof opts.name !== 'string' || opts.name === '') throw new Error('a step needs a non-empty name');
    this.name = opts.name;
    this.opts = opts;
  }

  abstract arguments(ctx: BuildContext): Record<string, unknown>;

  toRequest(ctx: BuildContext): Record<string, unknown> {
    const r: Record<string, unknown> = { Name: this.name, Type: this.stepType, Arguments: this.arguments(ctx) };
    const deps = this.opts.dependsOn ?? [];
    if (deps.length > 0) r.DependsOn = deps.map((d) => (typeof d === 'string' ? d : d.name));
    if (this.opts.displayName !== undefined) r.DisplayName = this.opts.displayName;
    if (this.opts.description !== undefined) r.Description = this.opts.description;
    if (this.opts.cacheConfig !== undefined) r.CacheConfig = this.opts.cacheConfig.toRequest();
    return r;
  }
}

export interface ProcessingStepOptions<N extends string> extends StepOptions {
  processor: Processor;
  inputs?: ProcessingInput[];
  outputs?: ProcessingOutput<N>[];
  /** ContainerArguments. */
  jobArguments?: Str[];
  /** ScriptProcessor: the s3:// URI of the script. FrameworkProcessor: the entry script, relative to `sourceDir`. */
  code?: string;
  /** FrameworkProcessor: the s3:// URI of sourcedir.tar.gz. */
  sourceDir?: string;
}


/** sagemaker.workflow.steps.ProcessingStep. `N` is the union of its output names, used by `properties`. */
export class ProcessingStep<const N extends string = string> extends Step {
  readonly stepType = 'Processing';
  readonly properties: ProcessingStepProperties<N>;
  readonly processing: ProcessingStepOptions<N>;

  constructor(opts: ProcessingStepOptions<N>) {
    super(opts);
    this.processing = opts;
    opts.processor.codeSetup(opts.code, opts.sourceDir, undefined);
    const names = this.outputNames();
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new Error(`step "${this.name}": two outputs are named "${dup}"`);
    this.properties = new ProcessingStepProperties<N>(this.name, () => this.outputNames());
  }

  /** Output names, `output-<n>` for unnamed ones (as the SDK names them). */
  outputNames(): string[] {
    return (this.processing.outputs ?? []).map((o, i) => o.outputName ?? `output-${i + 1}`);
  }

  arguments(ctx: BuildContext): Record<string, unknown> {
    const p = this.processing;
    const code = p.processor.codeSetup(p.code, p.sourceDir, ctx);
    const inputs = [...(p.inputs ?? []), ...code.inputs].map((input, i) => input.toRequest(`input-${i + 1}`));
    const outputs = (p.outputs ?? []).map((o, i) => {
      const name = o.outputName ?? `output-${i + 1}`;
      return o.toRequest(name, o.destination ?? this.defaultOutputUri(ctx, name));
    });
    const args: { inputs: Record<string, unknown>[]; outputs: Record<string, unknown>[]; arguments?: Str[]; entrypoint?: string[] } = { inputs, outputs };
    if (p.jobArguments !== undefined) args.arguments = p.jobArguments;
    if (code.entrypoint !== undefined) args.entrypoint = code.entrypoint;
    return p.processor.jobArguments(args);
  }

  /** What the SDK writes inside a pipeline when an output has no s3:// destination. */
  private defaultOutputUri(ctx: BuildContext, output: string): Join {
    return new Join({
      on: '/',
      values: ['s3:/', ctx.defaultBucket, ctx.pipelineName, ExecutionVariables.PIPELINE_EXECUTION_ID, this.name, 'output', output],
    });
  }
}

export interface TrainingStepOptions extends StepOptions {
  estimator: Estimator;
  /** Channels by name, or one channel (named "training", as in the SDK). */
  inputs?: Record<string, TrainingChannel> | TrainingChannel;
}

/** sagemaker.workflow.steps.TrainingStep. */
export class TrainingStep extends Step {
  readonly stepType = 'Training';
  readonly properties: TrainingStepProperties;
  readonly training: TrainingStepOptions;

  constructor(opts: TrainingStepOptions) {
    super(opts);
    this.training = opts;
    this.properties = new TrainingStepProperties(this.name);
    this.channels();
  }

  private channels(): Record<string, unknown>[] {
    const inputs = this.training.inputs;
    if (inputs === undefined) return [];
    if (isChannel(inputs)) return [toTrainingInput(inputs).toChannel('training')];
    return Object.entries(inputs).map(([name, v]) => toTrainingInput(v).toChannel(name));
  }

  arguments(ctx: BuildContext): Record<string, unknown> {
    return this.training.estimator.jobArguments(this.channels(), ctx);
  }
}

function isChannel(v: Record<string, TrainingChannel> | TrainingChannel): v is TrainingChannel {
  return typeof v === 'string' || (typeof v === 'object' && v !== null && (v.constructor !== Object));
}
