import type { BuildContext } from './build-context.js';
import { TransformStepProperties } from './model-properties.js';
import { Step, type CacheableStepOptions } from './steps.js';
import type { TransformRun } from './transformer.js';

export type TransformStepOptions = CacheableStepOptions & (TransformRun | { stepArgs: TransformRun });

/** sagemaker.workflow.steps.TransformStep: a batch transform job; `properties` are DescribeTransformJob's. */
export class TransformStep extends Step {
  readonly stepType = 'Transform';
  readonly properties: TransformStepProperties;
  readonly transform: TransformRun;

  constructor(opts: TransformStepOptions) {
    super(opts);
    this.transform = 'stepArgs' in opts ? opts.stepArgs : opts;
    if (this.transform.transformer === undefined || this.transform.inputs === undefined) {
      throw new Error(`step "${this.name}": a TransformStep needs "transformer" and "inputs", or "stepArgs" (transformer.transform(...))`);
    }
    this.properties = new TransformStepProperties(this.name);
  }

  arguments(_ctx: BuildContext): Record<string, unknown> {
    return this.transform.transformer.jobArguments(this.transform.inputs);
  }
}
