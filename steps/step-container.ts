import { readFailureFile } from '../containers/contract/shared.js';
import type { Mount } from '../contracts/container-runtime.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { StepContext } from '../contracts/executor.js';
import { dockerFailure, exitFailure, stepFailure, type StepFailure } from '../contracts/step-failure.js';
import { failureFileWarning } from '../contracts/step-warning.js';
import { toolkitFailureSummary } from './toolkit-failure.js';
import { gpuFailure, stepLimits } from './step-resources.js';
import { withJobS3 } from './job-s3.js';

/** How many log lines a failure keeps. */
export const LOG_TAIL_LINES = 20;
/** How much of /opt/ml/output/failure goes into the one-line message (the whole text stays in `failureFile`). */
const FAILURE_IN_MESSAGE = 300;

export interface StepContainerSpec {
  /** Image id to run. */
  image: string;
  /** For messages: the image as written in the definition. */
  imageUri: string;
  entrypoint?: string[];
  cmd?: string[];
  env: Record<string, string>;
  mounts: Mount[];
  hostname?: string;
  /** Sees every log line too (e.g. metric regexes). */
  observe?: (line: string) => void;
  /** The job's instance type and the argument that gives it: the container's CPU, memory and GPU limits. */
  instance?: { type: string; field: string };
  /** EnableNetworkIsolation: the container gets no network. */
  networkIsolated?: boolean;
  /** A network to join (a multi-instance job's hosts meet there, reachable by `hostname`). */
  network?: string;
}

/**
 * Runs one job container for a step attempt (labels, log lines, container id and abort from `ctx`) and turns how it
 * ended into a StepFailure: `exit-nonzero` (with /opt/ml/output/failure and the last log lines), `oom-killed`,
 * `stopped`, `image-missing` or `docker-error`. A job that exits 0 but wrote /opt/ml/output/failure succeeds, and
 * the file's first lines go to `ctx.onWarning`.
 */
export async function runStepContainer(ctx: StepContext, spec: StepContainerSpec): Promise<Result<{ logTail: string[] }, StepFailure>> {
  const tail: string[] = [];
  const onLine = ctx.onLine;
  const limits = spec.instance === undefined ? {} : await stepLimits(ctx, spec.instance.type);
  const s3 = withJobS3(ctx, spec.env, spec.networkIsolated === true);
  const r = await ctx.runtime.run(
    {
      image: spec.image,
      ...(spec.entrypoint ? { entrypoint: spec.entrypoint } : {}),
      ...(spec.cmd ? { cmd: spec.cmd } : {}),
      env: s3.env,
      ...(s3.network !== undefined ? { network: s3.network } : {}),
      mounts: spec.mounts,
      ...(spec.hostname !== undefined ? { hostname: spec.hostname } : {}),
      ...(spec.networkIsolated === true ? { networkIsolated: true } : {}),
      ...(spec.network !== undefined ? { network: spec.network } : {}),
      labels: ctx.labels,
      ...(limits.nanoCpus !== undefined ? { nanoCpus: limits.nanoCpus } : {}),
      ...(limits.memoryBytes !== undefined ? { memoryBytes: limits.memoryBytes } : {}),
      ...(limits.gpus !== undefined ? { gpus: limits.gpus } : {}),
    },
    {
      signal: ctx.signal,
      onCreated: ctx.onContainer,
      onLine: (line, stream, end) => {
        spec.observe?.(line);
        tail.push(line);
        if (tail.length > LOG_TAIL_LINES) tail.shift();
        onLine(line, stream, end);
      },
    },
  );
  if (!r.ok) {
    const f = r.error;
    if (f.reason === 'stopped') return err(stepFailure('stopped', { when: 'container' }));
    if (f.reason === 'image-missing') {
      return err(stepFailure('image-missing', { image: spec.imageUri, local: f.image }));
    }
    const gpu = limits.gpus !== undefined && spec.instance !== undefined ? gpuFailure(spec.instance.type, spec.instance.field, f) : undefined;
    return err(gpu ?? dockerFailure(f));
  }
  const { exitCode, oomKilled } = r.value;
  if (oomKilled) {
    return err(stepFailure('oom-killed', { exitCode, logTail: tail }));
  }
  if (exitCode !== 0) {
    const failureFile = await readFailureFile(spec.mounts);
    const summary = failureFile === undefined ? undefined : (toolkitFailureSummary(failureFile, tail) ?? lastLine(failureFile));
    return err(exitFailure({ exitCode, logTail: tail, ...(failureFile !== undefined ? { failureFile } : {}), ...(summary !== undefined ? { failureSummary: summary } : {}) }));
  }
  // Exit 0 decides success, as on SageMaker; a failure file left anyway is shown as a warning on the step.
  const leftover = await readFailureFile(spec.mounts);
  if (leftover !== undefined && leftover !== '') {
    ctx.log.warn({ failureFile: leftover.slice(0, FAILURE_IN_MESSAGE) }, 'the job exited 0 but wrote /opt/ml/output/failure');
    ctx.onWarning?.(failureFileWarning(ctx.attempt, leftover));
  }
  return ok({ logTail: tail });
}

/** The last non-empty line (a traceback ends with the exception), shortened for a one-line message. */
function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const last = (lines[lines.length - 1] ?? text).replace(/\.+$/, '');
  return last.length > FAILURE_IN_MESSAGE ? `${last.slice(0, FAILURE_IN_MESSAGE)}…` : last;
}
