import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerImageResolver } from '../../containers/docker-image-resolver.js';
import { ImageMap } from '../../containers/image-map.js';
import { LABEL_HOME, homeLabel } from '../../containers/labels.js';
import { executionVariables } from '../../engine/definition/execution-vars.js';
import { resolveValue } from '../../engine/definition/expressions.js';
import type { JsonObject, JsonValue } from '../../kernel/json.js';
import { ModelExecutor } from '../../steps/model.js';
import { TransformExecutor } from '../../steps/transform.js';
import { modelTarGz, SERVE_IMAGE } from './model-fixtures.js';
import { testHome } from './step-context.js';

const FILE = join(import.meta.dirname, '../../../shared/compat/sagemaker-definitions/aws-samples+dynamic-sagemaker-pipelines-framework__pipeline_definition.json');
const TF_INFERENCE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-inference:2.11.0-cpu';
const MODEL_TGZ = 's3://compat/calhousing/Training/output/model.tar.gz';
const TRAIN = 's3://compat/calhousing/Preprocessing/output/train';

const t = testHome();
afterAll(() => rmSync(t.home, { recursive: true, force: true }));

function put(uri: string, body: Buffer | string): void {
  const p = join(t.home, 's3', uri.slice('s3://'.length));
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, body);
}

/** What the upstream steps of the corpus would have recorded (the shapes `Get: Steps.…` reads). */
const upstream: Record<string, JsonValue> = {
  'calhousing-Training': { ModelArtifacts: { S3ModelArtifacts: MODEL_TGZ } },
  'calhousing-Preprocessing': { ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', S3Output: { S3Uri: TRAIN } }] } },
};

function resolved(step: { Arguments: JsonValue }, properties: Record<string, JsonValue>): JsonValue {
  const r = resolveValue(step.Arguments, {
    parameters: {}, execution: executionVariables('calhousing', 'compat1', Date.now()), stepProperties: (n) => properties[n],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('compat corpus: calhousing Model → Transform', () => {
  it('validates and runs as written, with tensorflow-inference mapped to the local serve image', async () => {
    const def = JSON.parse(readFileSync(FILE, 'utf8')) as { Steps: { Name: string; Type: string; Arguments: JsonValue }[] };
    const modelStep = def.Steps.find((s) => s.Name === 'calhousing-CreateModel-CreateModel')!;
    const transformStep = def.Steps.find((s) => s.Name === 'calhousing-Transform')!;
    expect([modelStep.Type, transformStep.Type]).toEqual(['Model', 'Transform']);
    // California housing: 8 features; a linear model's 8 weights and a bias.
    put(MODEL_TGZ, await modelTarGz([1, 0, 0, 0, 0, 0, 0, 0, 0.25]));
    put(`${TRAIN}/test/x_test.csv`, '1,2,3,4,5,6,7,8\n-2,0,0,0,0,0,0,0\n');
    const images = new DockerImageResolver(t.runtime, new ImageMap({ [TF_INFERENCE]: SERVE_IMAGE }));

    const mctx = t.ctx(modelStep.Name, 'Model', { runId: 'compat1', images });
    const models = new ModelExecutor();
    const mprep = await models.prepare(resolved(modelStep, upstream), mctx, { pull: false });
    if (!mprep.ok) throw new Error(JSON.stringify(mprep.error));
    expect(mprep.value.fingerprint.image).toEqual({ uri: TF_INFERENCE, id: expect.stringMatching(/^sha256:/) });
    expect(mprep.value.fingerprint.environment).toEqual({ SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code', SAGEMAKER_PROGRAM: 'inference', SAGEMAKER_REQUIREMENTS: 'requirements.txt' });
    const model = await models.execute(mprep.value, mctx);
    if (!model.ok) throw new Error(JSON.stringify(model.error));
    expect(model.value.properties.ModelName).toBe('pipelines-compat1-calhousing-CreateModel-CreateModel');

    const tctx = t.ctx(transformStep.Name, 'Transform', {
      runId: 'compat1', images, upstreamProperties: [model.value.properties as JsonObject],
    });
    const transform = new TransformExecutor();
    const targs = resolved(transformStep, { ...upstream, [modelStep.Name]: model.value.properties });
    const tprep = await transform.prepare(targs, tctx, { pull: false });
    if (!tprep.ok) throw new Error(JSON.stringify(tprep.error));
    expect(tprep.value.fingerprint.inputs).toEqual({ data: expect.stringMatching(/^sha256:/), model: mprep.value.fingerprint.inputs.model });
    const r = await transform.execute(tprep.value, tctx);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    // SplitType and AssembleWith are unset: the whole file is one request and the answer is written as it came.
    expect(readFileSync(join(t.home, 's3/sagemaker-us-east-1-327206644775/calhousing-test/compat1/calhousing-Transform/x_test.csv.out'), 'utf8')).toBe('1.25\n-1.75\n');
    expect(r.value.properties.TransformOutput).toEqual({ S3OutputPath: 's3://sagemaker-us-east-1-327206644775/calhousing-test/compat1/calhousing-Transform', Accept: 'text/csv' });
    expect(await t.runtime.listContainers({ [LABEL_HOME]: homeLabel(t.home) })).toEqual([]);
  });
});
