/**
 * Worker-thread entry that runs one Lambda handler module (steps/lambda-module.ts starts it): imports the module
 * like a pipeline module (TypeScript transpiled), calls `handler(event, context)` (or the callback style
 * `handler(event, context, callback)`), and posts back the JSON result or the error located in the user's file.
 * Its console output is the worker's stdout/stderr, which the parent turns into the step's log lines.
 */
import { join, resolve } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { resolveHome } from '../contracts/home.js';
import { describeThrown, importUserModule } from '../kernel/load-module.js';
import { openHandlerRegistry, type HandlerRegistryInput } from '../registry/handler-registry.js';

export interface WorkerInput {
  /** The module path relative to the working directory (how messages name it). */
  file: string;
  exportName: string;
  event: unknown;
  context: Record<string, string>;
  /** Epoch ms when the function times out (for `context.getRemainingTimeInMillis()`). */
  deadline: number;
  /** Opens the model registry as `context.registry` (registrations stay pending until the step succeeds). */
  registry?: HandlerRegistryInput;
}

export type WorkerOutput = { ok: true; value: unknown } | { ok: false; lines: string[] };

type Handler = (event: unknown, context: unknown, callback?: (e?: unknown, v?: unknown) => void) => unknown;

async function main(d: WorkerInput): Promise<WorkerOutput> {
  process.setSourceMapsEnabled(true);
  const mod = await importUserModule(d.file, {
    cacheDir: join(resolveHome().root, 'compiled'), what: 'loading the Lambda handler module failed',
  });
  if (!mod.ok) return { ok: false, lines: mod.error };
  const fn = mod.value[d.exportName];
  if (typeof fn !== 'function') {
    const names = Object.keys(mod.value).filter((k) => typeof mod.value[k] === 'function');
    const has = names.length === 0 ? 'it exports no functions' : `its exported functions: ${names.join(', ')}`;
    return { ok: false, lines: [`${d.file}: the module has no exported function "${d.exportName}" (${has}); fix "export" in cairn.json or export it.`] };
  }
  const registry = d.registry === undefined ? undefined : openHandlerRegistry(d.registry);
  try {
    return await call(d, fn as Handler, registry?.registry);
  } finally {
    registry?.close();
  }
}

async function call(d: WorkerInput, handler: Handler, registry: unknown): Promise<WorkerOutput> {
  const context = {
    ...d.context,
    ...(registry === undefined ? {} : { registry }),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: (): number => Math.max(0, d.deadline - Date.now()),
  };
  let value: unknown;
  try {
    value = handler.length >= 3
      ? await new Promise((res, rej) => {
        const r = handler(d.event, context, (e, v) => (e === undefined || e === null ? res(v) : rej(e)));
        if (r !== undefined && r !== null && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(res, rej);
      })
      : await handler(d.event, context);
  } catch (e) {
    return { ok: false, lines: describeThrown(d.file, resolve(d.file), e, `handler "${d.exportName}" threw`) };
  }
  try {
    return { ok: true, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) as unknown };
  } catch (e) {
    return { ok: false, lines: [`${d.file}: handler "${d.exportName}" returned a value that cannot be written as JSON (${(e as Error).message}).`] };
  }
}

if (parentPort !== null) {
  const port = parentPort;
  main(workerData as WorkerInput).then(
    (r) => port.postMessage(r),
    (e: unknown) => port.postMessage({ ok: false, lines: [`the Lambda handler could not be run: ${e instanceof Error ? e.message : String(e)}`] }),
  );
}
