import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { err, ok, type Result } from '../kernel/result.js';
import type { StepContext } from '../contracts/executor.js';
import { stepFailure, type StepFailure } from '../contracts/step-failure.js';
import type { ModuleHandler } from './lambda-config.js';
import type { WorkerInput, WorkerOutput } from './lambda-worker.js';
import { hostS3Environment } from './job-s3.js';

/** The compiled worker entry: beside this file when built, else the build's copy (tests run the sources). */
const WORKER_FILE = ((): string => {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'lambda-worker.js');
  return existsSync(beside) ? beside : resolve(here, '../dist/steps/lambda-worker.js');
})();

/**
 * Calls a module handler in a worker thread, so that its console output becomes the step's log, its timeout and a
 * stop can end it even in a busy loop, and a `process.exit` in it ends only the worker. Resolves to the handler's
 * JSON result, or a `handler-error` failure that locates a throw in the user's file.
 */
export function runModuleHandler(
  ctx: StepContext, handler: ModuleHandler, event: unknown, context: Record<string, string>, where: string,
): Promise<Result<unknown, StepFailure>> {
  if (!existsSync(WORKER_FILE)) {
    return Promise.resolve(err(stepFailure('handler-error', { kind: 'worker-missing', workerFile: WORKER_FILE })));
  }
  const timeoutMs = handler.timeoutS * 1000;
  const data: WorkerInput = {
    file: relative(process.cwd(), handler.module) || handler.module,
    exportName: handler.export,
    event,
    context,
    deadline: Date.now() + timeoutMs,
    registry: { home: ctx.artifacts.home, db: join(ctx.artifacts.home, 'cairn.db'), runId: ctx.runId, step: ctx.stepName, attempt: ctx.attempt, upstream: ctx.upstreamOutputs },
  };
  return new Promise((done) => {
    // The handler's AWS SDK clients reach the run's S3 endpoint on loopback with the attempt's credentials.
    const env = { ...process.env, ...hostS3Environment(ctx) };
    const worker = new Worker(WORKER_FILE, { workerData: data, env, stdout: true, stderr: true, execArgv: ['--enable-source-maps'] });
    let settled = false;
    const finish = (r: Result<unknown, StepFailure>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      // Let buffered console output reach the log before the worker goes.
      setImmediate(() => void worker.terminate());
      done(r);
    };
    const onAbort = (): void => finish(err(stepFailure('stopped', { when: 'handler' })));
    const timer = setTimeout(() => finish(err(stepFailure('handler-error', { kind: 'timeout', runner: 'handler', where, timeoutS: handler.timeoutS }))), timeoutMs);
    if (ctx.signal.aborted) { onAbort(); return; }
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    createInterface({ input: worker.stdout }).on('line', (l) => ctx.onLine(l, 'stdout'));
    createInterface({ input: worker.stderr }).on('line', (l) => ctx.onLine(l, 'stderr'));
    worker.on('message', (m: WorkerOutput) => {
      if (m.ok) { finish(ok(m.value)); return; }
      for (const l of m.lines) ctx.onLine(l, 'stderr');
      const first = m.lines[0] ?? 'the handler failed';
      finish(err(stepFailure('handler-error', { kind: 'threw', text: first, ...(m.lines.length > 1 ? { stack: m.lines.slice(1) } : {}) })));
    });
    worker.on('error', (e) => finish(err(stepFailure('handler-error', { kind: 'worker-error', where, text: e.message }))));
    worker.on('exit', (code) => finish(err(stepFailure('handler-error', { kind: 'exited', where, exitCode: code }))));
  });
}
