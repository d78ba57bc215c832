import type { BuildContext } from './build-context.js';
import { PropertyReference } from './properties.js';
import { Step, type StepOptions } from './steps.js';

/** sagemaker.workflow.lambda_step.LambdaOutputTypeEnum. */
export type LambdaOutputType = 'String' | 'Integer' | 'Boolean' | 'Float';

/** sagemaker.workflow.lambda_step.LambdaOutput: `{OutputName, OutputType}`. */
export interface LambdaOutput {
  outputName: string;
  outputType?: LambdaOutputType;
}

export interface LambdaStepOptions extends StepOptions {
  /** The Lambda function's ARN (cairn maps it to a local handler through cairn.json `lambdas`). */
  functionArn: string;
  /** The function's input event (Arguments); values may be pipeline variables. */
  inputs?: Record<string, unknown>;
  outputs?: LambdaOutput[];
}

/**
 * sagemaker.workflow.lambda_step.LambdaStep, serialised as the Python SDK does:
 * `{Name, Type: "Lambda", Arguments, FunctionArn, OutputParameters: [{OutputName, OutputType}], DependsOn?, …}`.
 */
export class LambdaStep extends Step {
  readonly stepType = 'Lambda';
  readonly lambda: LambdaStepOptions;
  /** `properties.outputs(name)`: `Steps.<S>.OutputParameters['name']`. */
  readonly properties: { outputs(name: string): PropertyReference };

  constructor(opts: LambdaStepOptions) {
    super(opts);
    if (typeof opts.functionArn !== 'string' || opts.functionArn === '') throw new Error(`step "${opts.name}": a LambdaStep needs a functionArn`);
    this.lambda = opts;
    const names = (opts.outputs ?? []).map((o) => o.outputName);
    const step = this.name;
    this.properties = {
      outputs(name: string): PropertyReference {
        if (!names.includes(name)) throw new Error(`step "${step}" has no output "${name}" (${names.length === 0 ? 'it has none' : `it has ${names.map((n) => `"${n}"`).join(', ')}`})`);
        return new PropertyReference(step, `OutputParameters['${name}']`);
      },
    };
  }

  arguments(_ctx: BuildContext): Record<string, unknown> {
    return this.lambda.inputs ?? {};
  }

  override toRequest(ctx: BuildContext): Record<string, unknown> {
    const r = super.toRequest(ctx);
    r.FunctionArn = this.lambda.functionArn;
    r.OutputParameters = (this.lambda.outputs ?? []).map((o) => ({ OutputName: o.outputName, OutputType: o.outputType ?? 'String' }));
    return r;
  }
}
