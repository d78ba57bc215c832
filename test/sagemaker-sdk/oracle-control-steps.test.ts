import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CallbackStep, ConditionEquals, ConditionGreaterThan, ConditionGreaterThanOrEqualTo, ConditionIn, ConditionLessThan,
  ConditionLessThanOrEqualTo, ConditionNot, ConditionOr, ConditionStep, ExecutionVariables, FailStep, Join, JsonGet,
  LambdaStep, Model, ModelStep, ParameterBoolean, ParameterFloat, ParameterInteger, ParameterString, Pipeline,
  ProcessingOutput, ProcessingStep, PropertyFile, ScriptProcessor,
} from '../../sdk/index.js';
import { MotoServer } from '../cloud/moto-harness.js';
import { MOTO_ROLE_ARN as ROLE } from '../cloud/moto-harness.js';
import { ORACLE_MODULE_DIR, SDK_BUCKET } from '../support/sagemaker-sdk.js';
import { compareWithSdk } from '../support/sdk-oracle.js';

// Control flow: a ConditionStep with every condition (nested Or/Not/In), a second one on the first's Outcome, Fail
// steps with and without a message, Lambda and Callback steps with typed outputs, a PropertyFile read by nested
// JsonGet/Join (and a JsonGet on an S3 URI), parameters of each type, every execution variable, dependsOn on a
// ModelStep by name: cairn/sdk here, the Python SDK in test/support/sagemaker_sdk/control_steps_pipeline.py.
const moto = new MotoServer();
let dir: string;
const cwd = process.cwd();
beforeAll(async () => {
  await moto.start();
  dir = mkdtempSync(join(tmpdir(), 'cairn-oracle-control-'));
  writeFileSync(join(dir, 'evaluate.py'), 'print("evaluate")\n');
});
afterAll(async () => {
  process.chdir(cwd);
  await moto.stop();
  rmSync(dir, { recursive: true, force: true });
});

function controlStepsPipeline(): Pipeline {
  const threshold = new ParameterFloat({ name: 'Threshold', defaultValue: 0.8 });
  const retries = new ParameterInteger({ name: 'Retries', defaultValue: 2 });
  const mode = new ParameterString({ name: 'Mode', defaultValue: 'full', enumValues: ['full', 'quick'] });
  const notify = new ParameterBoolean({ name: 'Notify', defaultValue: true });
  const owner = new ParameterString({ name: 'Owner' });

  const proc = new ScriptProcessor({ imageUri: 'python:3.11-slim', command: ['python3'], role: ROLE, instanceType: 'ml.m5.large', instanceCount: 1 });
  const report = new PropertyFile({ name: 'Report', outputName: 'evaluation', path: 'report/evaluation.json' });
  const evaluate = new ProcessingStep({
    name: 'Evaluate',
    stepArgs: proc.run({
      code: 'evaluate.py', arguments: ['--mode', mode, '--retries', retries.toStringExpr()],
      outputs: [new ProcessingOutput({ outputName: 'evaluation', source: '/opt/ml/processing/evaluation' })],
    }),
    propertyFiles: [report],
  });
  const accuracy = new JsonGet({ step: evaluate, propertyFile: report, jsonPath: 'metrics.accuracy.value' });
  const label = new JsonGet({ step: 'Evaluate', propertyFile: 'Report', jsonPath: 'labels[0]' });
  const remote = new JsonGet({
    s3Uri: new Join({ on: '/', values: [`s3://${SDK_BUCKET}/reports`, ExecutionVariables.PIPELINE_EXECUTION_ID, 'summary.json'] }), jsonPath: 'count',
  });
  const describe = new LambdaStep({
    name: 'Describe',
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:describe',
    inputs: {
      start: ExecutionVariables.START_DATETIME, now: ExecutionVariables.CURRENT_DATETIME,
      pipeline: ExecutionVariables.PIPELINE_NAME, arn: ExecutionVariables.PIPELINE_ARN,
      id: ExecutionVariables.PIPELINE_EXECUTION_ID, executionArn: ExecutionVariables.PIPELINE_EXECUTION_ARN,
      accuracy, nested: new Join({ on: ',', values: [label, new Join({ on: '-', values: [mode, retries, accuracy] }), remote] }),
      notify, owner,
    },
    outputs: [{ outputName: 'summary', outputType: 'String' }, { outputName: 'score', outputType: 'Float' }],
    dependsOn: [evaluate],
  });
  const approve = new CallbackStep({
    name: 'Approve',
    sqsQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/approvals',
    inputs: { summary: describe.properties.outputs('summary'), threshold },
    outputs: [{ outputName: 'approved', outputType: 'Boolean' }, { outputName: 'note' }],
    displayName: 'Human approval', description: 'waits for a person',
  });
  const model = new Model({ imageUri: '111122223333.dkr.ecr.us-east-1.amazonaws.com/serve:1', modelData: `s3://${SDK_BUCKET}/model.tar.gz`, role: ROLE });
  const deploy = new ModelStep({ name: 'Deploy', stepArgs: model.create(), dependsOn: [approve] });
  const reject = new FailStep({
    name: 'Reject', errorMessage: new Join({ on: ' ', values: ['accuracy', accuracy, 'is below', threshold, 'for', ExecutionVariables.PIPELINE_EXECUTION_ID] }),
  });
  const gate = new ConditionStep({
    name: 'Gate',
    conditions: [
      new ConditionGreaterThanOrEqualTo({ left: accuracy, right: threshold }),
      new ConditionOr({
        conditions: [
          new ConditionEquals({ left: mode, right: 'full' }),
          new ConditionNot({ expression: new ConditionIn({ value: label, inValues: ['risky', 'dormant', 3] }) }),
          new ConditionGreaterThan({ left: describe.properties.outputs('score'), right: 0.5 }),
          new ConditionLessThan({ left: retries, right: 5 }),
          new ConditionLessThanOrEqualTo({ left: remote, right: 100 }),
        ],
      }),
      new ConditionEquals({ left: notify, right: true }),
    ],
    ifSteps: [approve, deploy],
    elseSteps: [reject],
  });
  const second = new ConditionStep({
    name: 'Second', conditions: [new ConditionEquals({ left: gate.properties.outcome, right: false })],
    elseSteps: [new FailStep({ name: 'Silent' })], dependsOn: ['Deploy'],
  });
  return new Pipeline({
    name: 'control-steps', parameters: [threshold, retries, mode, notify, owner],
    steps: [evaluate, describe, gate, second], pipelineExperimentConfig: null, defaultBucket: SDK_BUCKET,
  });
}

describe('control steps against the SageMaker Python SDK', () => {
  it('writes exactly the definition the SDK writes', async () => {
    const python = readFileSync(join(ORACLE_MODULE_DIR, 'control_steps_pipeline.py'), 'utf8');
    process.chdir(dir);
    const r = await compareWithSdk(moto, python, controlStepsPipeline().definitionObject(), { cwd: dir });
    expect(r.unexplained).toEqual([]);
    expect(r.all).toEqual([]);
    const steps = r.sdk.Steps as { Name: string; Arguments: { IfSteps?: { Name: string }[] } }[];
    expect(steps.map((s) => s.Name)).toEqual(['Evaluate', 'Describe', 'Gate', 'Second']);
    expect(steps[2]!.Arguments.IfSteps!.map((s) => s.Name)).toEqual(['Approve', 'Deploy-CreateModel']);
  });
});
