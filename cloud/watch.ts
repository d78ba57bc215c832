import type { RunStatus } from '../contracts/records.js';
import type { RunJson } from '../contracts/run-json.js';
import type { RunEvent } from '../contracts/run-events.js';
import { err, ok, type Result } from '../kernel/result.js';
import { awsErrorText } from './clients.js';
import { cloudRunJson, orderedSteps, readDefinitionSteps, snapshot, TERMINAL, type CloudSnapshot, type SageMakerClients } from './cloud-runs.js';

export interface WatchOptions {
  signal?: AbortSignal;
  /** The same events a local run emits (cli/progress.ts renders them). */
  onEvent?: (e: RunEvent) => void;
  /** First poll interval and its ceiling, in ms (default 2 s doubling to 30 s; back to the first on any change). */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Consecutive failed polls after which watching gives up (default 8). */
  maxFailures?: number;
  /** `run-started` says `resumed` (after a retry). */
  resumed?: boolean;
}

export interface WatchOutcome {
  status: RunStatus;
  /** SageMaker's final PipelineExecutionStatus. */
  rawStatus: string;
  /** 0 when the execution succeeded, 1 when it failed or stopped. */
  exitCode: 0 | 1;
  run: RunJson;
  failureReason?: string;
  /** Set when the execution ended but its final step list could not be read. */
  warning?: string;
}

/** Throttling, 5xx and dropped or timed-out connections: worth polling again. */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const meta = (e as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const status = meta?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (/Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|TimeoutError|RequestTimeout|ServiceUnavailable|InternalFailure|InternalServer/i.test(e.name)) return true;
  const code = (e as NodeJS.ErrnoException).code;
  if (code !== undefined && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|ECONNABORTED)$/.test(code)) return true;
  return /socket hang up|ECONNRESET|ECONNREFUSED|network|timed? ?out/i.test(e.message) || (e as { $retryable?: unknown }).$retryable !== undefined;
}

/** Sleeps `ms`, or less when the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) { resolve(); return; }
    const done = (): void => { clearTimeout(t); signal?.removeEventListener('abort', done); resolve(); };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Polls DescribePipelineExecution and ListPipelineExecutionSteps until the execution ends, emitting `run-started`,
 * a `step` event per status or attempt change and `run-finished`. Polling backs off while nothing changes; a transient
 * error is retried with the same backoff, and watching gives up only after `maxFailures` consecutive failed polls (or
 * at once on an error that polling again cannot fix, such as an unknown execution). Aborting stops watching, not the
 * execution.
 */
export async function watchExecution(clients: SageMakerClients, arn: string, opts: WatchOptions = {}): Promise<Result<WatchOutcome, string>> {
  const first = opts.intervalMs ?? 2000;
  const ceiling = opts.maxIntervalMs ?? 30_000;
  const maxFailures = opts.maxFailures ?? 8;
  const emit = opts.onEvent ?? (() => undefined);
  let delay = first;
  let failures = 0;
  let prev: CloudSnapshot | undefined;
  let definition: { name: string; type: string }[] | undefined;
  for (;;) {
    if (opts.signal?.aborted === true) {
      return err(`Stopped watching ${arn}; the execution goes on (see \`cairn cloud show ${arn}\`).`);
    }
    let snap: CloudSnapshot & { stepsError?: unknown };
    try {
      definition ??= await readDefinitionSteps(clients, arn);
      snap = await snapshot(clients, arn, definition);
    } catch (e) {
      if (!isTransient(e)) return err(`Cannot watch the pipeline execution ${arn}: ${awsErrorText(e)}.`);
      failures++;
      if (failures >= maxFailures) {
        return err(`Gave up watching ${arn} after ${failures} consecutive failed polls; the last error: ${awsErrorText(e)}. The execution itself may still be running: \`cairn cloud show ${arn}\`.`);
      }
      await sleep(delay, opts.signal);
      delay = Math.min(delay * 2, ceiling);
      continue;
    }
    failures = 0;
    if (snap.stepsError !== undefined && prev !== undefined) snap.steps = prev.steps;
    const changed = emitChanges(prev, snap, emit, opts.resumed === true);
    prev = snap;
    if (TERMINAL.has(snap.rawStatus)) {
      emit({ type: 'run-finished', runId: arn, status: snap.status, at: Date.now() });
      const out: WatchOutcome = { status: snap.status, rawStatus: snap.rawStatus, exitCode: snap.rawStatus === 'Succeeded' ? 0 : 1, run: cloudRunJson(snap) };
      if (snap.failureReason !== undefined) out.failureReason = snap.failureReason;
      if (snap.stepsError !== undefined) {
        out.warning = `The execution ended ${snap.rawStatus}, but its final step list could not be read (ListPipelineExecutionSteps: ${awsErrorText(snap.stepsError)}); see \`cairn cloud show ${arn}\`.`;
      }
      return ok(out);
    }
    delay = changed ? first : Math.min(delay * 2, ceiling);
    await sleep(delay, opts.signal);
  }
}

/** Emits what changed since the previous poll; true if anything did. */
function emitChanges(prev: CloudSnapshot | undefined, snap: CloudSnapshot, emit: (e: RunEvent) => void, resumed: boolean): boolean {
  const at = Date.now();
  let changed = prev === undefined || prev.rawStatus !== snap.rawStatus;
  if (prev === undefined) {
    emit({ type: 'run-started', runId: snap.arn, pipeline: snap.pipeline, resumed, steps: orderedSteps(snap), at });
  }
  for (const [name, s] of snap.steps) {
    const before = prev?.steps.get(name);
    if (before !== undefined && before.rawStatus === s.rawStatus && before.attempts === s.attempts) continue;
    changed = true;
    // Starting and Executing are both `running`: one event.
    if (before !== undefined && before.status === s.status && before.attempts === s.attempts) continue;
    emit({ type: 'step', runId: snap.arn, step: name, status: s.status, reused: s.reused, attempt: Math.max(1, s.attempts), at });
    if (s.status === 'failed' && s.failureReason !== undefined) {
      emit({ type: 'notice', runId: snap.arn, step: name, message: `failed on SageMaker (attempt ${Math.max(1, s.attempts)}): ${s.failureReason}`, at });
    }
  }
  return changed;
}
