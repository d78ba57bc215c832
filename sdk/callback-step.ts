import type { BuildContext } from './build-context.js';
import { outputParameterProperties, outputParametersRequest, type OutputParameter, type OutputParameterProperties } from './output-parameters.js';
import { Step, type StepOptions } from './steps.js';

/** sagemaker.workflow.callback_step.CallbackOutput: `{OutputName, OutputType}`. */
export type CallbackOutput<N extends string = string> = OutputParameter<N>;

export interface CallbackStepOptions<N extends string = string> extends StepOptions {
  /** The SQS queue the step's token is sent to (cairn maps it to a local handler, or waits for `cairn callback`). */
  sqsQueueUrl: string;
  /** The message's input values; values may be pipeline variables. */
  inputs?: Record<string, unknown>;
  outputs?: CallbackOutput<N>[];
}

/**
 * sagemaker.workflow.callback_step.CallbackStep: `{Name, Type: "Callback", Arguments, SqsQueueUrl, OutputParameters}`.
 * `N` is the union of its output names: `properties.outputs(name)` accepts only those.
 */
export class CallbackStep<const N extends string = string> extends Step {
  readonly stepType = 'Callback';
  readonly callback: CallbackStepOptions<N>;
  readonly properties: OutputParameterProperties<N>;

  constructor(opts: CallbackStepOptions<N>) {
    super(opts);
    if (typeof opts.sqsQueueUrl !== 'string' || opts.sqsQueueUrl === '') throw new Error(`step "${opts.name}": a CallbackStep needs an sqsQueueUrl`);
    this.callback = opts;
    this.properties = outputParameterProperties('Callback', this.name, opts.outputs ?? []);
  }

  arguments(_ctx: BuildContext): Record<string, unknown> {
    return this.callback.inputs ?? {};
  }

  override toRequest(ctx: BuildContext): Record<string, unknown> {
    const r = super.toRequest(ctx);
    r.SqsQueueUrl = this.callback.sqsQueueUrl;
    r.OutputParameters = outputParametersRequest(this.callback.outputs ?? []);
    return r;
  }
}
