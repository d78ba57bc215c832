import { describe, expect, it } from 'vitest';
import {
  CacheConfig, ExecutionVariables, Join, ParameterString, Pipeline, ProcessingInput, ProcessingOutput, ProcessingStep,
  ScriptProcessor, TensorFlowProcessor, runprocScript,
} from '../../sdk/index.js';

type J = Record<string, unknown>;
const ROLE = 'arn:aws:iam::148622480762:role/sagemaker-pipeline-role';
const SKLEARN = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const s3In = (name: string, uri: unknown, local: string): J => ({
  InputName: name, AppManaged: false,
  S3Input: { S3Uri: uri, LocalPath: local, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated', S3CompressionType: 'None' },
});

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

function stepsOf(p: Pipeline): J[] {
  return p.definitionObject().Steps as J[];
}

describe('ProcessingStep with a ScriptProcessor', () => {
  // The shape of chidichekwas+sagemaker-inferencing__pipeline_definition.json in the compatibility corpus.
  const inputData = new ParameterString({ name: 'InputData', defaultValue: 's3://sagemaker-s3-chidi/fraud/processed/' });
  const outputS3 = new ParameterString({ name: 'OutputS3', defaultValue: 's3://sagemaker-s3-chidi/fraud/predictions/' });
  const processor = new ScriptProcessor({ imageUri: SKLEARN, command: ['python3'], instanceType: 'ml.t3.medium', instanceCount: 1, role: ROLE });
  const step = new ProcessingStep({
    name: 'InvokeFraudEndpoint',
    processor,
    inputs: [new ProcessingInput({ source: inputData, destination: '/opt/ml/processing/input', inputName: 'input-data' })],
    outputs: [new ProcessingOutput({ outputName: 'predictions', source: '/opt/ml/processing/output', destination: outputS3 })],
    code: 's3://sagemaker-s3-chidi/fraud/scripts/inference_script.py',
  });
  const pipeline = new Pipeline({ name: 'fraud', parameters: [inputData, outputS3], steps: [step] });

  it('serialises exactly as the SDK does', () => {
    expect(pipeline.definitionObject()).toEqual({
      Version: '2020-12-01',
      Metadata: {},
      Parameters: [
        { Name: 'InputData', Type: 'String', DefaultValue: 's3://sagemaker-s3-chidi/fraud/processed/' },
        { Name: 'OutputS3', Type: 'String', DefaultValue: 's3://sagemaker-s3-chidi/fraud/predictions/' },
      ],
      PipelineExperimentConfig: { ExperimentName: { Get: 'Execution.PipelineName' }, TrialName: { Get: 'Execution.PipelineExecutionId' } },
      Steps: [{
        Name: 'InvokeFraudEndpoint',
        Type: 'Processing',
        Arguments: {
          ProcessingResources: { ClusterConfig: { InstanceType: 'ml.t3.medium', InstanceCount: 1, VolumeSizeInGB: 30 } },
          AppSpecification: { ImageUri: SKLEARN, ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/inference_script.py'] },
          RoleArn: ROLE,
          ProcessingInputs: [
            s3In('input-data', { Get: 'Parameters.InputData' }, '/opt/ml/processing/input'),
            s3In('code', 's3://sagemaker-s3-chidi/fraud/scripts/inference_script.py', '/opt/ml/processing/input/code'),
          ],
          ProcessingOutputConfig: {
            Outputs: [{
              OutputName: 'predictions', AppManaged: false,
              S3Output: { S3Uri: { Get: 'Parameters.OutputS3' }, LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' },
            }],
          },
        },
      }],
    });
  });

  it('keeps the SDK key order', () => {
    const [s] = stepsOf(pipeline);
    expect(Object.keys(s!)).toEqual(['Name', 'Type', 'Arguments']);
    expect(Object.keys(s!.Arguments as J)).toEqual(['ProcessingResources', 'AppSpecification', 'RoleArn', 'ProcessingInputs', 'ProcessingOutputConfig']);
    const input = ((s!.Arguments as J).ProcessingInputs as J[])[0]!;
    expect(Object.keys(input)).toEqual(['InputName', 'AppManaged', 'S3Input']);
    expect(Object.keys(input.S3Input as J)).toEqual(['S3Uri', 'LocalPath', 'S3DataType', 'S3InputMode', 'S3DataDistributionType', 'S3CompressionType']);
    expect(pipeline.definition().startsWith('{\n  "Version": "2020-12-01",\n  "Metadata": {},\n  "Parameters": [')).toBe(true);
  });
});

describe('ProcessingStep defaults', () => {
  const processor = new ScriptProcessor({
    imageUri: SKLEARN, command: ['python3'], instanceType: 'ml.m5.xlarge', roleArn: ROLE, volumeSizeInGb: 50,
    env: { MODE: 'fast' }, maxRuntimeInSeconds: 600,
  });
  const step = new ProcessingStep({
    name: 'Prep',
    processor,
    inputs: [new ProcessingInput({ source: 's3://b/raw/', destination: '/opt/ml/processing/raw' })],
    outputs: [new ProcessingOutput({ source: '/opt/ml/processing/a' }), new ProcessingOutput({ source: '/opt/ml/processing/b', outputName: 'b' })],
    jobArguments: ['--day', ExecutionVariables.START_DATETIME],
    code: 's3://b/code/prep.py',
    dependsOn: ['Other'],
    displayName: 'Prepare data',
    description: 'splits the data',
    cacheConfig: new CacheConfig({ enableCaching: true, expireAfter: 'P30D' }),
  });
  const other = new ProcessingStep({ name: 'Other', processor, code: 's3://b/code/other.py' });
  const [, prep] = stepsOf(new Pipeline({ name: 'pipe', steps: [other, step], defaultBucket: 'my-bucket' }));

  it('names unnamed inputs and outputs input-N/output-N and sends outputs under the default bucket', () => {
    const args = prep!.Arguments as J;
    expect((args.ProcessingInputs as J[]).map((i) => i.InputName)).toEqual(['input-1', 'code']);
    expect(args.ProcessingOutputConfig).toEqual({
      Outputs: [
        {
          OutputName: 'output-1', AppManaged: false,
          S3Output: {
            S3Uri: { 'Std:Join': { On: '/', Values: ['s3:/', 'my-bucket', 'pipe', { Get: 'Execution.PipelineExecutionId' }, 'Prep', 'output', 'output-1'] } },
            LocalPath: '/opt/ml/processing/a', S3UploadMode: 'EndOfJob',
          },
        },
        {
          OutputName: 'b', AppManaged: false,
          S3Output: {
            S3Uri: { 'Std:Join': { On: '/', Values: ['s3:/', 'my-bucket', 'pipe', { Get: 'Execution.PipelineExecutionId' }, 'Prep', 'output', 'b'] } },
            LocalPath: '/opt/ml/processing/b', S3UploadMode: 'EndOfJob',
          },
        },
      ],
    });
  });

  it('writes arguments, environment, stopping condition and the step options', () => {
    expect(prep).toMatchObject({
      Name: 'Prep', Type: 'Processing', DependsOn: ['Other'], DisplayName: 'Prepare data', Description: 'splits the data',
      CacheConfig: { Enabled: true, ExpireAfter: 'P30D' },
    });
    expect(Object.keys(prep!)).toEqual(['Name', 'Type', 'Arguments', 'DependsOn', 'DisplayName', 'Description', 'CacheConfig']);
    const args = prep!.Arguments as J;
    expect(args.AppSpecification).toEqual({
      ImageUri: SKLEARN,
      ContainerArguments: ['--day', { Get: 'Execution.StartDateTime' }],
      ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/prep.py'],
    });
    expect(args.ProcessingResources).toEqual({ ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 50 } });
    expect(args.Environment).toEqual({ MODE: 'fast' });
    expect(args.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 600 });
    expect(Object.keys(args)).toEqual(['ProcessingResources', 'AppSpecification', 'RoleArn', 'ProcessingInputs', 'ProcessingOutputConfig', 'Environment', 'StoppingCondition']);
  });

  it('takes a step object in dependsOn', () => {
    const s = new ProcessingStep({ name: 'Next', processor, code: 's3://b/x.py', dependsOn: [step] });
    expect(stepsOf(new Pipeline({ name: 'p', steps: [other, step, s] }))[2]!.DependsOn).toEqual(['Prep']);
  });

  it('refuses local code, a missing role and duplicate names, at the line that builds them', () => {
    expect(() => new ProcessingStep({ name: 'X', processor, code: './no-such-prep.py' }))
      .toThrow(/code "\.\/no-such-prep\.py" is neither an s3:\/\/ URI nor an existing local file/);
    expect(() => new ScriptProcessor({ imageUri: 'i', command: ['python3'], instanceType: 'ml.m5.large' })).toThrow(/"role" is required/);
    expect(() => new ProcessingInput({ source: 'data/', destination: '/opt/ml/processing/x' })).toThrow(/local sources are not uploaded yet/);
    expect(() => new Pipeline({ name: 'p', steps: [step, step] })).toThrow(/two steps are named "Prep"/);
  });
});

describe('ProcessingStep with a TensorFlowProcessor', () => {
  // The shape of the FrameworkProcessor steps in aws-samples+dynamic-sagemaker-pipelines-framework.
  const processor = new TensorFlowProcessor({
    frameworkVersion: '2.11.0', pyVersion: 'py39', role: ROLE, instanceType: 'ml.m5.2xlarge', instanceCount: 1, volumeSizeInGb: 32,
  });
  const step = new ProcessingStep({
    name: 'calhousing-Preprocessing',
    processor,
    inputs: [new ProcessingInput({ inputName: 'raw_data', source: 's3://b/traindata', destination: '/opt/ml/processing/input/raw_data' })],
    outputs: [new ProcessingOutput({ outputName: 'train', source: '/opt/ml/processing/output/train' })],
    code: 'preprocess.py',
    sourceDir: 's3://b/calhousing-test/code/601361f0/sourcedir.tar.gz',
  });
  const pipeline = new Pipeline({ name: 'calhousing-test', steps: [step], defaultBucket: 'sagemaker-us-east-1-327206644775' });
  const [asset] = pipeline.assets();

  it('mounts sourcedir.tar.gz as "code" and a generated runproc.sh as "entrypoint"', () => {
    expect(asset!.uri).toMatch(/^s3:\/\/sagemaker-us-east-1-327206644775\/calhousing-test\/code\/[0-9a-f]{64}\/runproc\.sh$/);
    const body = asset !== undefined && 'body' in asset ? asset.body : '';
    expect(body).toBe(runprocScript(['python'], 'preprocess.py'));
    expect(body).toContain('tar -xzf sourcedir.tar.gz');
    expect(body.trimEnd().split('\n').at(-1)).toBe('python preprocess.py "$@"');
    expect(stepsOf(pipeline)[0]).toEqual({
      Name: 'calhousing-Preprocessing',
      Type: 'Processing',
      Arguments: {
        ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.2xlarge', InstanceCount: 1, VolumeSizeInGB: 32 } },
        AppSpecification: {
          ImageUri: '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.11.0-cpu-py39',
          ContainerEntrypoint: ['/bin/bash', '/opt/ml/processing/input/entrypoint/runproc.sh'],
        },
        RoleArn: ROLE,
        ProcessingInputs: [
          s3In('raw_data', 's3://b/traindata', '/opt/ml/processing/input/raw_data'),
          s3In('code', 's3://b/calhousing-test/code/601361f0/sourcedir.tar.gz', '/opt/ml/processing/input/code/'),
          s3In('entrypoint', asset!.uri, '/opt/ml/processing/input/entrypoint'),
        ],
        ProcessingOutputConfig: {
          Outputs: [{
            OutputName: 'train', AppManaged: false,
            S3Output: {
              S3Uri: plain(new Join({ on: '/', values: ['s3:/', 'sagemaker-us-east-1-327206644775', 'calhousing-test', ExecutionVariables.PIPELINE_EXECUTION_ID, 'calhousing-Preprocessing', 'output', 'train'] })),
              LocalPath: '/opt/ml/processing/output/train', S3UploadMode: 'EndOfJob',
            },
          }],
        },
      },
    });
  });

  it('picks the GPU image for GPU instance types and honours region', () => {
    const gpu = new TensorFlowProcessor({ frameworkVersion: '2.13.0', pyVersion: 'py310', role: ROLE, instanceType: 'ml.g5.xlarge', region: 'eu-west-1' });
    expect(gpu.imageUri).toBe('763104351884.dkr.ecr.eu-west-1.amazonaws.com/tensorflow-training:2.13.0-gpu-py310');
  });

  it('needs code and an s3:// sourcedir.tar.gz', () => {
    expect(() => new ProcessingStep({ name: 'X', processor, code: 'p.py' })).toThrow(/"sourceDir" is required/);
    expect(() => new ProcessingStep({ name: 'X', processor, code: 'p.py', sourceDir: './no-such-src' })).toThrow(/neither an s3:\/\/ URI nor an existing local directory/);
    expect(() => new ProcessingStep({ name: 'X', processor, code: 'p.py', sourceDir: 's3://b/code.zip' })).toThrow(/sourcedir\.tar\.gz/);
  });
});
