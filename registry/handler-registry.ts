import { LocalArtifactStore } from '../cache/artifact-store.js';
import type { RecordedOutput } from '../contracts/artifacts.js';
import { Store } from '../cache/store.js';
import type { JsonValue } from '../kernel/json.js';
import { Registry } from './registry.js';
import type { GroupSummary, ModelPackage, Registered } from './types.js';

/** What a Lambda worker needs to open the registry for its handler (plain data: it crosses the thread boundary). */
export interface HandlerRegistryInput {
  /** $CAIRN_HOME (the object store root); the store is `<home>/cairn.db`. */
  home: string;
  db: string;
  runId: string;
  step: string;
  attempt: number;
  upstream: RecordedOutput[];
}

/**
 * The registry as a Lambda handler sees it (`context.registry`): requests are CreateModelPackage requests; errors are
 * thrown (the step fails with the message). Registrations stay hidden until the step succeeds, and are dropped if it
 * fails, so a failed run registers nothing; `createModelPackages` registers several in one transaction.
 */
export interface HandlerRegistry {
  createModelPackage(request: JsonValue): Promise<Registered>;
  createModelPackages(requests: JsonValue[]): Promise<Registered[]>;
  groups(): GroupSummary[];
  list(group: string): ModelPackage[];
  get(group: string, version: number): ModelPackage;
}

/** Opens the store itself (the worker has its own SQLite connection); `close` when the handler is done. */
export function openHandlerRegistry(input: HandlerRegistryInput): { registry: HandlerRegistry; close: () => void } {
  let store: Store | undefined;
  let reg: Registry | undefined;
  let artifacts: LocalArtifactStore | undefined;
  const open = (): Registry => {
    if (reg !== undefined) return reg;
    store = Store.open(input.db);
    const s = store;
    artifacts = new LocalArtifactStore(input.home, { get: (p) => s.getFileHash(p), put: s.putFileHash.bind(s) });
    reg = new Registry(store.db);
    return reg;
  };
  const ctx = () => ({ artifacts: artifacts as LocalArtifactStore, upstream: input.upstream, runId: input.runId, step: input.step, attempt: input.attempt, pending: true });
  const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };
  const registry: HandlerRegistry = {
    createModelPackage: async (request) => unwrap(await open().createModelPackage(request, ctx())),
    createModelPackages: async (requests) => unwrap(await open().createModelPackages(requests, ctx())),
    groups: () => open().groups(),
    list: (group) => unwrap(open().list(group)),
    get: (group, version) => unwrap(open().get(group, version)),
  };
  return { registry, close: () => store?.close() };
}
