import type { RunningService } from '../contracts/container-runtime.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { BatchStrategy } from './transform-job.js';

/** How often GET /ping is tried while the container starts, and how long one try may take. */
const PING_INTERVAL_MS = 250;
const PING_REQUEST_TIMEOUT_MS = 2_000;
/** Wait between retries of a failed invocation. */
const RETRY_WAIT_MS = 500;
/** How much of an error response goes into a message. */
const BODY_IN_MESSAGE = 300;

export type ReadyFailure =
  | { kind: 'stopped' }
  | { kind: 'exited'; exitCode?: number; oomKilled?: boolean }
  | { kind: 'timeout'; last: string };

/**
 * Waits until GET <base>/ping answers 200 (the SageMaker inference contract), the container exits, `signal` aborts
 * or `timeoutMs` passes (`last` then says what the last try got).
 */
export async function waitUntilReady(base: string, service: RunningService, timeoutMs: number, signal: AbortSignal): Promise<Result<void, ReadyFailure>> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    if (signal.aborted) return err({ kind: 'stopped' });
    try {
      const res = await withDeadline(signal, PING_REQUEST_TIMEOUT_MS, async (s) => {
        const r = await fetch(`${base}/ping`, { signal: s });
        await r.arrayBuffer();
        return r;
      });
      if (res.status === 200) return ok(undefined);
      last = `GET /ping answered ${res.status}`;
    } catch (e) {
      if (signal.aborted) return err({ kind: 'stopped' });
      last = `GET /ping got no answer (${causeOf(e)})`;
    }
    const state = await service.state();
    if (!state.running) return err({ kind: 'exited', ...(state.exitCode !== undefined ? { exitCode: state.exitCode } : {}), ...(state.oomKilled ? { oomKilled: true } : {}) });
    if (Date.now() >= deadline) return err({ kind: 'timeout', last });
    await sleep(PING_INTERVAL_MS, signal);
  }
}

/** What the container says about batch settings (GET /execution-parameters); empty when it does not say. */
export async function executionParameters(base: string, signal: AbortSignal): Promise<{ batchStrategy?: BatchStrategy; maxPayloadMB?: number }> {
  try {
    const res = await withDeadline(signal, PING_REQUEST_TIMEOUT_MS, (s) => fetch(`${base}/execution-parameters`, { signal: s }));
    const text = await res.text();
    if (res.status !== 200) return {};
    const doc = JSON.parse(text) as { BatchStrategy?: unknown; MaxPayloadInMB?: unknown };
    const strategy = doc.BatchStrategy === 'SingleRecord' || doc.BatchStrategy === 'MultiRecord' ? doc.BatchStrategy : undefined;
    const payload = typeof doc.MaxPayloadInMB === 'number' && doc.MaxPayloadInMB >= 0 ? doc.MaxPayloadInMB : undefined;
    return { ...(strategy ? { batchStrategy: strategy } : {}), ...(payload !== undefined ? { maxPayloadMB: payload } : {}) };
  } catch {
    return {};
  }
}

export interface InvokeOptions {
  contentType?: string;
  accept?: string;
  timeoutMs: number;
  /** Further tries after a failed one (no answer, timeout, or 5xx); a 4xx answer is final. */
  retries: number;
  signal: AbortSignal;
}

/** POST <base>/invocations; the response body, or why it failed (a sentence fragment: "answered 400: …"). */
export async function invoke(base: string, body: Buffer, opts: InvokeOptions): Promise<Result<Buffer, string>> {
  const headers: Record<string, string> = {};
  if (opts.contentType !== undefined) headers['Content-Type'] = opts.contentType;
  if (opts.accept !== undefined) headers.Accept = opts.accept;
  let why = '';
  for (let attempt = 0; attempt <= opts.retries; attempt++) {
    if (attempt > 0) await sleep(RETRY_WAIT_MS, opts.signal);
    if (opts.signal.aborted) return err('was stopped');
    try {
      const { res, answer } = await withDeadline(opts.signal, opts.timeoutMs, async (s) => {
        const r = await fetch(`${base}/invocations`, { method: 'POST', headers, body, signal: s });
        return { res: r, answer: Buffer.from(await r.arrayBuffer()) };
      });
      if (res.ok) return ok(answer);
      why = `answered ${res.status}: ${clip(answer.toString('utf8'))}`;
      if (res.status < 500) return err(why);
    } catch (e) {
      if (opts.signal.aborted) return err('was stopped');
      why = isTimeout(e) ? `got no answer within ${opts.timeoutMs / 1000} seconds (ModelClientConfig.InvocationsTimeoutInSeconds)` : `got no answer (${causeOf(e)})`;
    }
  }
  return err(opts.retries > 0 ? `${why} (after ${opts.retries + 1} tries)` : why);
}

function clip(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > BODY_IN_MESSAGE ? `${t.slice(0, BODY_IN_MESSAGE)}…` : t === '' ? '(empty body)' : t;
}

function isTimeout(e: unknown): boolean {
  return e instanceof Error && (e.name === 'TimeoutError' || (e.cause instanceof Error && e.cause.name === 'TimeoutError'));
}

function causeOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? e.cause : undefined;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return code ?? cause?.message ?? e.message;
}

/**
 * Runs `fn` with a signal that aborts when `outer` does or after `ms`. Built from a plain AbortController and a timer
 * held here, not `AbortSignal.any([outer, AbortSignal.timeout(ms)])`: on Node 20 such a composite signal can be
 * garbage-collected while a request still waits on it, and then its timeout never fires (a connection to a container
 * whose network is not up yet would hang for minutes).
 */
export async function withDeadline<T>(outer: AbortSignal, ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onAbort = (): void => ac.abort(outer.reason);
  if (outer.aborted) ac.abort(outer.reason);
  else outer.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => ac.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  try {
    return await fn(ac.signal);
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', onAbort);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
