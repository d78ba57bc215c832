import { describe, expect, it } from 'vitest';
import {
  CacheConfig, Estimator, ParameterFloat, ParameterInteger, ParameterString, Pipeline, ProcessingOutput, ProcessingStep,
  ScriptProcessor, TensorFlow, TrainingInput, TrainingStep,
} from '../../sdk/index.js';

type J = Record<string, unknown>;
const ROLE = 'arn:aws:iam::327206644775:role/service-role/AmazonSageMaker-ExecutionRole';
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';

const processor = new ScriptProcessor({ imageUri: IMAGE, command: ['python3'], instanceType: 'ml.m5.large', role: ROLE });
const prep = new ProcessingStep({
  name: 'Prep', processor, code: 's3://b/prep.py',
  outputs: [new ProcessingOutput({ outputName: 'train', source: '/opt/ml/processing/train' }), new ProcessingOutput({ outputName: 'test', source: '/opt/ml/processing/test' })],
});
const trainRef = { Get: "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" };

function trainingStep(step: TrainingStep, bucket?: string): J {
  const p = new Pipeline({ name: 'p', steps: [prep, step], ...(bucket === undefined ? {} : { defaultBucket: bucket }) });
  return (p.definitionObject().Steps as J[])[1]!;
}

describe('TrainingStep with an Estimator', () => {
  const epochs = new ParameterInteger({ name: 'Epochs', defaultValue: 3 });
  const estimator = new Estimator({
    imageUri: IMAGE, role: ROLE, instanceType: 'ml.m5.large', instanceCount: 1,
    hyperparameters: { epochs, learning_rate: 0.5, shuffle: true, name: 'x', sizes: [1, 'a'] },
    metricDefinitions: [{ name: 'train:loss', regex: 'Loss=([0-9.]+);' }],
    environment: { MODE: 'fast' },
    containerEntrypoint: ['python3', '/opt/ml/input/data/code/train.py'],
  });
  const step = new TrainingStep({
    name: 'Train', estimator, dependsOn: ['Prep'], cacheConfig: new CacheConfig({ enableCaching: true, expireAfter: '10d' }),
    inputs: {
      train: new TrainingInput({ s3Data: prep.properties.outputUri('train'), contentType: 'text/csv' }),
      code: 's3://b/code/train.py',
    },
  });

  it('serialises exactly as the SDK does (hyperparameters as str(), variables via to_string)', () => {
    const s = trainingStep(step, 'sagemaker-us-east-1-327206644775');
    expect(s).toEqual({
      Name: 'Train',
      Type: 'Training',
      Arguments: {
        AlgorithmSpecification: {
          TrainingInputMode: 'File', TrainingImage: IMAGE,
          ContainerEntrypoint: ['python3', '/opt/ml/input/data/code/train.py'],
          MetricDefinitions: [{ Name: 'train:loss', Regex: 'Loss=([0-9.]+);' }],
        },
        OutputDataConfig: { S3OutputPath: 's3://sagemaker-us-east-1-327206644775/' },
        StoppingCondition: { MaxRuntimeInSeconds: 86400 },
        ResourceConfig: { VolumeSizeInGB: 30, InstanceCount: 1, InstanceType: 'ml.m5.large' },
        RoleArn: ROLE,
        InputDataConfig: [
          { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: trainRef, S3DataDistributionType: 'FullyReplicated' } }, ContentType: 'text/csv', ChannelName: 'train' },
          { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/code/train.py', S3DataDistributionType: 'FullyReplicated' } }, ChannelName: 'code' },
        ],
        HyperParameters: {
          epochs: { 'Std:Join': { On: '', Values: [{ Get: 'Parameters.Epochs' }] } },
          learning_rate: '0.5', shuffle: 'True', name: 'x', sizes: "[1, 'a']",
        },
        Environment: { MODE: 'fast' },
        // As the Python SDK writes them (test/sagemaker-sdk/oracle-job-steps.test.ts).
        DebugHookConfig: { S3OutputPath: 's3://sagemaker-us-east-1-327206644775/', CollectionConfigurations: [] },
        ProfilerConfig: { S3OutputPath: 's3://sagemaker-us-east-1-327206644775/', DisableProfiler: false },
      },
      DependsOn: ['Prep'],
      CacheConfig: { Enabled: true, ExpireAfter: '10d' },
    });
    expect(Object.keys(s.Arguments as J)).toEqual([
      'AlgorithmSpecification', 'OutputDataConfig', 'StoppingCondition', 'ResourceConfig', 'RoleArn', 'InputDataConfig', 'HyperParameters', 'Environment',
      'DebugHookConfig', 'ProfilerConfig',
    ]);
  });

  it('names a single input "training" and takes a variable as a channel', () => {
    const one = new TrainingStep({ name: 'T', estimator, inputs: prep.properties.outputUri('test') });
    const channels = (trainingStep(one).Arguments as J).InputDataConfig as J[];
    expect(channels.map((c) => c.ChannelName)).toEqual(['training']);
    expect(((channels[0]!.DataSource as J).S3DataSource as J).S3Uri).toEqual({ Get: "Steps.Prep.ProcessingOutputConfig.Outputs['test'].S3Output.S3Uri" });
  });

  it('exposes typed properties', () => {
    expect(step.properties.modelArtifacts.s3ModelArtifacts.toJSON()).toEqual({ Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' });
    expect(step.properties.finalMetricDataList.get('train:loss').value.toJSON()).toEqual({ Get: "Steps.Train.FinalMetricDataList['train:loss'].Value" });
    expect(step.properties.trainingJobName.toJSON()).toEqual({ Get: 'Steps.Train.TrainingJobName' });
  });
});

describe('TrainingStep with TensorFlow', () => {
  const lr = new ParameterFloat({ name: 'LearningRate', defaultValue: 0.01 });
  const optimizer = new ParameterString({ name: 'Optimizer', defaultValue: 'adam' });

  it('JSON-encodes every hyperparameter and adds the script-mode ones, on the image the SDK picks', () => {
    const tf = new TensorFlow({
      entryPoint: 'train.py', sourceDir: 's3://b/calhousing-test/code/2b2bed16/sourcedir.tar.gz', frameworkVersion: '2.11.0', pyVersion: 'py39',
      role: ROLE, instanceType: 'ml.m5.2xlarge', instanceCount: 1, volumeSize: 32, maxRun: 3000, outputPath: 's3://b/models',
      hyperparameters: { epochs: 10, batch_size: 64, lr, optimizer, layers: [64, 32], note: 'café' },
      metricDefinitions: [{ name: 'loss', regex: 'loss: ([0-9.]+)' }],
    });
    const s = trainingStep(new TrainingStep({ name: 'calhousing-Training', estimator: tf, inputs: { train: prep.properties.outputUri('train') } }));
    expect(s.Arguments).toEqual({
      AlgorithmSpecification: {
        TrainingInputMode: 'File',
        TrainingImage: '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.11.0-cpu-py39',
        MetricDefinitions: [{ Name: 'loss', Regex: 'loss: ([0-9.]+)' }],
        EnableSageMakerMetricsTimeSeries: true,
      },
      OutputDataConfig: { S3OutputPath: 's3://b/models' },
      StoppingCondition: { MaxRuntimeInSeconds: 3000 },
      ResourceConfig: { VolumeSizeInGB: 32, InstanceCount: 1, InstanceType: 'ml.m5.2xlarge' },
      RoleArn: ROLE,
      InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: trainRef, S3DataDistributionType: 'FullyReplicated' } }, ChannelName: 'train' }],
      HyperParameters: {
        epochs: '10',
        batch_size: '64',
        lr: { 'Std:Join': { On: '', Values: [{ Get: 'Parameters.LearningRate' }] } },
        optimizer: { Get: 'Parameters.Optimizer' },
        layers: '[64, 32]',
        note: '"caf\\u00e9"',
        sagemaker_submit_directory: '"s3://b/calhousing-test/code/2b2bed16/sourcedir.tar.gz"',
        sagemaker_program: '"train.py"',
        sagemaker_container_log_level: '20',
        sagemaker_region: '"us-east-1"',
        model_dir: '"/opt/ml/model"',
      },
      DebugHookConfig: { S3OutputPath: 's3://b/models', CollectionConfigurations: [] },
      ProfilerConfig: { S3OutputPath: 's3://b/models', DisableProfiler: false },
    });
    expect(Object.keys((s.Arguments as J).HyperParameters as J).slice(-5)).toEqual([
      'sagemaker_submit_directory', 'sagemaker_program', 'sagemaker_container_log_level', 'sagemaker_region', 'model_dir',
    ]);
  });

  it('uses the GPU image for ml.p*/ml.g* and the region given; modelDir can be left out', () => {
    const tf = new TensorFlow({
      entryPoint: 'train.py', sourceDir: 's3://b/sourcedir.tar.gz', frameworkVersion: '2.13.0', pyVersion: 'py310',
      role: ROLE, instanceType: 'ml.p3.2xlarge', region: 'eu-central-1', modelDir: false,
    });
    expect(tf.imageUri).toBe('763104351884.dkr.ecr.eu-central-1.amazonaws.com/tensorflow-training:2.13.0-gpu-py310');
    const hp = tf.hyperparameters();
    expect(hp.sagemaker_region).toBe('"eu-central-1"');
    expect(hp).not.toHaveProperty('model_dir');
  });

  it('refuses a sourceDir that is neither a local directory nor an s3:// URI', () => {
    expect(() => new TensorFlow({ entryPoint: 'train.py', sourceDir: './no-such-src', frameworkVersion: '2.11.0', pyVersion: 'py39', role: ROLE, instanceType: 'ml.m5.large' }))
      .toThrow(/sourceDir "\.\/no-such-src" is neither an s3:\/\/ URI nor an existing local directory/);
  });
});
