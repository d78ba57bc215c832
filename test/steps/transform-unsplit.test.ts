import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../kernel/json.js';
import { expectChain, putS3, runModelThenTransform, TF_INFERENCE, type StepJson } from './model-transform-chain.js';
import { testHome } from './step-context.js';

const MODEL_TGZ = 's3://bucket/Train/output/model.tar.gz';
const DATA = 's3://bucket/Prep/output/test';
const OUT = 's3://bucket/batch';

const t = testHome();
afterAll(() => rmSync(t.home, { recursive: true, force: true }));

// A Model step and a Transform step as the SageMaker Python SDK writes them for a TensorFlow model (ModelStep +
// TransformStep with a Transformer that sets neither split_type nor assemble_with): the model container's
// environment, ModelName and the data URI read from upstream steps, the output path joined with the execution id.
const model: StepJson = {
  Name: 'CreateModel',
  Type: 'Model',
  Arguments: {
    ExecutionRoleArn: 'arn:aws:iam::111122223333:role/SageMakerRole',
    PrimaryContainer: {
      Image: TF_INFERENCE,
      Environment: { SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code', SAGEMAKER_PROGRAM: 'inference', SAGEMAKER_REQUIREMENTS: 'requirements.txt' },
      ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' },
    },
  },
};
const transform: StepJson = {
  Name: 'BatchScore',
  Type: 'Transform',
  Arguments: {
    ModelName: { Get: 'Steps.CreateModel.ModelName' },
    TransformInput: {
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: { 'Std:Join': { On: '/', Values: [{ Get: "Steps.Prep.ProcessingOutputConfig.Outputs['test'].S3Output.S3Uri" }, 'x.csv'] } } } },
      ContentType: 'text/csv',
    },
    TransformOutput: { S3OutputPath: { 'Std:Join': { On: '/', Values: [OUT, { Get: 'Execution.PipelineExecutionId' }, 'BatchScore'] } }, Accept: 'text/csv' },
    TransformResources: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge' },
  },
};
const upstream: Record<string, JsonValue> = {
  Train: { ModelArtifacts: { S3ModelArtifacts: MODEL_TGZ } },
  Prep: { ProcessingOutputConfig: { Outputs: [{ OutputName: 'test', S3Output: { S3Uri: DATA } }] } },
};

describe('Model → Transform without SplitType or AssembleWith', () => {
  it('sends each file as one request and writes the answer as it came', async () => {
    putS3(t.home, `${DATA}/x.csv`, '1,2,3\n-2,0,0\n');
    const r = await runModelThenTransform(t, { model, transform }, { runId: 'unsplit1', upstream, modelUri: MODEL_TGZ, weights: [1, 0, 0, 0.25] });
    await expectChain(t, r, { SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code', SAGEMAKER_PROGRAM: 'inference', SAGEMAKER_REQUIREMENTS: 'requirements.txt' });
    expect(r.model.properties.ModelName).toBe('pipelines-unsplit1-CreateModel');
    expect(readFileSync(join(t.home, 's3/bucket/batch/unsplit1/BatchScore/x.csv.out'), 'utf8')).toBe('1.25\n-1.75\n');
    expect(r.transform.properties.TransformOutput).toEqual({ S3OutputPath: 's3://bucket/batch/unsplit1/BatchScore', Accept: 'text/csv' });
  });
});
