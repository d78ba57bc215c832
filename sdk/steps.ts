import type { BuildContext } from './build-context.js';
import type { RetryPolicy } from './retry-policy.js';

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
  /**
   * Steps, step collections (ModelStep, RegisterModel: their last step) or step names this one runs after, besides
   * those whose properties it references.
   */
  dependsOn?: (Step | StepCollection | string)[];
}

/** Options of the steps the SDK lets retry (ConfigurableRetryStep): Processing, Training, Transform, Model steps. */
export interface RetryableStepOptions extends StepOptions {
  retryPolicies?: RetryPolicy[];
}

/** Options of the steps that can be cached (CacheableStep): Processing, Training, Transform. */
export interface CacheableStepOptions extends RetryableStepOptions {
  cacheConfig?: CacheConfig;
}

/** A step's name as `DependsOn` lists it: a collection stands for its last step (as the SDK resolves it). */
export function dependencyName(d: Step | StepCollection | string, ctx: BuildContext): string {
  if (typeof d === 'string') return ctx.collections?.get(d) ?? d;
  if (d instanceof StepCollection) return d.lastStepName();
  return d.name;
}

/** sagemaker.workflow.steps.Step: `{Name, Type, Arguments, DependsOn?, DisplayName?, Description?, RetryPolicies?, CacheConfig?}`. */
export abstract class Step {
  abstract readonly stepType: string;
  readonly name: string;
  readonly opts: StepOptions & { retryPolicies?: RetryPolicy[]; cacheConfig?: CacheConfig };

  protected constructor(opts: StepOptions & { retryPolicies?: RetryPolicy[]; cacheConfig?: CacheConfig }) {
    if (typeof opts.name !== 'string' || opts.name === '') throw new Error('a step needs a non-empty name');
    this.name = opts.name;
    this.opts = opts;
  }

  abstract arguments(ctx: BuildContext): Record<string, unknown>;

  /** Steps nested in this one (a ConditionStep's branches, collections expanded); none for other steps. */
  nestedSteps(): Step[] {
    return [];
  }

  /** Steps and collections nested in this one, as given. */
  nestedCollections(): PipelineStep[] {
    return [];
  }

  toRequest(ctx: BuildContext): Record<string, unknown> {
    const r: Record<string, unknown> = { Name: this.name, Type: this.stepType, Arguments: this.arguments(ctx) };
    const deps = this.opts.dependsOn ?? [];
    if (deps.length > 0) r.DependsOn = deps.map((d) => dependencyName(d, ctx));
    if (this.opts.displayName !== undefined) r.DisplayName = this.opts.displayName;
    if (this.opts.description !== undefined) r.Description = this.opts.description;
    const retry = this.opts.retryPolicies ?? [];
    if (retry.length > 0) r.RetryPolicies = retry.map((p) => p.toRequest());
    if (this.opts.cacheConfig !== undefined) r.CacheConfig = this.opts.cacheConfig.toRequest();
    return r;
  }
}

/**
 * sagemaker.workflow.step_collections.StepCollection: one name in the code, several steps in the definition
 * (`ModelStep` → `<name>-CreateModel` or `<name>-RegisterModel`; `RegisterModel` → `<name>-RegisterModel`).
 */
export abstract class StepCollection {
  readonly name: string;

  protected constructor(name: string) {
    if (typeof name !== 'string' || name === '') throw new Error('a step needs a non-empty name');
    this.name = name;
  }

  abstract get steps(): Step[];

  lastStepName(): string {
    const last = this.steps[this.steps.length - 1];
    if (last === undefined) throw new Error(`step collection "${this.name}" holds no steps`);
    return last.name;
  }
}

/** A step or a step collection, as a pipeline (or a ConditionStep branch) lists them. */
export type PipelineStep = Step | StepCollection;

/** The steps of a list, collections expanded in place. */
export function expandSteps(steps: readonly PipelineStep[]): Step[] {
  return steps.flatMap((s) => (s instanceof StepCollection ? s.steps : [s]));
}
