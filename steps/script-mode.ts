import { cpus } from 'node:os';
import { isFile, isGzip } from './file-kind.js';
import { extractArchive } from './archive-extract.js';
import { copyFile, cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { resourceConfig, type JobHost } from '../containers/contract/shared.js';
import { containerLimits } from '../containers/instance-types.js';
import { inputDataConfig } from '../containers/contract/training.js';
import type { ImageInfo, Mount } from '../contracts/container-runtime.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { StepContext } from '../contracts/executor.js';
import { forInput, withWhere, stepFailure, type StepFailure } from '../contracts/step-failure.js';
import { pipCacheKey, pipCacheSlot } from './pip-cache.js';
import { freshWritableDir } from './processing.js';
import { BOOTSTRAP_DIR, BOOTSTRAP_FILE, BOOTSTRAP_PY } from './script-mode-bootstrap.js';
import { CODE_DIR, scriptModeEnvironment } from './script-mode-env.js';
import type { TrainingJobSpec } from './training-job.js';

/** Where the staged `sagemaker_submit_directory` is mounted (read-only); the hyperparameter is rewritten to point here. */
export const SUBMIT_DIR_MOUNT = '/opt/ml/cairn/code';
/** Where the requirements cache directory is mounted (on PYTHONPATH). */
export const PIP_TARGET = '/opt/ml/cairn/pip';
/** Image label (cairn's stand-ins) or environment variable (the DLC images) that says the image runs the toolkit. */
export const TOOLKIT_LABEL = 'org.cairn.toolkit';
const TOOLKIT_ENV = 'SAGEMAKER_TRAINING_MODULE';
const SUBMIT_DIR = 'sagemaker_submit_directory';

/**
 * How a Training step in script mode runs. `toolkit`: the image has the sagemaker-training toolkit; it runs `train` as
 * on SageMaker and only the code location changes (cairn stages it, no S3). `emulated`: a plain image; cairn extracts
 * the code to /opt/ml/code, computes the toolkit's SM_* environment and runs its own launcher in place of `train`.
 */
export interface ScriptModeJob {
  kind: 'toolkit' | 'emulated';
  /** hyperparameters.json as the container reads it (`sagemaker_submit_directory` → the staged local path). */
  hyperParameters: Record<string, string>;
  mounts: Mount[];
  /** The container command (emulated only; the toolkit image runs `train`). */
  command?: { entrypoint: string[]; cmd: string[] };
  /** Added to the container's environment (emulated: the SM_* variables). */
  env: Record<string, string>;
  /** Call once the container has ended (promotes a completed requirements install into the cache). */
  finish(): Promise<void>;
}

/** Script mode: the job names a program (hyperparameter `sagemaker_program` or env SAGEMAKER_PROGRAM) and no command of its own. */
export function scriptModeRequested(spec: TrainingJobSpec): boolean {
  if (spec.entrypoint !== undefined || spec.containerArguments !== undefined) return false;
  return spec.hyperParameters.sagemaker_program !== undefined || spec.environment.SAGEMAKER_PROGRAM !== undefined;
}

/** The image runs the toolkit as `train`: label org.cairn.toolkit (non-empty) or SAGEMAKER_TRAINING_MODULE in its env. */
export function imageHasToolkit(info: Pick<ImageInfo, 'labels' | 'env'> | undefined): boolean {
  if (info === undefined) return false;
  if ((info.labels?.[TOOLKIT_LABEL] ?? '') !== '') return true;
  return (info.env ?? []).some((e) => e.startsWith(`${TOOLKIT_ENV}=`) && e.length > TOOLKIT_ENV.length + 1);
}

/** Sets up script mode for one attempt, or undefined when the job is not in script mode. */
export async function prepareScriptMode(
  ctx: StepContext,
  spec: TrainingJobSpec,
  imageId: string,
  jobEnv: Record<string, string>,
  host?: JobHost,
): Promise<Result<ScriptModeJob | undefined, StepFailure>> {
  if (!scriptModeRequested(spec)) return ok(undefined);
  const info = await ctx.runtime.inspectImage(imageId);
  const hyperParameters = { ...spec.hyperParameters };
  const mounts: Mount[] = [];
  const where = `Training step "${ctx.stepName}" (HyperParameters.${SUBMIT_DIR})`;

  const raw = spec.hyperParameters[SUBMIT_DIR];
  const submit = raw === undefined ? undefined : submitUri(raw);
  let staged: { hostPath: string; file?: string } | undefined;
  if (raw !== undefined && submit !== undefined) {
    const s = await ctx.artifacts.stageInput(submit.uri, join(ctx.attemptDir, 'inputs', SUBMIT_DIR), ctx.upstreamOutputs);
    if (!s.ok) return err(withWhere(forInput(s.error, SUBMIT_DIR, `HyperParameters.${SUBMIT_DIR}`), where));
    const name = basename(submit.uri);
    const file = !submit.uri.endsWith('/') && (await isFile(join(s.value.hostPath, name))) ? name : undefined;
    staged = { hostPath: s.value.hostPath, ...(file !== undefined ? { file } : {}) };
    mounts.push({ hostPath: s.value.hostPath, containerPath: SUBMIT_DIR_MOUNT, readOnly: true });
    // The toolkit takes a local tar.gz path or directory (not file://): point it at the staged copy.
    const local = file !== undefined ? `${SUBMIT_DIR_MOUNT}/${file}` : SUBMIT_DIR_MOUNT;
    hyperParameters[SUBMIT_DIR] = submit.jsonEncoded ? JSON.stringify(local) : local;
  }
  if (imageHasToolkit(info)) return ok({ kind: 'toolkit', hyperParameters, mounts, env: {}, finish: async () => undefined });

  // No toolkit: cairn provides what it would.
  const flags: string[] = [];
  let finish = async (): Promise<void> => undefined;
  try {
    if (staged !== undefined) {
      const codeDir = join(ctx.attemptDir, 'code');
      await freshWritableDir(codeDir);
      await extractCode(staged, codeDir);
      mounts.push({ hostPath: codeDir, containerPath: CODE_DIR, readOnly: false });
      const program = programName(spec, hyperParameters);
      const files = await readdir(codeDir);
      if (files.includes('requirements.txt') && !files.includes('setup.py') && program.endsWith('.py')) {
        const slot = await pipCacheSlot(ctx.artifacts.home, await pipCacheKey(imageId, join(codeDir, 'requirements.txt')));
        mounts.push({ hostPath: slot.hostPath, containerPath: PIP_TARGET, readOnly: slot.ready });
        flags.push('--pip-target', PIP_TARGET, ...(slot.ready ? [] : ['--install']));
        finish = () => slot.finish();
        ctx.log.info({ key: slot.key, reused: slot.ready }, 'requirements.txt cache');
      }
    }
    const binDir = join(ctx.attemptDir, 'cairn-bin');
    await mkdir(binDir, { recursive: true });
    await writeFile(join(binDir, BOOTSTRAP_FILE), BOOTSTRAP_PY);
    mounts.push({ hostPath: binDir, containerPath: BOOTSTRAP_DIR, readOnly: true });
  } catch (e) {
    await finish();
    return err(stepFailure('invalid-arguments', { field: `HyperParameters.${SUBMIT_DIR}`, message: `${where}: the code could not be prepared for the container (${(e as Error).message}); check that it is a tar.gz archive or a directory.` }));
  }

  const containerEnv = { ...envRecord(info?.env ?? []), ...jobEnv };
  const env = scriptModeEnvironment({
    hyperParameters,
    resourceConfig: resourceConfig(spec.instanceType, host?.current, host?.hosts),
    inputDataConfig: inputDataConfig(spec.channels),
    containerEnv,
    numCpus: await containerCpus(ctx, spec.instanceType),
    numGpus: 0,
  });
  return ok({
    kind: 'emulated',
    hyperParameters,
    mounts,
    command: { entrypoint: ['python3', `${BOOTSTRAP_DIR}/${BOOTSTRAP_FILE}`, ...flags], cmd: [] },
    env,
    finish,
  });
}

/** The s3:// or file:// URI in a hyperparameter value, and whether it was JSON-encoded (as framework estimators write it). */
function submitUri(value: string): { uri: string; jsonEncoded: boolean } | undefined {
  let v: unknown = value;
  let jsonEncoded = false;
  try {
    v = JSON.parse(value);
    jsonEncoded = true;
  } catch {
    // not JSON: the raw string
  }
  return typeof v === 'string' && /^(s3|file):\/\//.test(v) ? { uri: v, jsonEncoded } : undefined;
}

function programName(spec: TrainingJobSpec, hps: Record<string, string>): string {
  const env = spec.environment.SAGEMAKER_PROGRAM;
  if (env !== undefined && env !== '') return env;
  const raw = hps.sagemaker_program ?? '';
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'string' ? v : raw;
  } catch {
    return raw;
  }
}

/** As the toolkit's files.download_and_extract: a tar.gz is extracted, a directory copied, any other file copied in. */
async function extractCode(staged: { hostPath: string; file?: string }, codeDir: string): Promise<void> {
  if (staged.file === undefined) {
    await cp(staged.hostPath, codeDir, { recursive: true });
    return;
  }
  const src = join(staged.hostPath, staged.file);
  if (await isGzip(src)) await extractArchive(src, codeDir);
  else await copyFile(src, join(codeDir, staged.file));
}


function envRecord(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const i = e.indexOf('=');
    if (i > 0) out[e.slice(0, i)] = e.slice(i + 1);
  }
  return out;
}

/**
 * SM_NUM_CPUS: the CPUs the container may use, i.e. its instance type's vCPUs scaled to the engine's machine (the same
 * limit steps/step-resources.ts puts on the container), or the machine's CPUs for `local` and unknown types. (The
 * toolkit itself counts the machine's CPUs, which on a real instance are the instance's.)
 */
async function containerCpus(ctx: StepContext, instanceType: string): Promise<number> {
  const info = await ctx.runtime.engineInfo().catch(() => undefined);
  const machine = info?.ok && info.value.cpus > 0 ? info.value.cpus : cpus().length;
  const limits = containerLimits(instanceType, info?.ok ? info.value : undefined);
  return limits.nanoCpus === undefined ? machine : Math.max(1, Math.floor(limits.nanoCpus / 1e9));
}
