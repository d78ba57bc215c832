import path from 'node:path';
import { lstat, mkdir, rename, rm, stat } from 'node:fs/promises';
import type { DoctorFinding } from '../contracts/doctor-report.js';
import { blobPath, placeAtomically } from './cas.js';
import { identityOf, type HashCache } from './hasher.js';

/**
 * `cairn doctor --repair` for what lives on the file system: what can be derived is mended, nothing is deleted that
 * holds the only copy of anything (damaged blobs and unknown run directories are moved into `<home>/quarantine/`).
 */
export function quarantineRoot(home: string): string {
  return path.join(path.resolve(home), 'quarantine');
}

export type FileRepair = Extract<DoctorFinding, { kind: 'temp-leftover' | 'blob-damaged' | 'view-differs' | 'run-dir-unrecorded' }>;

/** Mends one finding; returns false when nothing can be derived for it (a view file whose blob is not intact). */
export async function repairFile(home: string, f: FileRepair, cache: HashCache): Promise<boolean> {
  switch (f.kind) {
    case 'temp-leftover':
      await rm(f.path, { recursive: true, force: true });
      return true;
    case 'blob-damaged':
      // Moved aside, so the blob is missing: the next run that needs it re-runs the step that produced it.
      await moveAside(f.path, path.join(quarantineRoot(home), 'blobs'), f.hash);
      return true;
    case 'run-dir-unrecorded':
      await moveAside(f.path, path.join(quarantineRoot(home), 'runs'), f.runId);
      return true;
    case 'view-differs': {
      if (!f.blobIntact) return false;
      if (f.found === 'not-a-file') await rm(f.path, { recursive: true, force: true });
      await placeAtomically(blobPath(home, f.hash), f.path);
      cache.put(f.path, { ...identityOf(await stat(f.path)), hash: f.hash });
      return true;
    }
  }
}

/** Renames `from` to `<dir>/<name>` (or `<name>.1`, `.2`… when taken). */
async function moveAside(from: string, dir: string, name: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; ; i++) {
    const to = path.join(dir, i === 0 ? name : `${name}.${i}`);
    const taken = await lstat(to).then(() => true, () => false);
    if (taken) continue;
    await rename(from, to);
    return;
  }
}
