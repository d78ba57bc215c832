import type { BuildContext } from './build-context.js';
import type { TrainingRun } from './estimator.js';
import { toTrainingInput, type TrainingChannel } from './inputs.js';
import { TrainingStepProperties } from './properties.js';
import { Step, type CacheableStepOptions } from './steps.js';

export type TrainingStepOptions = CacheableStepOptions & (TrainingRun | { stepArgs: TrainingRun });

/** sagemaker.workflow.steps.TrainingStep. */
export class TrainingStep extends Step {
  readonly stepType = 'Training';
  readonly properties: TrainingStepProperties;
  readonly training: TrainingRun;

  constructor(opts: TrainingStepOptions) {
    super(opts);
    this.training = 'stepArgs' in opts ? opts.stepArgs : opts;
    if (this.training.estimator === undefined) throw new Error(`step "${this.name}": a TrainingStep needs an "estimator" or "stepArgs" (estimator.fit(...))`);
    this.properties = new TrainingStepProperties(this.name);
    this.channels();
  }

  private channels(): Record<string, unknown>[] {
    const inputs = this.training.inputs;
    if (inputs === undefined) return [];
    if (isChannel(inputs)) return [toTrainingInput(inputs).toChannel('training')];
    return Object.entries(inputs).map(([name, v]) => toTrainingInput(v).toChannel(name));
  }

  arguments(ctx: BuildContext): Record<string, unknown> {
    return this.training.estimator.jobArguments(this.channels(), ctx);
  }
}

function isChannel(v: Record<string, TrainingChannel> | TrainingChannel): v is TrainingChannel {
  return typeof v === 'string' || (typeof v === 'object' && v !== null && (v.constructor !== Object));
}
