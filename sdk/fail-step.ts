import type { Str } from './entities.js';
import type { BuildContext } from './build-context.js';
import { Step, type StepOptions } from './steps.js';

export interface FailStepOptions extends StepOptions {
  /** Why the execution failed: a string, a `Join`, a parameter… (default ""). */
  errorMessage?: Str;
}

/** sagemaker.workflow.fail_step.FailStep: ends the execution as failed, with `ErrorMessage`. It has no properties. */
export class FailStep extends Step {
  readonly stepType = 'Fail';
  readonly errorMessage: Str;

  constructor(opts: FailStepOptions) {
    super(opts);
    this.errorMessage = opts.errorMessage ?? '';
  }

  arguments(_ctx: BuildContext): Record<string, unknown> {
    return { ErrorMessage: this.errorMessage };
  }
}
