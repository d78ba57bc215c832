import type { Str } from './entities.js';
import type { Estimator } from './estimator.js';
import { modelPackageRequest, type Model, type RegisterOptions } from './model.js';
import { ModelPackageProperties } from './model-properties.js';
import { ModelRequestStep } from './model-step.js';
import type { RetryPolicy } from './retry-policy.js';
import { Step, StepCollection, type StepOptions } from './steps.js';

export interface RegisterModelOptions extends StepOptions, Omit<RegisterOptions, 'modelPackageName' | 'description'> {
  /** The estimator whose training image serves the model (unless `imageUri` or `model` is given). */
  estimator?: Estimator;
  /** Or a Model, whose container (image, environment, model data) is registered. */
  model?: Model;
  /** The model.tar.gz, e.g. `train.properties.modelArtifacts.s3ModelArtifacts` (with `estimator`). */
  modelData?: Str;
  registerModelStepRetryPolicies?: RetryPolicy[];
}

/**
 * sagemaker.workflow.step_collections.RegisterModel (the older form of `ModelStep` over `model.register()`):
 * one step `<name>-RegisterModel` of Type RegisterModel. `properties` are DescribeModelPackage's.
 */
export class RegisterModel extends StepCollection {
  readonly step: ModelRequestStep;
  readonly properties: ModelPackageProperties;

  constructor(opts: RegisterModelOptions) {
    super(opts.name);
    const name = `${opts.name}-RegisterModel`;
    let request: Record<string, unknown>;
    if (opts.model !== undefined) {
      request = opts.model.register(opts).request;
    } else {
      const image = opts.imageUri ?? opts.estimator?.imageUri;
      if (image === undefined) throw new Error(`step "${opts.name}": RegisterModel needs "imageUri", an "estimator" or a "model"`);
      if (opts.modelData === undefined) throw new Error(`step "${opts.name}": RegisterModel needs "modelData" (the model.tar.gz) with an estimator`);
      request = modelPackageRequest([{ Image: image, ModelDataUrl: opts.modelData }], opts);
    }
    const inner: StepOptions & { retryPolicies?: RetryPolicy[] } = { name };
    if (opts.dependsOn !== undefined) inner.dependsOn = opts.dependsOn;
    if (opts.displayName !== undefined) inner.displayName = opts.displayName;
    if (opts.description !== undefined) inner.description = opts.description;
    if (opts.registerModelStepRetryPolicies !== undefined) inner.retryPolicies = opts.registerModelStepRetryPolicies;
    this.step = new ModelRequestStep(inner, 'register', request);
    this.properties = new ModelPackageProperties(name);
  }

  get steps(): Step[] {
    return [this.step];
  }
}
