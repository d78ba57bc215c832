import { afterEach, describe, expect, it } from 'vitest';
import { CategoricalParameter, ContinuousParameter, Estimator, HyperparameterTuner, IntegerParameter, Pipeline, TuningStep } from '../../sdk/index.js';
import { makeTemp } from '../cache/temp-home.js';
import { IMAGE, runTuning, tuningHome } from '../steps/tuning-fixture.js';

const ROLE = 'arn:aws:iam::123456789012:role/cairn-test';
const temps: { cleanup: () => void }[] = [];
afterEach(() => { temps.splice(0).forEach((t) => t.cleanup()); });

function tuner(image: string, ranges: ConstructorParameters<typeof HyperparameterTuner>[0]['hyperparameterRanges']): HyperparameterTuner {
  const estimator = new Estimator({ imageUri: image, role: ROLE, instanceType: 'ml.m5.large', hyperparameters: { epochs: 2 }, outputPath: 's3://cairn-sdk-test/' });
  return new HyperparameterTuner({
    estimator, objectiveMetricName: 'val:loss', objectiveType: 'Minimize', hyperparameterRanges: ranges,
    metricDefinitions: [{ name: 'val:loss', regex: 'loss=([0-9.e-]+)' }], maxJobs: 4, maxParallelJobs: 2, strategy: 'Random', randomSeed: 7,
  });
}

describe('TuningStep (cairn/sdk)', () => {
  it('writes the Arguments the Python SDK writes for the same tuner (script-mode keys aside)', () => {
    const step = new TuningStep({
      name: 'Tune', inputs: 's3://cairn-sdk-test/data',
      tuner: tuner('cairn-local/python-toolkit:latest', { lr: new ContinuousParameter(0.001, 0.1, 'Logarithmic'), n: new IntegerParameter(1, 5), opt: new CategoricalParameter(['a', 'b']) }),
    });
    const def = new Pipeline({ name: 't', steps: [step] }).definitionObject() as { Steps: { Arguments: unknown }[] };
    // From sagemaker 2.257.7: HyperparameterTuner(Estimator(...), ...).fit(inputs=...) in a PipelineSession (max_jobs 4 here).
    expect(def.Steps[0]?.Arguments).toEqual({
      HyperParameterTuningJobConfig: {
        Strategy: 'Random', ResourceLimits: { MaxNumberOfTrainingJobs: 4, MaxParallelTrainingJobs: 2 }, TrainingJobEarlyStoppingType: 'Off', RandomSeed: 7,
        HyperParameterTuningJobObjective: { Type: 'Minimize', MetricName: 'val:loss' },
        ParameterRanges: {
          ContinuousParameterRanges: [{ Name: 'lr', MinValue: '0.001', MaxValue: '0.1', ScalingType: 'Logarithmic' }],
          CategoricalParameterRanges: [{ Name: 'opt', Values: ['a', 'b'] }],
          IntegerParameterRanges: [{ Name: 'n', MinValue: '1', MaxValue: '5', ScalingType: 'Auto' }],
        },
      },
      TrainingJobDefinition: {
        StaticHyperParameters: { epochs: '2' }, RoleArn: ROLE, OutputDataConfig: { S3OutputPath: 's3://cairn-sdk-test/' },
        StoppingCondition: { MaxRuntimeInSeconds: 86400 }, HyperParameterTuningResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 30 },
        AlgorithmSpecification: { TrainingInputMode: 'File', MetricDefinitions: [{ Name: 'val:loss', Regex: 'loss=([0-9.e-]+)' }], TrainingImage: 'cairn-local/python-toolkit:latest' },
        InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://cairn-sdk-test/data', S3DataDistributionType: 'FullyReplicated' } }, ChannelName: 'training' }],
      },
    });
    expect(JSON.parse(JSON.stringify(step.getTopModelS3Uri(0, 'b', 'tune'))) as unknown).toEqual({
      'Std:Join': { On: '/', Values: ['s3:/', 'b', 'tune', { Get: 'Steps.Tune.TrainingJobSummaries[0].TrainingJobName' }, 'output/model.tar.gz'] },
    });
  });

  it('runs: 4 trials, and getTopModelS3Uri names the best trial\'s model', async () => {
    const t = makeTemp('cairn-sdk-tuning-');
    temps.push(t);
    const { services, stats } = tuningHome(t.dir);
    const step = new TuningStep({ name: 'Tune', tuner: tuner(IMAGE, { lr: new ContinuousParameter(0.0001, 1, 'Logarithmic') }) });
    const run = await runTuning(services, new Pipeline({ name: 'p', steps: [step] }).definition());
    expect(run.status).toBe('succeeded');
    expect(stats.runs).toBe(4);
    const props = services.store.getStep(run.runId, 'Tune')?.properties as { BestTrainingJob: { TrainingJobName: string }; TrainingJobSummaries: { TrainingJobName: string }[] };
    expect(props.TrainingJobSummaries[0]?.TrainingJobName).toBe(props.BestTrainingJob.TrainingJobName);
  });
});
