import { ExecutionVariables, type Str } from './entities.js';
import type { Parameter } from './parameters.js';
import type { Asset, BuildContext } from './build-context.js';
import { StepCollection, expandSteps, type PipelineStep, type Step } from './steps.js';

/** The definition format version SageMaker reads. */
export const DEFINITION_VERSION = '2020-12-01';
/** Bucket standing in for the SDK session's default bucket (`sagemaker-<region>-<account>`). */
export const DEFAULT_BUCKET = 'cairn-default';

export interface PipelineExperimentConfigOptions {
  experimentName: Str;
  trialName: Str;
}

/** sagemaker.workflow.pipeline_experiment_config.PipelineExperimentConfig. */
export class PipelineExperimentConfig {
  constructor(readonly opts: PipelineExperimentConfigOptions) {}

  toRequest(): Record<string, unknown> {
    return { ExperimentName: this.opts.experimentName, TrialName: this.opts.trialName };
  }
}

/**
 * sagemaker.workflow.parallelism_config.ParallelismConfiguration: at most this many steps run at once. The Python SDK
 * passes it to `pipeline.upsert()`; cairn has no upsert, so it goes into the definition, where `cairn run` reads it.
 */
export class ParallelismConfiguration {
  constructor(readonly opts: { maxParallelExecutionSteps: number }) {
    const n = opts.maxParallelExecutionSteps;
    if (!Number.isInteger(n) || n < 1) throw new Error(`ParallelismConfiguration: "maxParallelExecutionSteps" ${JSON.stringify(n)} must be an integer of at least 1`);
  }

  toRequest(): Record<string, unknown> {
    return { MaxParallelExecutionSteps: this.opts.maxParallelExecutionSteps };
  }
}

export interface PipelineOptions {
  name: string;
  parameters?: Parameter[];
  /** Steps and step collections (ModelStep, RegisterModel); a ConditionStep's branches are not listed here. */
  steps: PipelineStep[];
  /** Default: experiment = pipeline name, trial = execution id (as in the SDK). `null` writes `null` (none), as the SDK does. */
  pipelineExperimentConfig?: PipelineExperimentConfig | null;
  parallelismConfiguration?: ParallelismConfiguration;
  /** Shorthand for `parallelismConfiguration: new ParallelismConfiguration({ maxParallelExecutionSteps })`. */
  maxParallelExecutionSteps?: number;
  /** Stands in for the SDK session's default bucket in default output locations (default "cairn-default"). */
  defaultBucket?: string;
}

/** sagemaker.workflow.pipeline.Pipeline: `definition()` is the JSON SageMaker (and cairn) reads. */
export class Pipeline {
  readonly name: string;
  readonly parameters: Parameter[];
  readonly steps: PipelineStep[];
  readonly opts: PipelineOptions;

  constructor(opts: PipelineOptions) {
    if (typeof opts.name !== 'string' || opts.name === '') throw new Error('Pipeline: "name" is required');
    this.name = opts.name;
    this.parameters = [...(opts.parameters ?? [])];
    this.steps = [...opts.steps];
    this.opts = opts;
    const seen = new Set<string>();
    for (const s of allSteps(expandSteps(this.steps))) {
      if (seen.has(s.name)) throw new Error(`Pipeline "${this.name}": two steps are named "${s.name}" (a step in a ConditionStep's branch is not listed in the pipeline too)`);
      seen.add(s.name);
    }
    const params = new Set<string>();
    for (const p of this.parameters) {
      if (params.has(p.name)) throw new Error(`Pipeline "${this.name}": two parameters are named "${p.name}"`);
      params.add(p.name);
    }
  }

  private build(): { request: Record<string, unknown>; assets: Asset[] } {
    const collections = new Map<string, string>();
    const walk = (steps: readonly PipelineStep[]): void => {
      for (const s of steps) {
        if (s instanceof StepCollection) collections.set(s.name, s.lastStepName());
        else walk(s.nestedCollections());
      }
    };
    walk(this.steps);
    const ctx: BuildContext = { pipelineName: this.name, defaultBucket: this.opts.defaultBucket ?? DEFAULT_BUCKET, assets: [], collections };
    const request: Record<string, unknown> = {
      Version: DEFINITION_VERSION,
      Metadata: {},
      Parameters: this.parameters.map((p) => p.toRequest()),
    };
    const exp = this.opts.pipelineExperimentConfig === undefined
      ? new PipelineExperimentConfig({ experimentName: ExecutionVariables.PIPELINE_NAME, trialName: ExecutionVariables.PIPELINE_EXECUTION_ID })
      : this.opts.pipelineExperimentConfig;
    request.PipelineExperimentConfig = exp === null ? null : exp.toRequest();
    request.Steps = expandSteps(this.steps).map((s) => s.toRequest(ctx));
    const max = this.opts.maxParallelExecutionSteps;
    const parallelism = this.opts.parallelismConfiguration ?? (max === undefined ? undefined : new ParallelismConfiguration({ maxParallelExecutionSteps: max }));
    if (parallelism !== undefined) request.ParallelismConfiguration = parallelism.toRequest();
    return { request, assets: ctx.assets };
  }

  /** The pipeline definition as JSON text (indented; SageMaker and cairn read it alike). */
  definition(): string {
    return JSON.stringify(this.build().request, null, 2);
  }

  /** The definition as a plain JSON object. */
  definitionObject(): Record<string, unknown> {
    return JSON.parse(this.definition()) as Record<string, unknown>;
  }

  /**
   * Files the SDK would upload while building the definition, e.g. each FrameworkProcessor step's runproc.sh, with
   * the s3:// URI the definition expects them at. cairn does not upload them by itself yet.
   */
  assets(): Asset[] {
    return this.build().assets;
  }
}

/** The steps with those nested in ConditionStep branches, depth first. */
function allSteps(steps: readonly Step[]): Step[] {
  return steps.flatMap((s) => [s, ...allSteps(s.nestedSteps())]);
}

/** True for a Pipeline built by this module (or a structurally identical one from another copy of it). */
export function isPipeline(v: unknown): v is Pipeline {
  if (v instanceof Pipeline) return true;
  const p = v as Partial<Pipeline> | null;
  return typeof p === 'object' && p !== null && typeof p.name === 'string' && typeof p.definition === 'function';
}
