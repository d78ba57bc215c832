import { Join, isPipelineVariable, pythonStr, type Num, type Value } from './entities.js';
import type { Estimator, MetricDefinition } from './estimator.js';
import { toTrainingInput, type TrainingChannel } from './inputs.js';
import type { BuildContext } from './build-context.js';
import { PropertyReference } from './properties.js';
import { Step, type StepOptions } from './steps.js';

export type ScalingType = 'Auto' | 'Linear' | 'Logarithmic' | 'ReverseLogarithmic';

/** sagemaker.tuner.ContinuousParameter. */
export class ContinuousParameter {
  constructor(readonly minValue: number, readonly maxValue: number, readonly scalingType: ScalingType = 'Auto') {}
  toRange(name: string): Record<string, unknown> {
    return { Name: name, MinValue: pythonStr(this.minValue), MaxValue: pythonStr(this.maxValue), ScalingType: this.scalingType };
  }
}

/** sagemaker.tuner.IntegerParameter. */
export class IntegerParameter {
  constructor(readonly minValue: number, readonly maxValue: number, readonly scalingType: Exclude<ScalingType, 'ReverseLogarithmic'> = 'Auto') {}
  toRange(name: string): Record<string, unknown> {
    return { Name: name, MinValue: pythonStr(this.minValue), MaxValue: pythonStr(this.maxValue), ScalingType: this.scalingType };
  }
}

/** sagemaker.tuner.CategoricalParameter (values as `str()`, as the SDK writes them for a generic Estimator). */
export class CategoricalParameter {
  constructor(readonly values: (string | number | boolean)[]) {}
  toRange(name: string): Record<string, unknown> {
    return { Name: name, Values: this.values.map((v) => pythonStr(v)) };
  }
}

export type ParameterRange = ContinuousParameter | IntegerParameter | CategoricalParameter;

export interface HyperparameterTunerOptions {
  estimator: Estimator;
  objectiveMetricName: string;
  hyperparameterRanges: Record<string, ParameterRange>;
  /** Default: the estimator's. */
  metricDefinitions?: MetricDefinition[];
  /** Default Bayesian, as in the SDK (cairn runs Random and Grid). */
  strategy?: 'Bayesian' | 'Random' | 'Grid' | 'Hyperband';
  objectiveType?: 'Minimize' | 'Maximize';
  /** Default 1 (the SDK's default when not Grid). */
  maxJobs?: Num;
  /** Default 1. */
  maxParallelJobs?: Num;
  earlyStoppingType?: 'Off' | 'Auto';
  randomSeed?: number;
}

/** sagemaker.tuner.HyperparameterTuner over one estimator: its CreateHyperParameterTuningJob request. */
export class HyperparameterTuner {
  constructor(readonly opts: HyperparameterTunerOptions) {
    if (Object.keys(opts.hyperparameterRanges).length === 0) throw new Error('HyperparameterTuner: "hyperparameterRanges" needs at least one range');
  }

  /** The request (without HyperParameterTuningJobName), keys in the SDK's order. */
  jobArguments(channels: Record<string, unknown>[], ctx: BuildContext): Record<string, unknown> {
    const o = this.opts;
    const ranges: Record<string, Record<string, unknown>[]> = { ContinuousParameterRanges: [], CategoricalParameterRanges: [], IntegerParameterRanges: [] };
    for (const [name, r] of Object.entries(o.hyperparameterRanges)) {
      const key = r instanceof ContinuousParameter ? 'ContinuousParameterRanges' : r instanceof IntegerParameter ? 'IntegerParameterRanges' : 'CategoricalParameterRanges';
      ranges[key]?.push(r.toRange(name));
    }
    const strategy = o.strategy ?? 'Bayesian';
    const config: Record<string, unknown> = {
      Strategy: strategy,
      ResourceLimits: { MaxNumberOfTrainingJobs: strategy === 'Grid' ? (o.maxJobs ?? null) : (o.maxJobs ?? 1), MaxParallelTrainingJobs: o.maxParallelJobs ?? 1 },
      TrainingJobEarlyStoppingType: o.earlyStoppingType ?? 'Off',
    };
    if (o.randomSeed !== undefined) config.RandomSeed = o.randomSeed;
    config.HyperParameterTuningJobObjective = { Type: o.objectiveType ?? 'Maximize', MetricName: o.objectiveMetricName };
    config.ParameterRanges = ranges;

    const job = o.estimator.jobArguments(channels, ctx);
    const tuned = new Set(Object.keys(o.hyperparameterRanges));
    const hps = (job.HyperParameters ?? {}) as Record<string, Value>;
    const algo = { ...(job.AlgorithmSpecification as Record<string, unknown>) };
    const metrics = o.metricDefinitions ?? o.estimator.opts.metricDefinitions;
    if (metrics !== undefined) {
      delete algo.MetricDefinitions;
      algo.MetricDefinitions = metrics.map((m) => ({ Name: m.name, Regex: m.regex }));
    }
    const def: Record<string, unknown> = {
      StaticHyperParameters: Object.fromEntries(Object.entries(hps).filter(([k]) => !tuned.has(k))),
      RoleArn: job.RoleArn,
      OutputDataConfig: job.OutputDataConfig,
      StoppingCondition: job.StoppingCondition,
      HyperParameterTuningResourceConfig: job.ResourceConfig,
      AlgorithmSpecification: algo,
    };
    for (const k of ['InputDataConfig', 'Environment', 'CheckpointConfig']) if (job[k] !== undefined) def[k] = job[k];
    return { HyperParameterTuningJobConfig: config, TrainingJobDefinition: def };
  }
}

export interface TuningStepOptions extends StepOptions {
  tuner: HyperparameterTuner;
  /** Channels as for a TrainingStep: one (named "training") or a map of name → input. */
  inputs?: TrainingChannel | Record<string, TrainingChannel>;
}

/** sagemaker.workflow.steps.TuningStep. */
export class TuningStep extends Step {
  readonly stepType = 'Tuning';
  readonly properties: TuningStepProperties;
  readonly tuning: TuningStepOptions;

  constructor(opts: TuningStepOptions) {
    super(opts);
    this.tuning = opts;
    this.properties = new TuningStepProperties(this.name);
  }

  arguments(ctx: BuildContext): Record<string, unknown> {
    const inputs = this.tuning.inputs;
    const channels = inputs === undefined ? []
      : typeof inputs === 'string' || isPipelineVariable(inputs) || inputs.constructor !== Object
        ? [toTrainingInput(inputs as TrainingChannel).toChannel('training')]
        : Object.entries(inputs as Record<string, TrainingChannel>).map(([n, v]) => toTrainingInput(v).toChannel(n));
    return this.tuning.tuner.jobArguments(channels, ctx);
  }

  /**
   * The SDK's `get_top_model_s3_uri(top_k, s3_bucket, prefix)`: `s3://<bucket>[/<prefix>]/<k-th best trial>/output/model.tar.gz`.
   */
  getTopModelS3Uri(topK: number, s3Bucket: string, prefix = ''): Join {
    const values: Value[] = ['s3:/', s3Bucket];
    if (prefix !== '') values.push(prefix);
    return new Join({ on: '/', values: [...values, this.properties.trainingJobSummaries(topK).trainingJobName, 'output/model.tar.gz'] });
  }
}

/** Properties of a Tuning step (DescribeHyperParameterTuningJob, TrainingJobSummaries best first). */
export class TuningStepProperties {
  readonly hyperParameterTuningJobName: PropertyReference;
  readonly hyperParameterTuningJobStatus: PropertyReference;
  readonly bestTrainingJob: { readonly trainingJobName: PropertyReference; readonly finalObjectiveValue: PropertyReference };

  constructor(readonly step: string) {
    this.hyperParameterTuningJobName = new PropertyReference(step, 'HyperParameterTuningJobName');
    this.hyperParameterTuningJobStatus = new PropertyReference(step, 'HyperParameterTuningJobStatus');
    this.bestTrainingJob = {
      trainingJobName: new PropertyReference(step, 'BestTrainingJob.TrainingJobName'),
      finalObjectiveValue: new PropertyReference(step, 'BestTrainingJob.FinalHyperParameterTuningJobObjectiveMetric.Value'),
    };
  }

  trainingJobSummaries(k: number): { readonly trainingJobName: PropertyReference } {
    return { trainingJobName: new PropertyReference(this.step, `TrainingJobSummaries[${k}].TrainingJobName`) };
  }
}
