import path from 'node:path';
import { chmod, lstat, mkdir, rename, rm, stat } from 'node:fs/promises';
import type { DoctorFinding } from '../contracts/doctor-report.js';
import { blobPath, linkOrCopy, placeAtomically } from './cas.js';
import { tempPath } from './temp-area.js';
import { identityOf, sha256File, type HashCache } from './hasher.js';
import { parseUri } from './uri.js';

/**
 * `cairn doctor --repair` for what lives on the file system: what can be derived is mended, nothing is deleted that
 * holds the only copy of anything (damaged blobs and unknown run directories are moved into `<home>/quarantine/`).
 */
export function quarantineRoot(home: string): string {
  return path.join(path.resolve(home), 'quarantine');
}

export type FileRepair = Extract<DoctorFinding, { kind: 'temp-leftover' | 'blob-damaged' | 'view-differs' | 'run-dir-unrecorded' | 'output-lost' }>;

/**
 * Mends one finding; returns false when nothing can be derived for it: a view file whose blob is not intact, an
 * output whose missing blobs have no intact copy left at the output's own place in the `s3/` view.
 */
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
    case 'output-lost': {
      let all = true;
      for (const lost of f.files) all = (lost.state === 'missing' && await restoreBlob(home, f, lost.path, lost.hash)) && all;
      return all;
    }
    case 'view-differs': {
      if (!f.blobIntact) return false;
      if (f.found === 'not-a-file') await rm(f.path, { recursive: true, force: true });
      await placeAtomically(home, blobPath(home, f.hash), f.path);
      cache.put(f.path, { ...identityOf(await stat(f.path)), hash: f.hash });
      return true;
    }
  }
}

/**
 * Puts a missing blob back from the output's own file in the `s3/` view (or file:// destination) when that file still
 * hashes to it: linked (or copied) to a temp name in the CAS, checked, then renamed into place.
 */
async function restoreBlob(home: string, f: Extract<DoctorFinding, { kind: 'output-lost' }>, rel: string, hash: string): Promise<boolean> {
  const dest = parseUri(home, f.uri);
  if (!dest.ok) return false;
  const copy = f.isFile ? dest.value.hostPath : path.join(dest.value.hostPath, ...rel.split('/'));
  const st = await lstat(copy).catch(() => undefined);
  if (st === undefined || !st.isFile()) return false;
  const blob = blobPath(home, hash);
  await mkdir(path.dirname(blob), { recursive: true });
  const tmp = await tempPath(home);
  try {
    await linkOrCopy(copy, tmp);
    if ((await sha256File(tmp)).hash !== hash) return false;
    await chmod(tmp, 0o444);
    await rename(tmp, blob);
    return true;
  } finally {
    await rm(tmp, { force: true });
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
