import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { walkFiles } from '../cache/file-walk.js';
import type { FingerprintParts } from '../contracts/fingerprint.js';
import type { JsonObject, JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import { ArgumentReader } from './arguments.js';
import type { PreparedStep, StepContext, StepExecutor, StepSuccess } from '../contracts/executor.js';
import { forInput, withWhere, exitFailure, stepFailure, type StepFailure } from '../contracts/step-failure.js';
import { LOCAL_ARN_PREFIX, stepJobName } from './job-name.js';
import { cloneJson, deleteAt, setAt } from './json-edit.js';
import { findModelProperties, readModelSpec, type ModelContainer } from './model-spec.js';
import { freshWritableDir } from './processing.js';
import { IMAGE_ID_PENDING_PULL, resolveStepImage, runnableImage, type StepImage } from './step-image.js';
import { checkServes } from './serve-check.js';
import { hashStepInputs, type StepInput } from './step-inputs.js';
import { executionParameters, invoke } from './transform-client.js';
import { DEFAULT_MAX_PAYLOAD_MB, readTransformJob, type TransformJobSpec } from './transform-job.js';
import { assembleResponses, splitPayloads } from './transform-records.js';
import { startServing, type ServingModel } from './transform-serve.js';

const gunzipAsync = promisify(gunzip);
const INPUT_FIELD = 'TransformInput.DataSource.S3DataSource.S3Uri';
/** How long the model container may take to answer GET /ping with 200 (CAIRN_SERVE_READY_TIMEOUT_SECONDS overrides). */
const DEFAULT_READY_TIMEOUT_MS = 120_000;

interface TransformPlan {
  kind: 'transform';
  spec: TransformJobSpec;
  model: ModelContainer;
  image: StepImage;
}

export interface TransformOptions {
  /** How long the model container may take to become ready. */
  readyTimeoutMs?: number;
}

/**
 * A Transform step (CreateTransformJob): serves the model a Model step upstream recorded (`ctx.upstreamProperties`) in its
 * image as SageMaker does, sends the input records to POST /invocations, and writes `<S3OutputPath>/<file>.out`.
 */
export class TransformExecutor implements StepExecutor<TransformPlan> {
  readonly type = 'Transform';
  private readonly readyTimeoutMs: number;

  constructor(opts: TransformOptions = {}) {
    const fromEnv = Number(process.env.CAIRN_SERVE_READY_TIMEOUT_SECONDS);
    this.readyTimeoutMs = opts.readyTimeoutMs ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv * 1000 : DEFAULT_READY_TIMEOUT_MS);
  }

  async prepare(args: JsonValue, ctx: StepContext, opts: { pull: boolean }): Promise<Result<PreparedStep<TransformPlan>, StepFailure>> {
    const spec = readTransformJob(args, ctx.stepName);
    if (!spec.ok) return spec;
    const model = modelOf(ctx, spec.value.modelName);
    if (!model.ok) return model;
    const image = await resolveStepImage(ctx, model.value.image, `ModelName (the model's ${model.value.field}.Image)`, opts.pull);
    if (!image.ok) return image;
    if (image.value.id !== IMAGE_ID_PENDING_PULL) {
      const serves = await checkServes(ctx, { id: image.value.id, uri: model.value.image }, `ModelName (the model's ${model.value.field}.Image)`);
      if (!serves.ok) return serves;
    }
    const inputs: StepInput[] = [{ name: 'data', uri: spec.value.inputUri, containerPath: '', field: INPUT_FIELD }];
    if (model.value.modelDataUrl !== undefined) {
      inputs.push({ name: 'model', uri: model.value.modelDataUrl, containerPath: '', field: `ModelName (the model's ${model.value.modelDataField ?? 'ModelDataUrl'})` });
    }
    const hashes = await hashStepInputs(ctx, inputs);
    if (!hashes.ok) return hashes;

    // The model's name holds the execution id that created it: what the model is (image, data, environment) counts.
    const fpArgs = cloneJson<JsonValue>(spec.value.args);
    setAt(fpArgs, ['ModelName'], 'model');
    setAt(fpArgs, ['TransformInput', 'DataSource', 'S3DataSource', 'S3Uri'], 'input:data');
    deleteAt(fpArgs, ['TransformOutput', 'S3OutputPath']);
    deleteAt(fpArgs, ['DataCaptureConfig', 'DestinationS3Uri']);
    deleteAt(fpArgs, ['TransformJobName']);
    const fingerprint: FingerprintParts = {
      image: { uri: image.value.uri, id: image.value.id },
      arguments: fpArgs,
      inputs: hashes.value,
      environment: { ...model.value.environment, ...spec.value.environment },
    };
    const plan: TransformPlan = { kind: 'transform', spec: spec.value, model: model.value, image: image.value };
    return ok({ fingerprint, job: plan });
  }

  async execute(prepared: PreparedStep<TransformPlan>, ctx: StepContext): Promise<Result<StepSuccess, StepFailure>> {
    const { spec, model, image } = prepared.job;
    const step = `Transform step "${ctx.stepName}"`;
    const started = new Date();
    const jobName = stepJobName(ctx.executionId, ctx.stepName);
    if (spec.instanceCount > 1) ctx.log.warn({ instanceCount: spec.instanceCount }, 'transform runs one local container whatever InstanceCount says');

    const imageId = await runnableImage(ctx, image, `ModelName (the model's ${model.field}.Image)`);
    if (!imageId.ok) return imageId;
    const staged = await ctx.artifacts.stageInput(spec.inputUri, join(ctx.attemptDir, 'inputs', 'data'), ctx.upstreamOutputs);
    if (!staged.ok) return err(withWhere(forInput(staged.error, 'data', INPUT_FIELD), `${step}, input (Arguments.${INPUT_FIELD})`));
    const files = (await walkFiles(staged.value.hostPath)).files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    const outDir = join(ctx.attemptDir, 'output');
    await freshWritableDir(outDir);

    const serving = await startServing(ctx, { image: imageId.value, model, env: serveEnv(model, spec), readyTimeoutMs: this.readyTimeoutMs, ...(spec.instanceType !== undefined ? { instanceType: spec.instanceType } : {}) });
    if (!serving.ok) return serving;
    let effective: { batchStrategy: 'SingleRecord' | 'MultiRecord'; maxPayloadMB: number };
    try {
      const fromContainer = await executionParameters(serving.value.base, ctx.signal);
      effective = {
        batchStrategy: spec.batchStrategy ?? fromContainer.batchStrategy ?? 'MultiRecord',
        maxPayloadMB: spec.maxPayloadMB ?? fromContainer.maxPayloadMB ?? DEFAULT_MAX_PAYLOAD_MB,
      };
      for (const file of files) {
        const done = await transformFile(ctx, serving.value, spec, effective, file.abs, file.rel, join(outDir, `${file.rel}.out`));
        if (!done.ok) return done;
      }
    } finally {
      await serving.value.service.stop().catch((e: unknown) => ctx.log.warn({ err: e }, 'the model container could not be removed'));
    }

    const committed = await ctx.artifacts.commitDirectory('output', outDir, spec.outputUri);
    if (!committed.ok) return err(withWhere(committed.error, step));
    const ended = new Date().toISOString();
    const properties: JsonObject = {
      ...spec.args,
      TransformJobName: jobName,
      TransformJobArn: `${LOCAL_ARN_PREFIX}:transform-job/${jobName.toLowerCase()}`,
      TransformJobStatus: 'Completed',
      ModelName: spec.modelName,
      BatchStrategy: effective.batchStrategy,
      MaxPayloadInMB: effective.maxPayloadMB,
      CreationTime: started.toISOString(),
      TransformStartTime: started.toISOString(),
      TransformEndTime: ended,
    };
    return ok({ properties, outputs: [committed.value] });
  }
}

/** The model named by the request, from the Model step upstream that recorded it; one container only. */
function modelOf(ctx: StepContext, modelName: string): Result<ModelContainer, StepFailure> {
  const a = new ArgumentReader(ctx.stepName, 'Transform');
  const recorded = findModelProperties(ctx.upstreamProperties, modelName);
  if (recorded === undefined) {
    return a.fail('ModelName', `is "${modelName}", which no Model step upstream of this step created`,
      'reference the model of a Model step of this pipeline, e.g. {"Get": "Steps.<ModelStep>.ModelName"} (models that exist only in SageMaker cannot be run locally)');
  }
  const spec = readModelSpec(recorded, ctx.stepName, 'Transform');
  if (!spec.ok) return spec;
  const [first, ...rest] = spec.value.containers;
  if (first === undefined || rest.length > 0) {
    return a.fail('ModelName', `is "${modelName}", a model of ${spec.value.containers.length} containers (an inference pipeline), which cairn does not serve locally`, 'give the model one container');
  }
  return ok(first);
}

/** The container's environment: the model's, the job's over it, and what SageMaker tells a batch container. */
function serveEnv(model: ModelContainer, spec: TransformJobSpec): Record<string, string> {
  return {
    ...model.environment,
    ...spec.environment,
    SAGEMAKER_BATCH: 'true',
    ...(spec.batchStrategy !== undefined ? { SAGEMAKER_BATCH_STRATEGY: spec.batchStrategy } : {}),
    ...(spec.maxPayloadMB !== undefined ? { SAGEMAKER_MAX_PAYLOAD_IN_MB: String(spec.maxPayloadMB) } : {}),
    SAGEMAKER_MAX_CONCURRENT_TRANSFORMS: '1',
  };
}

/** One input file: split into requests, each sent to /invocations, the answers assembled into `<file>.out`. */
async function transformFile(
  ctx: StepContext, serving: ServingModel, spec: TransformJobSpec, effective: { batchStrategy: 'SingleRecord' | 'MultiRecord'; maxPayloadMB: number },
  abs: string, rel: string, outFile: string,
): Promise<Result<void, StepFailure>> {
  const step = `Transform step "${ctx.stepName}"`;
  let data = await readFile(abs);
  if (spec.gzip) {
    try {
      data = await gunzipAsync(data);
    } catch (e) {
      return err(stepFailure('invalid-arguments', { field: 'TransformInput.CompressionType', message: `${step}: input file ${rel} could not be decompressed (${(e as Error).message}); TransformInput.CompressionType is "Gzip", so every input file must be gzip-compressed.` }));
    }
  }
  const payloads = splitPayloads(data, spec.splitType, effective.batchStrategy, effective.maxPayloadMB);
  if (!payloads.ok) return err(stepFailure('invalid-arguments', { field: 'MaxPayloadInMB', message: `${step}: input file ${rel} cannot be sent: ${payloads.error}.` }));
  const answers: Buffer[] = [];
  for (const p of payloads.value) {
    const r = await invoke(serving.base, p.body, {
      ...(spec.contentType !== undefined ? { contentType: spec.contentType } : {}),
      ...(spec.accept !== undefined ? { accept: spec.accept } : {}),
      timeoutMs: spec.invocationTimeoutSeconds * 1000,
      retries: spec.invocationRetries,
      signal: ctx.signal,
    });
    if (!r.ok) {
      if (ctx.signal.aborted) return err(stepFailure('stopped', { when: 'transforming', file: rel }));
      const state = await serving.service.state();
      return err(exitFailure({
        exitCode: state.exitCode ?? 137, logTail: [...serving.tail],
        invocation: { first: p.first, count: p.count, file: rel, error: r.error },
      }));
    }
    answers.push(r.value);
  }
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, assembleResponses(answers, spec.assembleWith));
  ctx.log.info({ file: rel, requests: payloads.value.length }, 'transformed input file');
  return ok(undefined);
}
