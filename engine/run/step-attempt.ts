import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyStepExecutor, BoundJob, PreparedStep, StepContext, StepSuccess } from '../../contracts/executor.js';
import { MetricRecorder } from './metric-recorder.js';
import { diskFullFailure } from '../../cache/disk-full-failure.js';
import { err } from '../../kernel/result.js';
import type { StepDef } from '../../contracts/definition.js';
import type { AttemptResult } from './retry-policy.js';
import { withRetries } from './retry-policy.js';
import type { RunContext } from './run-context.js';
import type { StepLifecycle } from './step-lifecycle.js';
import type { SideEffects } from '../../contracts/s3-endpoint.js';

/**
 * One attempt of a step: an `attempts` row, its container log file, metrics, and the executor's `execute`. A failed or
 * stopped attempt is finished here; a successful one is left `running` for the caller to finish together with the
 * step's commit.
 */
export async function runAttempt(
  rc: RunContext,
  step: StepDef,
  executor: AnyStepExecutor,
  prepared: PreparedStep<BoundJob>,
  life: StepLifecycle,
  ctx: StepContext,
  fingerprintKey: string,
): Promise<AttemptResult<StepSuccess>> {
  const { store } = rc.services;
  const runId = rc.run.runId;
  mkdirSync(ctx.attemptDir, { recursive: true });
  const att = life.attemptStart(() => join(ctx.attemptDir, 'container.log'), fingerprintKey);
  const logFile = createWriteStream(att.logFile, { flags: 'a' });
  let logClosed = false;
  // A failed log write (a full disk) must not end the process: later lines still reach the live view, and the
  // attempt fails with it below unless it failed for a reason of its own.
  let logError: unknown;
  logFile.on('error', (e) => { logError ??= e; });
  // A line a lone `\r` ended (a progress state) keeps its `\r` in the file, so `cairn logs` and the UI show it as a
  // terminal would; the live view gets the line alone.
  ctx.onLine = (line, stream, end) => {
    // Output that arrives after the attempt ended (e.g. a Lambda worker's late console output) goes to the run log.
    if (logClosed) rc.log.info({ step: step.name, attempt: att.attempt, stream, line }, 'late output');
    else if (logError === undefined) logFile.write(`${line}${end === '\r' ? '\r' : '\n'}`);
    rc.emit({ type: 'log', runId, step: step.name, line, stream });
  };
  ctx.onContainer = (id) => life.attemptContainer(att.attempt, id);
  const metrics = new MetricRecorder(store, { runId, step: step.name, attempt: att.attempt },
    (e) => rc.log.warn({ step: step.name, err: e }, 'metric values could not be recorded'));
  ctx.onMetric = (name, value, at) => {
    metrics.record(name, value, at);
    rc.emit({ type: 'metric', runId, step: step.name, name, value, at });
  };
  const home = rc.services.home.root;
  // The attempt's S3 access (granted when the executor first asks), revoked when it ends: later requests get 403.
  const s3 = rc.s3?.forAttempt({ runId, step: step.name, attempt: att.attempt });
  if (s3 !== undefined) ctx.s3 = s3.step;
  let result: AttemptResult<StepSuccess>['result'];
  try {
    result = await executor.execute(prepared, ctx);
  } catch (e) {
    // A full disk met where no executor maps it (a thrown ENOSPC) fails the step, not the run.
    const full = diskFullFailure(e, { during: 'step', path: ctx.attemptDir }, home);
    if (full === undefined) throw e;
    result = err(full);
  } finally {
    const effects = s3?.end();
    if (effects !== undefined) rc.log.info({ step: step.name, attempt: att.attempt, sideEffects: sideEffectCounts(effects) }, 'S3 access revoked');
    metrics.close();
    logClosed = true;
    // Until 'close', which comes after any write's 'error' (the end callback may come before it).
    await new Promise<void>((r) => {
      if (logFile.closed) r();
      else logFile.once('close', () => r()).end();
    });
  }
  const logFull = logError === undefined ? undefined : diskFullFailure(logError, { during: 'log', path: att.logFile }, home);
  if (result.ok && logFull !== undefined) result = err(logFull);
  else if (logError !== undefined && logFull === undefined) rc.log.warn({ step: step.name, err: logError }, 'container log not written');
  if (!result.ok) life.attemptEnd(att.attempt, result.error);
  return { attempt: att.attempt, result };
}

function sideEffectCounts(e: SideEffects): { writes: number; reads: number; deletes: number } {
  return { writes: e.writes.length, reads: e.reads.length, deletes: e.deletes.length };
}

/**
 * Runs attempts of a step under its RetryPolicies (engine/retry-policy.ts): `contextFor(n)` gives the context of the
 * n-th attempt of this execution (each attempt has its own directory, labels and number). Each retry is reported
 * (`retry` event, run log) before its wait; a stop during the wait ends the step as stopped.
 */
export function runAttempts(
  rc: RunContext,
  step: StepDef,
  executor: AnyStepExecutor,
  prepared: PreparedStep<BoundJob>,
  life: StepLifecycle,
  contextFor: (n: number) => StepContext,
  fingerprintKey: string,
): Promise<AttemptResult<StepSuccess>> {
  let n = 0;
  return withRetries(
    {
      policies: step.retryPolicies,
      signal: rc.signal,
      onRetry: (info) => life.retry(info),
      onGiveUp: (why) => rc.log.info({ step: step.name, why }, 'not retried'),
    },
    () => runAttempt(rc, step, executor, prepared, life, contextFor(++n), fingerprintKey),
  );
}
