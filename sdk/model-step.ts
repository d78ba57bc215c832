import type { BuildContext } from './build-context.js';
import type { ModelRun, ModelRunKind } from './model.js';
import { ModelPackageProperties, ModelProperties } from './model-properties.js';
import { SageMakerJobStepRetryPolicy, type RetryPolicy } from './retry-policy.js';
import { Step, StepCollection, type StepOptions } from './steps.js';

/** One step of a ModelStep in the definition: `Type: "Model"` (CreateModel) or `"RegisterModel"`. */
export class ModelRequestStep extends Step {
  readonly stepType: 'Model' | 'RegisterModel';

  constructor(opts: StepOptions & { retryPolicies?: RetryPolicy[] }, kind: ModelRunKind, readonly request: Record<string, unknown>) {
    super(opts);
    this.stepType = kind === 'create' ? 'Model' : 'RegisterModel';
  }

  arguments(_ctx: BuildContext): Record<string, unknown> {
    return this.request;
  }
}

export interface ModelStepOptions<K extends ModelRunKind> extends StepOptions {
  /** `model.create(...)` or `model.register(...)`. */
  stepArgs: ModelRun<K>;
  /** StepRetryPolicy only (as in the SDK, SageMakerJobStepRetryPolicy is refused for model steps). */
  retryPolicies?: RetryPolicy[];
}

export type ModelStepProperties<K extends ModelRunKind> = K extends 'create' ? ModelProperties : ModelPackageProperties;

/**
 * sagemaker.workflow.model_step.ModelStep: a step collection of one step, `<name>-CreateModel` (Type Model) for
 * `model.create()` or `<name>-RegisterModel` (Type RegisterModel) for `model.register()`. `properties` are those of
 * that step: DescribeModel (`modelName`, …) or DescribeModelPackage (`modelPackageArn`, …), checked by the compiler.
 */
export class ModelStep<K extends ModelRunKind = ModelRunKind> extends StepCollection {
  readonly step: ModelRequestStep;
  readonly properties: ModelStepProperties<K>;

  constructor(opts: ModelStepOptions<K>) {
    super(opts.name);
    const run: ModelRun = opts.stepArgs;
    if (run === undefined || (run.kind !== 'create' && run.kind !== 'register')) {
      throw new Error(`step "${opts.name}": a ModelStep needs "stepArgs" from model.create(...) or model.register(...)`);
    }
    if ((opts.retryPolicies ?? []).some((p) => p instanceof SageMakerJobStepRetryPolicy)) {
      throw new Error(`step "${opts.name}": SageMakerJobStepRetryPolicy is not allowed for a create/register model step; use StepRetryPolicy`);
    }
    const name = `${opts.name}-${run.kind === 'create' ? 'CreateModel' : 'RegisterModel'}`;
    const inner: StepOptions & { retryPolicies?: RetryPolicy[] } = { name };
    for (const k of ['dependsOn', 'displayName', 'description', 'retryPolicies'] as const) if (opts[k] !== undefined) Object.assign(inner, { [k]: opts[k] });
    this.step = new ModelRequestStep(inner, run.kind, run.request);
    this.properties = (run.kind === 'create' ? new ModelProperties(name) : new ModelPackageProperties(name)) as ModelStepProperties<K>;
  }

  get steps(): Step[] {
    return [this.step];
  }
}
