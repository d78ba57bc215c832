import { worded, words } from '../failure-words.js';
import { readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../kernel/json.js';
import { ok } from '../../kernel/result.js';
import type { StepContext } from '../../contracts/executor.js';
import { imageWillBePulled } from '../../steps/step-image.js';
import { stepJobName } from '../../steps/job-name.js';
import { ProcessingExecutor } from '../../steps/processing.js';
import { TrainingExecutor } from '../../steps/training.js';
import { PY, SKL, testHome } from './step-context.js';

const t = testHome();
afterAll(() => rmSync(t.home, { recursive: true, force: true }));
const exec = new TrainingExecutor();

const TRAIN = `
import json, os
cfg = "/opt/ml/input/config/"
hp = json.load(open(cfg + "hyperparameters.json"))
res = json.load(open(cfg + "resourceconfig.json"))
idc = json.load(open(cfg + "inputdataconfig.json"))
rows = [float(x) for x in open("/opt/ml/input/data/train/part/values.txt").read().split()]
epochs = int(hp["epochs"])
os.makedirs("/opt/ml/model/weights", exist_ok=True)
open("/opt/ml/model/weights/w.txt", "w").write(str(sum(rows) * epochs))
hp.pop("model_dir")  # differs per run (SDK output location); keep the model itself run-independent
open("/opt/ml/model/meta.json", "w").write(json.dumps({"hp": hp, "res": res, "idc": idc}, sort_keys=True))
open("/opt/ml/output/data/metrics.json", "w").write(json.dumps({"loss": 0.5}))
print("trained", os.environ["TRAINING_JOB_NAME"], os.environ["STAGE"])
`;

function args(outputPath: string, over: JsonObject = {}): JsonObject {
  return {
    AlgorithmSpecification: { TrainingImage: SKL, TrainingInputMode: 'File', ContainerEntrypoint: ['python3', '-c', TRAIN] },
    HyperParameters: { epochs: '3', sagemaker_program: '"train.py"', sagemaker_submit_directory: '"s3://bucket/code/sourcedir.tar.gz"', model_dir: `"${outputPath}/model"` },
    Environment: { STAGE: 'test' },
    InputDataConfig: [
      { ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://bucket/train', S3DataDistributionType: 'FullyReplicated' } } },
    ],
    OutputDataConfig: { S3OutputPath: outputPath },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 30 },
    StoppingCondition: { MaxRuntimeInSeconds: 86400 },
    RoleArn: 'arn:aws:iam::111111111111:role/r',
    ...over,
  };
}

async function train(ctx: StepContext, a: JsonObject) {
  const prepared = await exec.prepare(a, ctx, { pull: true });
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
  return { prepared: prepared.value, result: await exec.execute(prepared.value, ctx) };
}

describe('TrainingExecutor', () => {
  t.put('bucket/train/part/values.txt', '1 2 3.5\n');
  t.put('bucket/code/sourcedir.tar.gz', 'pretend code');

  it('runs the training contract and packs a byte-identical model.tar.gz on every run', async () => {
    const c1 = t.ctx('Train', 'Training', { runId: 'execA' });
    const first = await train(c1, args('s3://bucket/out-a'));
    if (!first.result.ok) throw new Error(JSON.stringify(first.result.error));
    expect(c1.lines).toEqual(['trained pipelines-execA-Train test']);
    const p = first.result.value.properties;
    expect(p).toMatchObject({
      TrainingJobName: 'pipelines-execA-Train',
      TrainingJobArn: 'arn:aws:sagemaker:local:000000000000:training-job/pipelines-execA-Train',
      TrainingJobStatus: 'Completed',
      ModelArtifacts: { S3ModelArtifacts: 's3://bucket/out-a/pipelines-execA-Train/output/model.tar.gz' },
      HyperParameters: args('s3://bucket/out-a').HyperParameters,
      OutputDataConfig: { S3OutputPath: 's3://bucket/out-a' },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 30 },
      FinalMetricDataList: [],
    });
    expect(first.result.value.outputs.map((o) => [o.name, o.uri, o.isFile])).toEqual([
      ['model', 's3://bucket/out-a/pipelines-execA-Train/output/model.tar.gz', true],
      ['output', 's3://bucket/out-a/pipelines-execA-Train/output/output.tar.gz', true],
    ]);
    const model1 = join(t.home, 's3/bucket/out-a/pipelines-execA-Train/output/model.tar.gz');
    const listing = execFileSync('tar', ['-tzf', model1], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(['meta.json', 'weights/', 'weights/w.txt']);
    const meta = JSON.parse(execFileSync('tar', ['-xzOf', model1, 'meta.json'], { encoding: 'utf8' }));
    const { model_dir: _ignored, ...hpWithoutModelDir } = args('s3://bucket/out-a').HyperParameters as JsonObject;
    expect(meta.hp).toEqual(hpWithoutModelDir);
    expect(meta.res).toEqual({ current_host: 'algo-1', hosts: ['algo-1'], network_interface_name: 'eth0', current_instance_type: 'ml.m5.large' });
    expect(meta.idc).toEqual({ train: { TrainingInputMode: 'File', ContentType: 'text/csv', S3DistributionType: 'FullyReplicated', RecordWrapperType: 'None' } });
    expect(execFileSync('tar', ['-xzOf', model1, 'weights/w.txt'], { encoding: 'utf8' })).toBe('19.5');
    const outputTar = join(t.home, 's3/bucket/out-a/pipelines-execA-Train/output/output.tar.gz');
    expect(execFileSync('tar', ['-xzOf', outputTar, 'metrics.json'], { encoding: 'utf8' })).toBe('{"loss": 0.5}');

    const c2 = t.ctx('Train', 'Training', { runId: 'execB' });
    const second = await train(c2, args('s3://bucket/out-b'));
    if (!second.result.ok) throw new Error(JSON.stringify(second.result.error));
    const model2 = join(t.home, 's3/bucket/out-b/pipelines-execB-Train/output/model.tar.gz');
    expect(readFileSync(model2).equals(readFileSync(model1))).toBe(true);
    expect(second.result.value.outputs[0]?.hash).toBe(first.result.value.outputs[0]?.hash);
    // Output destinations and the SDK's model_dir are not part of the fingerprint; the code is, by content.
    expect(second.prepared.fingerprint).toEqual(first.prepared.fingerprint);
    const hp = (first.prepared.fingerprint.arguments as JsonObject).HyperParameters as JsonObject;
    expect(hp.sagemaker_submit_directory).toBe('input:hyperparameter:sagemaker_submit_directory');
    expect(hp.model_dir).toBeUndefined();
    expect((first.prepared.fingerprint.arguments as JsonObject).OutputDataConfig).toEqual({});
    expect(first.prepared.fingerprint.inputs).toEqual({
      train: expect.stringMatching(/^sha256:/),
      'hyperparameter:sagemaker_submit_directory': expect.stringMatching(/^sha256:/),
    });
  });

  it('reads a channel from an upstream step\'s recorded output', async () => {
    const prep = t.ctx('Prep', 'Processing', { runId: 'execC' });
    const pa = await new ProcessingExecutor().prepare(
      {
        AppSpecification: { ImageUri: PY, ContainerEntrypoint: ['python3', '-c', 'import os\nos.makedirs("/o/part")\nopen("/o/part/values.txt", "w").write("10 20")'] },
        ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', S3Output: { S3Uri: 's3://bucket/execC/prep/train', LocalPath: '/o' } }] },
      },
      prep,
      { pull: false },
    );
    if (!pa.ok) throw new Error(JSON.stringify(pa.error));
    const pr = await new ProcessingExecutor().execute(pa.value, prep);
    if (!pr.ok) throw new Error(JSON.stringify(pr.error));
    const channels = [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://bucket/execC/prep/train' } } }];
    const ctx = t.ctx('Train', 'Training', { runId: 'execC', upstreamOutputs: pr.value.outputs });
    const { result } = await train(ctx, args('s3://bucket/out-c', { InputDataConfig: channels }));
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    const model = join(t.home, 's3/bucket/out-c/pipelines-execC-Train/output/model.tar.gz');
    expect(execFileSync('tar', ['-xzOf', model, 'weights/w.txt'], { encoding: 'utf8' })).toBe('90.0');
  });

  it('changes the fingerprint when the code behind sagemaker_submit_directory changes', async () => {
    const before = await exec.prepare(args('s3://bucket/o'), t.ctx('Train', 'Training'), { pull: false });
    t.put('bucket/code/sourcedir.tar.gz', 'other code');
    const after = await exec.prepare(args('s3://bucket/o'), t.ctx('Train', 'Training'), { pull: false });
    t.put('bucket/code/sourcedir.tar.gz', 'pretend code');
    const code = (r: typeof before) => (r.ok ? r.value.fingerprint.inputs['hyperparameter:sagemaker_submit_directory'] : undefined);
    expect(code(before)).toMatch(/^sha256:/);
    expect(code(after)).toMatch(/^sha256:/);
    expect(code(before)).not.toEqual(code(after));
  });

  it('reports the failure file written by a failing job', async () => {
    const script = 'import sys\nprint("starting")\nopen("/opt/ml/output/failure", "w").write("learning_rate must be positive, got -1\\n")\nsys.exit(1)';
    const ctx = t.ctx('Train', 'Training');
    const { result } = await train(ctx, args('s3://bucket/o', { AlgorithmSpecification: { TrainingImage: PY, ContainerEntrypoint: ['python3', '-c', script] } }));
    expect(result.ok).toBe(false);
    expect({ ok: result.ok, error: !result.ok && worded(result.error, { name: 'Train', type: 'Training' }) }).toEqual({
      ok: false,
      error: {
        reason: 'exit-nonzero',
        exitCode: 1,
        failureFile: 'learning_rate must be positive, got -1',
        logTail: ['starting'],
        message:
          'Training step "Train" failed: its container exited with code 1 and wrote to /opt/ml/output/failure: learning_rate must be positive, got -1. Fix the cause in the job code or its inputs and run again.',
      },
    });
  });

  it('records the last value of each metric definition in FinalMetricDataList', async () => {
    const script = 'for i, l in enumerate([0.9, 0.5, 0.25]): print(f"epoch={i}; loss={l}; acc=n/a")';
    const ctx = t.ctx('Train', 'Training');
    const metricDefinitions = [
      { Name: 'train:loss', Regex: 'loss=([0-9.]+);' },
      { Name: 'train:epoch', Regex: 'epoch=(?P<e>[0-9]+)' },
      { Name: 'never', Regex: 'nothing=([0-9]+)' },
    ];
    const { result } = await train(ctx, args('s3://bucket/o', { AlgorithmSpecification: { TrainingImage: PY, ContainerEntrypoint: ['python3', '-c', script], MetricDefinitions: metricDefinitions } }));
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.properties.FinalMetricDataList).toEqual([
      { MetricName: 'train:loss', Value: 0.25, Timestamp: expect.any(String) },
      { MetricName: 'train:epoch', Value: 2, Timestamp: expect.any(String) },
    ]);
    const bad = await exec.prepare(args('s3://bucket/o', { AlgorithmSpecification: { TrainingImage: PY, MetricDefinitions: [{ Name: 'x', Regex: 'a(' }] } }), ctx, { pull: false });
    expect(!bad.ok && bad.error).toMatchObject({ reason: 'invalid-arguments', field: 'AlgorithmSpecification.MetricDefinitions[0].Regex' });
  });

  it('runs `train` by default', async () => {
    const ctx = t.ctx('Train', 'Training');
    // No sagemaker_program: not script mode (that is test/steps/script-mode-*.test.ts), so the image gets `train`.
    const { result } = await train(ctx, args('s3://bucket/o', { AlgorithmSpecification: { TrainingImage: PY, TrainingInputMode: 'File' }, HyperParameters: { epochs: '3' } }));
    expect(!result.ok && result.error.reason).toBe('docker-error');
    expect(words(!result.ok && result.error, { name: 'Train', type: 'Training' })).toMatch(/^Training step "Train": Docker failed .*"train": executable file not found/);
  });

  it('validates channels and output config', async () => {
    const fail = async (a: JsonObject) => {
      const r = await exec.prepare(a, t.ctx('Train', 'Training'), { pull: false });
      return r.ok ? undefined : (worded(r.error, { name: 'Train', type: 'Training' }) as { field?: string; message: string });
    };
    const ch = (args('s3://b/o').InputDataConfig as JsonObject[])[0] as JsonObject;
    expect((await fail(args('s3://b/o', { AlgorithmSpecification: {} })))?.field).toBe('AlgorithmSpecification.TrainingImage');
    expect((await fail(args('s3://b/o', { InputDataConfig: [ch, ch] })))?.message).toBe(
      'Training step "Train": Arguments.InputDataConfig[1].ChannelName repeats the channel name "train"; give every channel a unique name.',
    );
    expect((await fail(args('s3://b/o', { InputDataConfig: [{ ChannelName: 'x', DataSource: { S3DataSource: {} } }] })))?.field).toBe(
      'InputDataConfig[0].DataSource.S3DataSource.S3Uri',
    );
    expect((await fail(args('s3://b/o', { OutputDataConfig: {} })))?.field).toBe('OutputDataConfig.S3OutputPath');
    expect((await fail(args('s3://b/o', { HyperParameters: { a: { b: 1 } } })))?.field).toBe('HyperParameters.a');
  });

  it('leaves the image id empty at plan time when the image will be pulled', async () => {
    const ctx = t.ctx('Train', 'Training', {
      images: { resolve: async (uri) => ok({ uri, local: uri, pullable: true as const }) },
    });
    const r = await exec.prepare(args('s3://b/o'), ctx, { pull: false });
    expect(r.ok && r.value.fingerprint.image).toEqual({ uri: SKL, id: '' });
    expect(r.ok && imageWillBePulled(r.value)).toBe(true);
  });

  it('makes SageMaker-valid job names', () => {
    expect(stepJobName('abc123', 'My Step_1')).toBe('pipelines-abc123-My-Step-1');
    const long = stepJobName('x'.repeat(40), 'a-very-long-step-name-that-goes-on');
    expect(long).toHaveLength(63);
    expect(long).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/);
    expect(long).not.toBe(stepJobName('x'.repeat(40), 'a-very-long-step-name-that-goes-on-2'));
  });
});
