import type { BuildContext } from './build-context.js';
import { outputParameterProperties, outputParametersRequest, type OutputParameter, type OutputParameterProperties, type OutputParameterType } from './output-parameters.js';
import { Step, type StepOptions } from './steps.js';

/** sagemaker.workflow.lambda_step.LambdaOutputTypeEnum. */
export type LambdaOutputType = OutputParameterType;

/** sagemaker.workflow.lambda_step.LambdaOutput: `{OutputName, OutputType}`. */
export type LambdaOutput<N extends string = string> = OutputParameter<N>;

export interface LambdaStepOptions<N extends string = string> extends StepOptions {
  /** The Lambda function's ARN (cairn maps it to a local handler through cairn.json `lambdas`). */
  functionArn: string;
  /** The function's input event (Arguments); values may be pipeline variables. */
  inputs?: Record<string, unknown>;
  outputs?: LambdaOutput<N>[];
}

/**
 * sagemaker.workflow.lambda_step.LambdaStep, serialised as the Python SDK does:
 * `{Name, Type: "Lambda", Arguments, FunctionArn, OutputParameters: [{OutputName, OutputType}], DependsOn?, …}`.
 * `N` is the union of its output names: `properties.outputs(name)` accepts only those.
 */
export class LambdaStep<const N extends string = string> extends Step {
  readonly stepType = 'Lambda';
  readonly lambda: LambdaStepOptions<N>;
  /** `properties.outputs(name)`: `Steps.<S>.OutputParameters['name']`. */
  readonly properties: OutputParameterProperties<N>;

  constructor(opts: LambdaStepOptions<N>) {
    super(opts);
    if (typeof opts.functionArn !== 'string' || opts.functionArn === '') throw new Error(`step "${opts.name}": a LambdaStep needs a functionArn`);
    this.lambda = opts;
    this.properties = outputParameterProperties('Lambda', this.name, opts.outputs ?? []);
  }

  arguments(_ctx: BuildContext): Record<string, unknown> {
    return this.lambda.inputs ?? {};
  }

  override toRequest(ctx: BuildContext): Record<string, unknown> {
    const r = super.toRequest(ctx);
    r.FunctionArn = this.lambda.functionArn;
    r.OutputParameters = outputParametersRequest(this.lambda.outputs ?? []);
    return r;
  }
}
