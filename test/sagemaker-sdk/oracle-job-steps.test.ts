import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CacheConfig, Estimator, ExecutionVariables, Join, MetricsSource, Model, ModelMetrics, ModelStep, ParameterInteger,
  ParameterString, Pipeline, PipelineExperimentConfig, ProcessingInput, ProcessingOutput, ProcessingStep, RegisterModel,
  SageMakerJobExceptionType, SageMakerJobStepRetryPolicy, ScriptProcessor, SKLearn, SKLearnProcessor, StepExceptionType,
  StepRetryPolicy, TensorFlowModel, TrainingInput, TrainingStep, TransformInput, Transformer, TransformStep,
} from '../../sdk/index.js';
import { MotoServer } from '../cloud/moto-harness.js';
import { MOTO_ROLE_ARN as ROLE } from '../cloud/moto-harness.js';
import { ORACLE_MODULE_DIR, SDK_BUCKET } from '../support/sagemaker-sdk.js';
import { compareWithSdk } from '../support/sdk-oracle.js';

// Every job step type (Processing through processor.run and SKLearnProcessor, Training through estimator.fit and
// SKLearn, Model create/register with metrics and an approval parameter, the older RegisterModel, Transform both
// ways), retry policies, cache config, dependsOn on steps, collections and names: written with cairn/sdk here and
// with the Python SDK in test/support/sagemaker_sdk/job_steps_pipeline.py.
const FILES: Record<string, string> = { 'prepare.py': 'print("prepare")\n', 'featurize.py': 'print("featurize")\n', 'src/train.py': 'print("train")\n' };
const moto = new MotoServer();
let dir: string;
const cwd = process.cwd();
beforeAll(async () => {
  await moto.start();
  dir = mkdtempSync(join(tmpdir(), 'cairn-oracle-jobs-'));
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
});
afterAll(async () => {
  process.chdir(cwd);
  await moto.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Code paths are relative to the working directory, as in the Python script (the SDK hashes them as written). */
function jobStepsPipeline(): Pipeline {
  const IMAGE = '111122223333.dkr.ecr.us-east-1.amazonaws.com/custom:1';
  const instance = new ParameterString({ name: 'InstanceType', defaultValue: 'ml.m5.large' });
  const approval = new ParameterString({ name: 'Approval', defaultValue: 'PendingManualApproval', enumValues: ['PendingManualApproval', 'Approved'] });
  const rows = new ParameterInteger({ name: 'Rows', defaultValue: 100 });
  const throttled = new StepRetryPolicy({ exceptionTypes: [StepExceptionType.THROTTLING, StepExceptionType.SERVICE_FAULT], maxAttempts: 4, intervalSeconds: 2, backoffRate: 1.5 });
  const jobErrors = new SageMakerJobStepRetryPolicy({ exceptionTypes: [SageMakerJobExceptionType.INTERNAL_ERROR], expireAfterMins: 30 });

  const script = new ScriptProcessor({ imageUri: IMAGE, command: ['python3'], role: ROLE, instanceType: instance, instanceCount: 1, env: { ROWS: rows.toStringExpr() } });
  const prepare = new ProcessingStep({
    name: 'Prepare',
    stepArgs: script.run({
      code: 'prepare.py', arguments: ['--rows', rows.toStringExpr(), '--run', ExecutionVariables.PIPELINE_EXECUTION_ID],
      inputs: [new ProcessingInput({ source: `s3://${SDK_BUCKET}/raw`, destination: '/opt/ml/processing/raw' })],
      outputs: [new ProcessingOutput({ outputName: 'train', source: '/opt/ml/processing/train' }), new ProcessingOutput({ source: '/opt/ml/processing/other' })],
    }),
    retryPolicies: [throttled],
    cacheConfig: new CacheConfig({ enableCaching: true, expireAfter: 'PT1H' }),
  });
  const sk = new SKLearnProcessor({ frameworkVersion: '1.2-1', role: ROLE, instanceType: 'ml.m5.xlarge', instanceCount: 2 });
  const featurize = new ProcessingStep({
    name: 'Featurize', displayName: 'Feature engineering', description: 'scikit-learn features',
    processor: sk,
    code: 'featurize.py',
    inputs: [new ProcessingInput({ source: prepare.properties.outputUri('train'), destination: '/opt/ml/processing/in' })],
    outputs: [new ProcessingOutput({
      outputName: 'features', source: '/opt/ml/processing/features',
      destination: new Join({ on: '/', values: [`s3://${SDK_BUCKET}/features`, ExecutionVariables.PIPELINE_EXECUTION_ID] }),
    })],
  });
  const est = new Estimator({
    imageUri: IMAGE, role: ROLE, instanceType: instance, instanceCount: 1, outputPath: `s3://${SDK_BUCKET}/models`,
    hyperparameters: { epochs: 3, lr: 0.1, flag: true, rows }, metricDefinitions: [{ name: 'loss', regex: 'loss=([0-9.]+)' }],
  });
  const train = new TrainingStep({
    name: 'Train',
    stepArgs: est.fit({ inputs: { train: new TrainingInput({ s3Data: featurize.properties.outputUri('features'), contentType: 'text/csv' }) } }),
    retryPolicies: [jobErrors, throttled],
  });
  const skl = new SKLearn({
    entryPoint: 'train.py', sourceDir: 'src', frameworkVersion: '1.2-1', pyVersion: 'py3', role: ROLE,
    instanceType: 'ml.m5.large', instanceCount: 1, hyperparameters: { alpha: 0.5, name: 'ridge' },
  });
  const trainSk = new TrainingStep({ name: 'TrainSK', estimator: skl, inputs: `s3://${SDK_BUCKET}/features/static`, dependsOn: [train] });

  const modelData = train.properties.modelArtifacts.s3ModelArtifacts;
  const model = new Model({ imageUri: IMAGE, modelData, role: ROLE, env: { MODE: 'batch' } });
  const create = new ModelStep({ name: 'MakeModel', stepArgs: model.create({ instanceType: 'ml.m5.large' }), retryPolicies: [throttled] });
  const tf = new TensorFlowModel({ modelData, role: ROLE, frameworkVersion: '2.11' });
  const metrics = new ModelMetrics({
    modelStatistics: new MetricsSource({ s3Uri: `s3://${SDK_BUCKET}/eval/statistics.json`, contentType: 'application/json' }),
    modelConstraints: new MetricsSource({ s3Uri: `s3://${SDK_BUCKET}/eval/constraints.json`, contentType: 'application/json' }),
    bias: new MetricsSource({ s3Uri: `s3://${SDK_BUCKET}/eval/bias.json`, contentType: 'application/json' }),
  });
  const register = new ModelStep({
    name: 'Register',
    stepArgs: tf.register({
      contentTypes: ['application/json'], responseTypes: ['application/json'], inferenceInstances: ['ml.m5.large'],
      transformInstances: ['ml.m5.xlarge'], modelPackageGroupName: 'cairn-models', approvalStatus: approval, modelMetrics: metrics,
      description: 'a TensorFlow model', customerMetadataProperties: { run: '1' }, domain: 'MACHINE_LEARNING', task: 'CLASSIFICATION',
    }),
    dependsOn: [create],
  });
  const legacy = new RegisterModel({
    name: 'Legacy', estimator: est, modelData, contentTypes: ['text/csv'], responseTypes: ['text/csv'],
    inferenceInstances: ['ml.m5.large'], transformInstances: ['ml.m5.large'], modelPackageGroupName: 'cairn-legacy',
    approvalStatus: 'Approved', dependsOn: ['MakeModel'], description: "the generic estimator's model", displayName: 'Legacy registration',
  });
  const transformer = new Transformer({
    modelName: create.properties.modelName, instanceType: 'ml.m5.large', instanceCount: 1, outputPath: `s3://${SDK_BUCKET}/batch`,
    accept: 'text/csv', assembleWith: 'Line', strategy: 'MultiRecord', maxPayload: 6, env: { A: 'b' },
  });
  const batch = new TransformStep({
    name: 'Batch',
    stepArgs: transformer.transform({ data: `s3://${SDK_BUCKET}/batch-in`, contentType: 'text/csv', splitType: 'Line', inputFilter: '$[1:]', joinSource: 'Input' }),
    retryPolicies: [jobErrors],
  });
  const batch2 = new TransformStep({ name: 'Batch2', transformer, inputs: new TransformInput({ data: `s3://${SDK_BUCKET}/batch-in-2` }), dependsOn: ['Batch', legacy] });

  return new Pipeline({
    name: 'job-steps', parameters: [instance, approval, rows],
    steps: [prepare, featurize, train, trainSk, create, register, legacy, batch, batch2],
    pipelineExperimentConfig: new PipelineExperimentConfig({ experimentName: 'cairn-experiment', trialName: ExecutionVariables.PIPELINE_EXECUTION_ID }),
    defaultBucket: SDK_BUCKET,
  });
}

describe('job steps against the SageMaker Python SDK', () => {
  it('writes exactly the definition the SDK writes', async () => {
    const python = readFileSync(join(ORACLE_MODULE_DIR, 'job_steps_pipeline.py'), 'utf8');
    process.chdir(dir);
    const r = await compareWithSdk(moto, python, jobStepsPipeline().definitionObject(), { cwd: dir });
    expect(r.unexplained).toEqual([]);
    expect(r.all).toEqual([]);
    expect((r.sdk.Steps as { Name: string }[]).map((s) => s.Name)).toEqual([
      'Prepare', 'Featurize', 'Train', 'TrainSK', 'MakeModel-CreateModel', 'Register-RegisterModel', 'Legacy-RegisterModel', 'Batch', 'Batch2',
    ]);
  });
});
