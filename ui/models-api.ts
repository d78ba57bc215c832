import { LocalArtifactStore } from '../cache/artifact-store.js';
import type { Store } from '../cache/store.js';
import { Registry } from '../registry/registry.js';
import { comparePackages, packageLineage } from '../registry/views.js';
import { HttpError } from './http-error.js';
import type { DagCache } from './run-view.js';

const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: string }, status = 404): T => {
  if (!r.ok) throw new HttpError(status, r.error);
  return r.value;
};

function versionOf(s: string): number {
  if (!/^[1-9]\d{0,8}$/.test(s)) throw new HttpError(400, `"${s.slice(0, 40)}" is not a version number (1, 2, …)`);
  return Number(s);
}

/** The registry's reads, exactly as `cairn models groups|list|show|lineage` return them (registry/). */
export function modelGroups(store: Store): unknown {
  return { groups: new Registry(store.db).groups() };
}

export function modelGroup(store: Store, group: string): unknown {
  const reg = new Registry(store.db);
  const versions = unwrap(reg.list(group));
  return { group, versions, comparison: comparePackages(group, versions) };
}

/** A version, its lineage and the step edges of the run that made it (to draw the lineage as a graph). */
export function modelVersion(store: Store, dags: DagCache, group: string, version: string): unknown {
  const p = unwrap(new Registry(store.db).get(group, versionOf(version)));
  const run = p.runId === undefined ? undefined : store.getRun(p.runId);
  return { package: p, lineage: packageLineage(p, store), edges: run === undefined ? [] : dags.edges(run).edges };
}

/**
 * Approves or rejects a version with a note, through the registry as `cairn models approve|reject` does (approval
 * re-hashes the statistics file and model data); who and when are recorded by the registry.
 */
export async function changeApproval(store: Store, home: string, group: string, version: string, action: string, body: Record<string, unknown>): Promise<unknown> {
  const note = body.note;
  if (note !== undefined && typeof note !== 'string') throw new HttpError(400, '"note" must be a string');
  if (typeof note === 'string' && note.length > 2000) throw new HttpError(400, '"note" must be at most 2000 characters');
  const reg = new Registry(store.db);
  const v = versionOf(version);
  unwrap(reg.get(group, v));
  const opts = note === undefined || note === '' ? {} : { note };
  if (action === 'approve') {
    const artifacts = new LocalArtifactStore(home, { get: () => undefined, put: () => undefined });
    return unwrap(await reg.approve(group, v, { artifacts, ...opts }), 409);
  }
  if (action === 'reject') return unwrap(reg.reject(group, v, opts), 409);
  throw new HttpError(404, `no action "${action.slice(0, 40)}" (approve or reject)`);
}
