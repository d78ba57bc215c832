import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_HOME, homeLabel } from '../../containers/labels.js';
import type { JsonObject } from '../../kernel/json.js';
import { ModelExecutor } from '../../steps/model.js';
import { TransformExecutor } from '../../steps/transform.js';
import { modelTarGz, SERVE_IMAGE } from './model-fixtures.js';
import { PY, testHome } from './step-context.js';
import { worded, words } from '../failure-words.js';

const t = testHome();
afterAll(() => rmSync(t.home, { recursive: true, force: true }));
const models = new ModelExecutor();
const transform = new TransformExecutor();
const CSV = '1,0,0\n0,1,0\n0,0,1\n1,1,1\n2,2,2\n';
const SCORES = '1.5\n2.5\n3.5\n6.5\n12.5\n';

function putBytes(key: string, body: Buffer | string): void {
  const p = join(t.home, 's3', key);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, body);
}

const modelArgs = (over: JsonObject = {}): JsonObject => ({
  ExecutionRoleArn: 'arn:aws:iam::111111111111:role/r',
  PrimaryContainer: { Image: SERVE_IMAGE, ModelDataUrl: 's3://bucket/models/model.tar.gz', Environment: { MODEL_MODE: 'linear' }, ...over },
});

const transformArgs = (modelName: string, over: JsonObject = {}, input: JsonObject = {}, output: JsonObject = {}): JsonObject => ({
  ModelName: modelName,
  TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://bucket/batch' } }, ContentType: 'text/csv', SplitType: 'Line', ...input },
  TransformOutput: { S3OutputPath: 's3://bucket/out/x', AssembleWith: 'Line', ...output },
  TransformResources: { InstanceCount: 1, InstanceType: 'ml.m5.large' },
  ...over,
});

/** Records a model (Model step) and returns its properties. */
async function recordModel(over: JsonObject = {}): Promise<JsonObject> {
  const ctx = t.ctx('M', 'Model', { runId: 'exec1' });
  const prepared = await models.prepare(modelArgs(over), ctx, { pull: false });
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
  const r = await models.execute(prepared.value, ctx);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value.properties;
}

async function runTransform(exec: TransformExecutor, model: JsonObject, args: JsonObject, signal?: AbortSignal) {
  const ctx = t.ctx('T', 'Transform', { upstreamProperties: [model], ...(signal ? { signal } : {}) });
  const prepared = await exec.prepare(args, ctx, { pull: false });
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
  return { ctx, prepared: prepared.value, result: await exec.execute(prepared.value, ctx) };
}

const leftovers = () => t.runtime.listContainers({ [LABEL_HOME]: homeLabel(t.home) });

beforeAll(async () => {
  putBytes('bucket/models/model.tar.gz', await modelTarGz([1, 2, 3, 0.5]));
  putBytes('bucket/batch/a.csv', CSV);
  putBytes('bucket/batch/sub/b.csv', '3,0,0\n\n0,0,4\n');
});

describe('ModelExecutor', () => {
  it('records the model without a container: properties as DescribeModel, fingerprint from image, data and environment', async () => {
    const ctx = t.ctx('M', 'Model', { runId: 'exec1' });
    const prepared = await models.prepare(modelArgs(), ctx, { pull: false });
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
    const fp = prepared.value.fingerprint;
    expect(fp.image).toEqual({ uri: SERVE_IMAGE, id: expect.stringMatching(/^sha256:/) });
    expect(fp.inputs).toEqual({ model: expect.stringMatching(/^sha256:/) });
    expect(fp.environment).toEqual({ MODEL_MODE: 'linear' });
    expect(JSON.stringify(fp.arguments)).not.toContain('s3://');
    const r = await models.execute(prepared.value, ctx);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.outputs).toEqual([]);
    expect(r.value.properties).toMatchObject({
      ModelName: 'pipelines-exec1-M',
      ModelArn: 'arn:aws:sagemaker:local:000000000000:model/pipelines-exec1-m',
      PrimaryContainer: modelArgs().PrimaryContainer,
      ExecutionRoleArn: 'arn:aws:iam::111111111111:role/r',
    });
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a model without an image, naming the field', async () => {
    const r = await models.prepare({ PrimaryContainer: { ModelDataUrl: 's3://bucket/models/model.tar.gz' } }, t.ctx('M', 'Model'), { pull: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(words(r.error, { name: 'M', type: 'Model' })).toBe('Model step "M": Arguments.PrimaryContainer.Image is missing; set it to the inference image the model runs in.');
  });
});

describe('TransformExecutor', () => {
  it('SingleRecord: one request per line, answers joined with newlines, one .out file per input file', async () => {
    const model = await recordModel();
    const { ctx, prepared, result } = await runTransform(transform, model, transformArgs(model.ModelName as string, { BatchStrategy: 'SingleRecord' }, {}, { Accept: 'application/json' }));
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(prepared.fingerprint.inputs).toEqual({ data: expect.stringMatching(/^sha256:/), model: expect.stringMatching(/^sha256:/) });
    expect((prepared.fingerprint.arguments as JsonObject).ModelName).toBe('model');
    const out = join(t.home, 's3/bucket/out/x');
    expect(readFileSync(join(out, 'a.csv.out'), 'utf8')).toBe([1.5, 2.5, 3.5, 6.5, 12.5].map((v) => `{"predictions": [${v}]}\n`).join(''));
    expect(readFileSync(join(out, 'sub/b.csv.out'), 'utf8')).toBe('{"predictions": [3.5]}\n{"predictions": [12.5]}\n');
    expect(ctx.lines.filter((l) => l.includes('POST /invocations'))).toHaveLength(7);
    expect(result.value.outputs).toEqual([expect.objectContaining({ name: 'output', uri: 's3://bucket/out/x', isFile: false })]);
    expect(result.value.properties).toMatchObject({
      TransformJobName: expect.stringMatching(/^pipelines-run\d+-T$/), TransformJobStatus: 'Completed', ModelName: model.ModelName,
      BatchStrategy: 'SingleRecord', MaxPayloadInMB: 6, TransformOutput: { S3OutputPath: 's3://bucket/out/x' },
    });
    expect(await leftovers()).toEqual([]);
  });

  it('MultiRecord: the records of a file go in one request; gzip input is decompressed', async () => {
    putBytes('bucket/gz/a.csv.gz', gzipSync(CSV));
    const model = await recordModel();
    const args = transformArgs(model.ModelName as string, { BatchStrategy: 'MultiRecord', MaxPayloadInMB: 1 },
      { CompressionType: 'Gzip', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://bucket/gz/' } } }, { S3OutputPath: 's3://bucket/out/gz', Accept: 'text/csv' });
    const { ctx, result } = await runTransform(transform, model, args);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(readFileSync(join(t.home, 's3/bucket/out/gz/a.csv.gz.out'), 'utf8')).toBe(SCORES);
    expect(ctx.lines.filter((l) => l.includes('POST /invocations'))).toHaveLength(1);
  });

  it('fails clearly when the model container never answers /ping, and leaves no container behind', async () => {
    const model = await recordModel({ Environment: { SERVE_PING_STATUS: '503' } });
    const quick = new TransformExecutor({ readyTimeoutMs: 2_000 });
    const { result } = await runTransform(quick, model, transformArgs(model.ModelName as string));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.reason).toBe('exit-nonzero');
    expect(words(result.error, { name: 'T', type: 'Transform' })).toBe(`Transform step "T" failed: its model container (image "${SERVE_IMAGE}", PrimaryContainer) did not answer GET /ping with 200 within 2 seconds (GET /ping answered 503), so cairn stopped it; the model server must be ready on port 8080 by then (the last log lines show what it did).`);
    if (result.error.reason === 'exit-nonzero') expect(result.error.logTail[0]).toBe('serve: listening on 0.0.0.0:8080 (model: 4 weights)');
    expect(await leftovers()).toEqual([]);
    expect(readdirSync(join(t.home, 's3/bucket/out')).sort()).toEqual(['gz', 'x']);
  });

  it('a model image without `serve` is refused before it starts (as plan does); an abort while waiting removes the container', async () => {
    const plain = await recordModel({ Image: PY });
    const refused = await transform.prepare(transformArgs(plain.ModelName as string), t.ctx('T', 'Transform', { upstreamProperties: [plain] }), { pull: false });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(words(refused.error, { name: 'T', type: 'Transform' })).toMatch(new RegExp(`^Transform step "T": Arguments\\.ModelName \\(the model's PrimaryContainer\\.Image\\) is ${PY.replace(/[.:]/g, '\\$&')}, which cannot serve a model: it has no ENTRYPOINT and no \`serve\` executable on its PATH`));
    expect(await leftovers()).toEqual([]);

    const slow = await recordModel({ Environment: { SERVE_PING_STATUS: '503' } });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 1_500);
    const stopped = await runTransform(transform, slow, transformArgs(slow.ModelName as string), abort.signal);
    expect(stopped.result.ok).toBe(false);
    if (!stopped.result.ok) expect(worded(stopped.result.error, { name: 'T', type: 'Transform' })).toEqual({ reason: 'stopped', message: 'Transform step "T" was stopped before its model container was ready.' });
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a ModelName no upstream Model step created, and a record larger than MaxPayloadInMB', async () => {
    const ctx = t.ctx('T', 'Transform', { upstreamProperties: [] });
    const r = await transform.prepare(transformArgs('some-model'), ctx, { pull: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(words(r.error, { name: 'T', type: 'Transform' })).toMatch(/^Transform step "T": Arguments\.ModelName is "some-model", which no Model step upstream of this step created; reference the model/);
    const bad = await transform.prepare(transformArgs('m', {}, { SplitType: 'RecordIO' }), ctx, { pull: false });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(words(bad.error, { name: 'T', type: 'Transform' })).toBe('Transform step "T": Arguments.TransformInput.SplitType is "RecordIO", not one of "None", "Line"; RecordIO and TFRecord splitting are not run locally; use "Line" or "None".');

    // A 1.5 MiB record with MaxPayloadInMB 1: refused before any request, naming the file, the record and the limit.
    putBytes('bucket/big/a.csv', `1,0,0\n${'1,'.repeat(768 * 1024 - 3)}1\n`);
    const model = await recordModel();
    const big = await runTransform(transform, model, transformArgs(model.ModelName as string, { BatchStrategy: 'MultiRecord', MaxPayloadInMB: 1 },
      { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://bucket/big/' } } }, { S3OutputPath: 's3://bucket/out/big' }));
    expect(big.result.ok).toBe(false);
    expect(big.result.ok ? undefined : worded(big.result.error, { name: 'T', type: 'Transform' })).toEqual({
      reason: 'invalid-arguments', field: 'MaxPayloadInMB',
      message: 'Transform step "T": input file a.csv cannot be sent: its record 2 is 1.50 MB, more than MaxPayloadInMB (1); raise MaxPayloadInMB.',
    });
    expect(big.ctx.lines.filter((l) => l.includes('POST /invocations'))).toEqual([]);
    expect(await leftovers()).toEqual([]);
  });
});
