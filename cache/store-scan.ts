import path from 'node:path';
import { lstat, readdir } from 'node:fs/promises';
import type { ManifestEntry } from '../contracts/artifacts.js';
import type { DoctorFinding, LostFile } from '../contracts/doctor-report.js';
import type { BlobState } from './blob-check.js';
import { blobPath } from './cas.js';
import { hashFiles, identityOf, type HashCache } from './hasher.js';
import type { Store } from './store.js';
import { parse, type Row } from './store-rows.js';
import { parseUri } from './uri.js';

/**
 * The records half of `cairn doctor`: SQLite's own check, the recorded outputs against the CAS and the `s3/` view,
 * and run directories the store does not know. Reads only; cache/store-repair.ts mends.
 */

/** At most this many rows of `PRAGMA integrity_check` are kept (SQLite stops at 100 by default). */
const MAX_INTEGRITY_ROWS = 20;

/** The rows of `PRAGMA integrity_check` other than the single `ok` of a sound database. */
export function integrityProblems(store: Store): string[] {
  const rows = store.db.pragma(`integrity_check(${MAX_INTEGRITY_ROWS})`) as { integrity_check: string }[];
  const problems = rows.map((r) => r.integrity_check);
  return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
}

/** One committed output, with whether its step was reused (a reused step's record says nothing about the view). */
export interface OutputRow {
  runId: string;
  step: string;
  output: string;
  uri: string;
  isFile: boolean;
  files: ManifestEntry[];
  reused: boolean;
}

/** Every recorded output, oldest step end first (so a later output at the same path wins). */
export function recordedOutputs(store: Store): OutputRow[] {
  const rows = store.db.prepare(
    `SELECT o.run_id, o.step, o.name, o.uri, o.is_file, o.manifest, s.reused FROM outputs o
     JOIN steps s ON s.run_id = o.run_id AND s.name = o.step ORDER BY s.ended_at, o.run_id, o.step, o.name`,
  ).all() as Row[];
  return rows.map((r) => ({
    runId: String(r.run_id), step: String(r.step), output: String(r.name), uri: String(r.uri),
    isFile: r.is_file === 1, files: parse<ManifestEntry[]>(r.manifest) ?? [], reused: r.reused === 1,
  }));
}

/** Recorded size of every blob a manifest names (checkBlob compares it first). */
export function manifestSizes(outputs: readonly OutputRow[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const o of outputs) for (const f of o.files) sizes.set(f.hash, f.size);
  return sizes;
}

/** Outputs whose manifest names a blob that is missing from the CAS or damaged. */
export function lostOutputs(outputs: readonly OutputRow[], blobs: ReadonlyMap<string, BlobState>): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  for (const o of outputs) {
    const files: LostFile[] = [];
    for (const f of o.files) {
      const s = blobs.get(f.hash)?.state ?? 'missing';
      if (s !== 'ok') files.push({ path: f.path, hash: f.hash, state: s });
    }
    if (files.length > 0) out.push({ kind: 'output-lost', runId: o.runId, step: o.step, output: o.output, uri: o.uri, isFile: o.isFile, files });
  }
  return out;
}

interface Placed {
  hash: string;
  owner: OutputRow;
}

/**
 * Every file the newest executed (not reused) output placed in the `s3/` view (or at a file:// destination) must be
 * that output's blob: the same inode, or the same bytes (through the stat cache).
 */
export async function viewProblems(
  home: string, outputs: readonly OutputRow[], blobs: ReadonlyMap<string, BlobState>, cache: HashCache,
): Promise<DoctorFinding[]> {
  const placed = new Map<string, Placed>();
  for (const o of outputs) {
    if (o.reused) continue;
    const dest = parseUri(home, o.uri);
    if (!dest.ok) continue;
    for (const f of o.files) {
      const p = o.isFile ? dest.value.hostPath : path.join(dest.value.hostPath, ...f.path.split('/'));
      placed.set(p, { hash: f.hash, owner: o });
    }
  }
  const out: DoctorFinding[] = [];
  for (const [p, { hash, owner }] of [...placed].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const found = await viewState(home, p, hash, cache);
    if (found === 'ok') continue;
    out.push({
      kind: 'view-differs', path: p, runId: owner.runId, step: owner.step, output: owner.output, hash, found,
      blobIntact: blobs.get(hash)?.state === 'ok',
    });
  }
  return out;
}

async function viewState(home: string, p: string, hash: string, cache: HashCache): Promise<'ok' | 'missing' | 'not-a-file' | 'other-bytes'> {
  const st = await lstat(p).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
    throw e;
  });
  if (st === undefined) return 'missing';
  if (!st.isFile()) return 'not-a-file';
  const blob = await lstat(blobPath(home, hash)).catch(() => undefined);
  if (blob !== undefined && blob.ino === st.ino && blob.dev === st.dev) return 'ok';
  const [h] = await hashFiles([{ path: p, identity: identityOf(st) }], cache);
  return h?.hash === hash ? 'ok' : 'other-bytes';
}

/** Directories under `<home>/runs/` whose run the store does not know. */
export async function unrecordedRunDirs(runsDir: string, store: Store): Promise<DoctorFinding[]> {
  const names = await readdir(runsDir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return names
    .filter((d) => d.isDirectory() && store.getRun(d.name) === undefined)
    .map((d) => ({ kind: 'run-dir-unrecorded' as const, runId: d.name, path: path.join(runsDir, d.name) }))
    .sort((a, b) => (a.runId < b.runId ? -1 : 1));
}
