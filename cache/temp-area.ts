import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { rmSync } from 'node:fs';
import { lstat, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { currentOwner, ownerAlive, type LockOwner } from './run-lock.js';

/**
 * Where cairn writes a file before renaming it into place: `<home>/tmp/p<pid>-<start>-<host>/`, one directory per
 * process (the same filesystem as the CAS and the `s3/` view, so the rename is atomic). A temp file is therefore never
 * seen in the `s3/` view or the CAS, even after a `kill -9` part-way through a commit; the directory of a process
 * that is no longer alive (the run lock's test: pid and kernel start time) is swept when a run starts or resumes.
 * Earlier versions of cairn wrote `.cairn-tmp-*` beside the target; those are swept once per home (a marker file).
 */
const TMP = 'tmp';
const LEGACY_PREFIX = '.cairn-tmp-';
const LEGACY_SWEPT = 'legacy-temp-swept';
const OWNER_DIR = /^p(\d+)-(\d+|unknown)-(.+)$/;

export function tempRoot(home: string): string {
  return path.join(path.resolve(home), TMP);
}

function ownerDir(owner: LockOwner): string {
  return `p${owner.pid}-${owner.procStart}-${owner.host}`;
}

let self: string | undefined;

/** This process's temp directory (created when missing). */
export async function processTempDir(home: string): Promise<string> {
  self ??= ownerDir(currentOwner());
  const dir = path.join(tempRoot(home), self);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  removeAtExit(dir);
  return dir;
}

const toRemove = new Set<string>();

/**
 * A process that ends normally (or by a signal cairn handles) removes its own temp directory: whatever is still in it
 * was never renamed into place. After `kill -9` the next run's sweep (or `cairn doctor --repair`) removes it.
 */
function removeAtExit(dir: string): void {
  if (toRemove.size === 0) {
    process.once('exit', () => {
      for (const d of toRemove) {
        try { rmSync(d, { recursive: true, force: true }); } catch { /* the next sweep removes it */ }
      }
    });
  }
  toRemove.add(dir);
}

/** A fresh temp path in this process's temp directory. */
export async function tempPath(home: string): Promise<string> {
  return path.join(await processTempDir(home), randomBytes(8).toString('hex'));
}

export interface TempLeftovers {
  /** Temp directories of processes that are gone. */
  deadDirs: string[];
  /** `.cairn-tmp-*` files an earlier cairn left in the `s3/` view or the CAS. */
  legacy: string[];
}

/** What a dead process or an earlier cairn left (nothing is removed; `cairn doctor` lists these). */
export async function listTempLeftovers(home: string): Promise<TempLeftovers> {
  const root = path.resolve(home);
  return { deadDirs: await deadOwnerDirs(root), legacy: await legacyTemps(root) };
}

/**
 * Removes the temp directories of dead processes and (once per home) the legacy `.cairn-tmp-*` files. Never throws:
 * a leftover that cannot be removed now is removed by a later run. Returns what was removed.
 */
export async function sweepTempLeftovers(home: string): Promise<string[]> {
  const root = path.resolve(home);
  const removed: string[] = [];
  const remove = async (p: string): Promise<void> => {
    if (await rm(p, { recursive: true, force: true }).then(() => true, () => false)) removed.push(p);
  };
  try {
    for (const d of await deadOwnerDirs(root)) await remove(d);
    const marker = path.join(tempRoot(root), LEGACY_SWEPT);
    if (!(await exists(marker))) {
      for (const f of await legacyTemps(root)) await remove(f);
      await mkdir(tempRoot(root)).catch(ignoreExisting); // never creates a home that is not there
      await writeFile(marker, '');
    }
  } catch {
    // a later run sweeps what this one could not
  }
  return removed;
}

async function deadOwnerDirs(root: string): Promise<string[]> {
  const names = await readdir(tempRoot(root)).catch(() => [] as string[]);
  const dead: string[] = [];
  for (const name of names) {
    const m = OWNER_DIR.exec(name);
    if (m === null) continue;
    const owner: LockOwner = { pid: Number(m[1]), procStart: m[2] as string, host: m[3] as string };
    if (owner.host === hostname() && !ownerAlive(owner)) dead.push(path.join(tempRoot(root), name));
  }
  return dead;
}

async function legacyTemps(root: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [path.join(root, 's3'), path.join(root, 'cas')];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.name.startsWith(LEGACY_PREFIX)) found.push(p);
      else if (e.isDirectory()) pending.push(p); // a link is never followed
    }
  }
  return found.sort();
}

function ignoreExisting(e: NodeJS.ErrnoException): void {
  if (e.code !== 'EEXIST') throw e;
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(() => true, () => false);
}
