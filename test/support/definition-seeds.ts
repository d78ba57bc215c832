import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadPipelineModule } from '../../cli/load-pipeline-module.js';
import type { JsonValue } from '../../kernel/json.js';
import { get, processing, training } from '../engine/definition-helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const execId = get('Execution.PipelineExecutionId');
const stdJoin = (...values: JsonValue[]): JsonValue => ({ 'Std:Join': { On: '/', Values: values } });

/**
 * Every step type cairn runs, in one definition, written as the SageMaker SDK writes them: parameters of each type,
 * CacheConfig, RetryPolicies, PropertyFiles read by Std:JsonGet in a Condition whose branches hold Model → Transform
 * and a Fail step, RegisterModel, Lambda and Callback steps with output parameters, a Tuning step.
 */
export function everyStepType(): JsonValue {
  const evaluate = processing('Evaluate', {
    PropertyFiles: [{ PropertyFileName: 'Report', OutputName: 'train', FilePath: 'evaluation.json' }],
    RetryPolicies: [{ ExceptionType: ['Step.SERVICE_FAULT'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 }],
  }, { ProcessingInputs: [{ InputName: 'model', S3Input: { S3Uri: get('Steps.Train.ModelArtifacts.S3ModelArtifacts'), LocalPath: '/opt/ml/processing/model' } }] });
  const model = {
    Name: 'CreateModel', Type: 'Model',
    Arguments: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/r', PrimaryContainer: { Image: 'img', Environment: { SAGEMAKER_PROGRAM: 'inference.py' }, ModelDataUrl: get('Steps.Train.ModelArtifacts.S3ModelArtifacts') } },
  };
  const transform = {
    Name: 'Score', Type: 'Transform',
    Arguments: {
      ModelName: get('Steps.CreateModel.ModelName'),
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: stdJoin(get("Steps.Prep.ProcessingOutputConfig.Outputs['test'].S3Output.S3Uri"), 'x.csv') } }, ContentType: 'text/csv', SplitType: 'Line' },
      TransformOutput: { S3OutputPath: stdJoin('s3://b/out', execId), AssembleWith: 'Line' },
      TransformResources: { InstanceCount: 1, InstanceType: 'ml.m5.large' },
    },
  };
  const register = {
    Name: 'Register', Type: 'RegisterModel',
    Arguments: { ModelPackageGroupName: get('Parameters.Group'), InferenceSpecification: { Containers: [{ Image: 'img', ModelDataUrl: get('Steps.Train.ModelArtifacts.S3ModelArtifacts') }] }, ModelApprovalStatus: 'PendingManualApproval' },
  };
  const check = {
    Name: 'Check', Type: 'Condition',
    Arguments: {
      Conditions: [{ Type: 'GreaterThanOrEqualTo', LeftValue: { 'Std:JsonGet': { PropertyFile: get('Steps.Evaluate.PropertyFiles.Report'), Path: 'metrics.accuracy.value' } }, RightValue: get('Parameters.Threshold') }],
      IfSteps: [model, transform, register],
      ElseSteps: [{ Name: 'TooLow', Type: 'Fail', Arguments: { ErrorMessage: stdJoin('accuracy below', get('Parameters.Threshold')) } }],
    },
  };
  const notify = { Name: 'Notify', Type: 'Lambda', FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:notify', Arguments: { run: execId }, OutputParameters: [{ OutputName: 'ok', OutputType: 'Boolean' }], DependsOn: ['Check'] };
  const approve = { Name: 'Approve', Type: 'Callback', SqsQueueUrl: 'https://sqs.us-east-1.amazonaws.com/111122223333/q', Arguments: { model: get('Steps.Train.ModelArtifacts.S3ModelArtifacts') }, OutputParameters: [{ OutputName: 'by', OutputType: 'String' }], DependsOn: ['Notify'] };
  const tune = {
    Name: 'Tune', Type: 'Tuning',
    Arguments: {
      HyperParameterTuningJobConfig: {
        Strategy: 'Random', ResourceLimits: { MaxNumberOfTrainingJobs: 4, MaxParallelTrainingJobs: 2 }, TrainingJobEarlyStoppingType: 'Off', RandomSeed: 7,
        HyperParameterTuningJobObjective: { Type: 'Minimize', MetricName: 'val:loss' },
        ParameterRanges: { ContinuousParameterRanges: [{ Name: 'lr', MinValue: '0.001', MaxValue: '0.1', ScalingType: 'Logarithmic' }] },
      },
      TrainingJobDefinition: {
        StaticHyperParameters: { epochs: '2' }, RoleArn: 'arn:aws:iam::111122223333:role/r', OutputDataConfig: { S3OutputPath: 's3://b/tune/' },
        StoppingCondition: { MaxRuntimeInSeconds: 86400 }, HyperParameterTuningResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 30 },
        AlgorithmSpecification: { TrainingInputMode: 'File', TrainingImage: 'trainer:1', MetricDefinitions: [{ Name: 'val:loss', Regex: 'loss=([0-9.]+)' }] },
        InputDataConfig: [{ ChannelName: 'training', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: get("Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri") } } }],
      },
    },
  };
  return {
    Version: '2020-12-01', Metadata: {},
    Parameters: [
      { Name: 'Group', Type: 'String', DefaultValue: 'models' }, { Name: 'Epochs', Type: 'Integer', DefaultValue: 3 },
      { Name: 'Threshold', Type: 'Float', DefaultValue: 0.7 }, { Name: 'Strict', Type: 'Boolean', DefaultValue: false },
    ],
    PipelineExperimentConfig: { ExperimentName: get('Execution.PipelineName'), TrialName: execId },
    Steps: [
      processing('Prep', { CacheConfig: { Enabled: true, ExpireAfter: 'P30D' } }),
      training('Train', {
        HyperParameters: { epochs: { 'Std:Join': { On: '', Values: [get('Parameters.Epochs')] } } },
        InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: get("Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri") } } }],
        OutputDataConfig: { S3OutputPath: stdJoin('s3://b/models', execId) },
        ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 },
      }, { CacheConfig: { Enabled: true, ExpireAfter: '30d' } }),
      evaluate, check, notify, approve, tune,
    ],
  };
}

/** examples/retrain/pipeline.ts rendered through the SDK, as `cairn run pipeline.ts` does (from its own folder). */
async function retrainExample(): Promise<JsonValue> {
  const dir = join(ROOT, 'examples/retrain');
  const home = mkdtempSync(join(tmpdir(), 'cairn-seeds-'));
  const cwd = process.cwd();
  const before = process.env.CAIRN_HOME;
  process.env.CAIRN_HOME = home;
  process.chdir(dir);
  try {
    const m = await loadPipelineModule(join(dir, 'pipeline.ts'));
    if (!m.ok) throw new Error(m.error.join('\n'));
    return JSON.parse(m.value.text) as JsonValue;
  } finally {
    process.chdir(cwd);
    if (before === undefined) delete process.env.CAIRN_HOME;
    else process.env.CAIRN_HOME = before;
    rmSync(home, { recursive: true, force: true });
  }
}

/** The definitions this repository holds or builds: the examples and {@link everyStepType}. */
export async function inRepoDefinitions(): Promise<Record<string, JsonValue>> {
  return {
    'examples/quickstart/pipeline.json': JSON.parse(readFileSync(join(ROOT, 'examples/quickstart/pipeline.json'), 'utf8')) as JsonValue,
    'examples/retrain/pipeline.ts': await retrainExample(),
    'every step type': everyStepType(),
  };
}
