import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../kernel/json.js';
import { expectChain, putS3, runModelThenTransform, type StepJson } from '../steps/model-transform-chain.js';
import { testHome } from '../steps/step-context.js';
import { readCompat } from '../support/compat-corpus.js';

const FILE = 'aws-samples+dynamic-sagemaker-pipelines-framework__pipeline_definition.json';
const MODEL_TGZ = 's3://compat/calhousing/Training/output/model.tar.gz';
const TRAIN = 's3://compat/calhousing/Preprocessing/output/train';

const t = testHome();
afterAll(() => rmSync(t.home, { recursive: true, force: true }));

/** What the upstream steps of the corpus would have recorded (the shapes `Get: Steps.…` reads). */
const upstream: Record<string, JsonValue> = {
  'calhousing-Training': { ModelArtifacts: { S3ModelArtifacts: MODEL_TGZ } },
  'calhousing-Preprocessing': { ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', S3Output: { S3Uri: TRAIN } }] } },
};

describe('compat corpus: calhousing Model → Transform', () => {
  it('validates and runs as written, with tensorflow-inference mapped to the local serve image', async () => {
    const def = readCompat<{ Steps: StepJson[] }>(FILE);
    const modelStep = def.Steps.find((s) => s.Name === 'calhousing-CreateModel-CreateModel')!;
    const transformStep = def.Steps.find((s) => s.Name === 'calhousing-Transform')!;
    expect([modelStep.Type, transformStep.Type]).toEqual(['Model', 'Transform']);
    putS3(t.home, `${TRAIN}/test/x_test.csv`, '1,2,3,4,5,6,7,8\n-2,0,0,0,0,0,0,0\n');
    // California housing: 8 features; a linear model's 8 weights and a bias.
    const r = await runModelThenTransform(t, { model: modelStep, transform: transformStep }, {
      runId: 'compat1', upstream, modelUri: MODEL_TGZ, weights: [1, 0, 0, 0, 0, 0, 0, 0, 0.25],
    });
    await expectChain(t, r, { SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code', SAGEMAKER_PROGRAM: 'inference', SAGEMAKER_REQUIREMENTS: 'requirements.txt' });
    expect(r.model.properties.ModelName).toBe('pipelines-compat1-calhousing-CreateModel-CreateModel');
    // SplitType and AssembleWith are unset: the whole file is one request and the answer is written as it came.
    expect(readFileSync(join(t.home, 's3/sagemaker-us-east-1-327206644775/calhousing-test/compat1/calhousing-Transform/x_test.csv.out'), 'utf8')).toBe('1.25\n-1.75\n');
    expect(r.transform.properties.TransformOutput).toEqual({ S3OutputPath: 's3://sagemaker-us-east-1-327206644775/calhousing-test/compat1/calhousing-Transform', Accept: 'text/csv' });
  });
});
