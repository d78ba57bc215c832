import type { BuildContext } from './build-context.js';
import type { Condition } from './conditions.js';
import { PropertyReference } from './properties.js';
import { Step, expandSteps, type PipelineStep, type StepOptions } from './steps.js';

export interface ConditionStepOptions extends StepOptions {
  /** All must hold for the if-branch to run. */
  conditions: Condition[];
  /** Steps run when every condition holds (they appear only here, not in the pipeline's own list). */
  ifSteps?: PipelineStep[];
  /** Steps run otherwise. */
  elseSteps?: PipelineStep[];
}

/**
 * sagemaker.workflow.condition_step.ConditionStep: `Arguments: {Conditions, IfSteps, ElseSteps}`, the branches'
 * steps written in full inside it. `properties.outcome` is `Steps.<name>.Outcome` ("true" or "false").
 */
export class ConditionStep extends Step {
  readonly stepType = 'Condition';
  readonly conditions: Condition[];
  readonly ifSteps: PipelineStep[];
  readonly elseSteps: PipelineStep[];
  readonly properties: { readonly outcome: PropertyReference };

  constructor(opts: ConditionStepOptions) {
    super(opts);
    if (!Array.isArray(opts.conditions) || opts.conditions.length === 0) throw new Error(`step "${this.name}": a ConditionStep needs at least one condition`);
    this.conditions = [...opts.conditions];
    this.ifSteps = [...(opts.ifSteps ?? [])];
    this.elseSteps = [...(opts.elseSteps ?? [])];
    this.properties = { outcome: new PropertyReference(this.name, 'Outcome') };
  }

  override nestedSteps(): Step[] {
    return [...expandSteps(this.ifSteps), ...expandSteps(this.elseSteps)];
  }

  override nestedCollections(): PipelineStep[] {
    return [...this.ifSteps, ...this.elseSteps];
  }

  arguments(ctx: BuildContext): Record<string, unknown> {
    return {
      Conditions: this.conditions.map((c) => c.toRequest()),
      IfSteps: expandSteps(this.ifSteps).map((s) => s.toRequest(ctx)),
      ElseSteps: expandSteps(this.elseSteps).map((s) => s.toRequest(ctx)),
    };
  }
}
