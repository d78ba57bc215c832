import { copyFile, readdir } from 'node:fs/promises';
import { isFile, isGzip } from './file-kind.js';
import { extractArchive } from './archive-extract.js';
import { basename, join } from 'node:path';
import { MODEL_DIR } from '../containers/contract/training.js';
import type { Mount, RunningService } from '../contracts/container-runtime.js';
import { SERVICE_HOST_IP } from '../contracts/container-runtime.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { StepContext } from '../contracts/executor.js';
import { forInput, withWhere, dockerFailure, exitFailure, stepFailure, type StepFailure } from '../contracts/step-failure.js';
import type { ModelContainer } from './model-spec.js';
import { freshWritableDir } from './processing.js';
import { LOG_TAIL_LINES } from './step-container.js';
import { withJobS3 } from './job-s3.js';
import { gpuFailure, stepLimits } from './step-resources.js';
import { waitUntilReady } from './transform-client.js';

/** The port a SageMaker inference container listens on, and the command it is started with. */
export const SERVE_PORT = 8080;
export const SERVE_COMMAND = 'serve';

export interface ServeSpec {
  /** Image id to run. */
  image: string;
  model: ModelContainer;
  env: Record<string, string>;
  instanceType?: string;
  readyTimeoutMs: number;
}

export interface ServingModel {
  /** `http://127.0.0.1:<port>` */
  base: string;
  service: RunningService;
  /** The container's last log lines (kept up to date while it runs). */
  tail: string[];
}

/**
 * Starts the model's container as SageMaker does for batch transform (`docker run <image> serve`, model data
 * extracted read-only at /opt/ml/model, port 8080 published on 127.0.0.1 only) and waits for GET /ping to answer 200.
 * On any failure the container is already removed; on success the caller must `service.stop()` it.
 */
export async function startServing(ctx: StepContext, spec: ServeSpec): Promise<Result<ServingModel, StepFailure>> {
  const modelDir = await stageModel(ctx, spec.model);
  if (!modelDir.ok) return modelDir;
  const mounts: Mount[] = [{ hostPath: modelDir.value, containerPath: MODEL_DIR, readOnly: true }];
  const limits = spec.instanceType === undefined ? {} : await stepLimits(ctx, spec.instanceType);
  const tail: string[] = [];
  // A model created with EnableNetworkIsolation gets no endpoint: no run network, no credentials (its port is still
  // published on loopback, which is how the batch client reaches it).
  const s3 = withJobS3(ctx, spec.env, spec.model.networkIsolated === true);
  const started = await ctx.runtime.startService(
    {
      image: spec.image,
      cmd: [SERVE_COMMAND],
      env: s3.env,
      ...(s3.network !== undefined ? { network: s3.network } : {}),
      mounts,
      labels: ctx.labels,
      ports: [SERVE_PORT],
      ...(limits.nanoCpus !== undefined ? { nanoCpus: limits.nanoCpus } : {}),
      ...(limits.memoryBytes !== undefined ? { memoryBytes: limits.memoryBytes } : {}),
      ...(limits.gpus !== undefined ? { gpus: limits.gpus } : {}),
    },
    {
      signal: ctx.signal,
      onCreated: ctx.onContainer,
      onLine: (line, stream, end) => {
        tail.push(line);
        if (tail.length > LOG_TAIL_LINES) tail.shift();
        ctx.onLine(line, stream, end);
      },
    },
  );
  if (!started.ok) {
    const f = started.error;
    if (f.reason === 'stopped') return err(stepFailure('stopped', { when: 'model-ready' }));
    if (f.reason === 'image-missing') {
      return err(stepFailure('image-missing', { image: spec.model.image, local: f.image }));
    }
    const gpu = limits.gpus !== undefined && spec.instanceType !== undefined ? gpuFailure(spec.instanceType, 'TransformResources.InstanceType', f) : undefined;
    return err(gpu ?? dockerFailure(f));
  }
  const service = started.value;
  const base = `http://${SERVICE_HOST_IP}:${service.hostPorts[SERVE_PORT] ?? 0}`;
  const ready = await waitUntilReady(base, service, spec.readyTimeoutMs, ctx.signal);
  if (ready.ok) return ok({ base, service, tail });
  await service.stop().catch((e: unknown) => ctx.log.warn({ err: e }, 'the model container could not be removed'));
  const r = ready.error;
  if (r.kind === 'stopped') return err(stepFailure('stopped', { when: 'model-ready' }));
  const image = { image: spec.model.image, field: spec.model.field };
  if (r.kind === 'exited') {
    const code = r.exitCode ?? -1;
    if (r.oomKilled) return err(stepFailure('oom-killed', { exitCode: code, logTail: [...tail], serving: { ...image, ready: 'oom' } }));
    return err(exitFailure({ exitCode: code, logTail: [...tail], serving: { ...image, port: SERVE_PORT, command: SERVE_COMMAND, ready: 'exited' } }));
  }
  return err(exitFailure({
    exitCode: 137, logTail: [...tail],
    serving: { ...image, port: SERVE_PORT, ready: 'timeout', timeoutS: Math.round(spec.readyTimeoutMs / 1000), lastAnswer: r.last },
  }));
}

/**
 * The host directory mounted at /opt/ml/model: a model.tar.gz is extracted into `<attemptDir>/model` (as SageMaker
 * does), a prefix of uncompressed files is mounted as staged, a single other file is copied in; no model data gives
 * an empty directory.
 */
async function stageModel(ctx: StepContext, model: ModelContainer): Promise<Result<string, StepFailure>> {
  const dir = join(ctx.attemptDir, 'model');
  await freshWritableDir(dir);
  const uri = model.modelDataUrl;
  if (uri === undefined) return ok(dir);
  const field = model.modelDataField ?? `${model.field}.ModelDataUrl`;
  const where = `${ctx.stepType} step "${ctx.stepName}", model data (${field} of the model)`;
  const staged = await ctx.artifacts.stageInput(uri, join(ctx.attemptDir, 'inputs', 'model'), ctx.upstreamOutputs);
  if (!staged.ok) return err(withWhere(forInput(staged.error, 'model'), where));
  const root = staged.value.hostPath;
  const name = basename(uri);
  const file = !uri.endsWith('/') && (await isFile(join(root, name))) && (await readdir(root)).length === 1 ? join(root, name) : undefined;
  if (file === undefined) return ok(root);
  try {
    if (await isGzip(file)) await extractArchive(file, dir);
    else await copyFile(file, join(dir, name));
  } catch (e) {
    return err(stepFailure('input-missing', { input: 'model', uri, message: `${where}: ${uri} could not be extracted (${(e as Error).message}); it must be a tar.gz archive of the model directory.` }));
  }
  return ok(dir);
}
