import path from 'node:path';
import { readdir } from 'node:fs/promises';
import type { DoctorFinding } from '../contracts/doctor-report.js';
import { checkBlob, type BlobState } from './blob-check.js';
import { casRoot } from './cas.js';
import { mapLimit, type HashCache } from './hasher.js';
import { listTempLeftovers } from './temp-area.js';

/**
 * The file-system half of `cairn doctor` (no SQLite): every CAS blob checked against its name, and the temp
 * leftovers (`.cairn-tmp-*` in the `s3/` view and the CAS, entries of `<home>/tmp/`).
 */
const BLOB_NAME = /^[0-9a-f]{62}$/;
const FANOUT = /^[0-9a-f]{2}$/;

export interface CasScan {
  /** Every blob under its final name, with its state (hex hash → state). */
  blobs: Map<string, BlobState>;
  damaged: Extract<DoctorFinding, { kind: 'blob-damaged' }>[];
}

/**
 * Checks every blob of `<home>/cas` with checkBlob (size from `sizes` when some manifest recorded it). Cheap when
 * nothing changed: the stat cache answers for blobs whose size, mtime and inode stayed.
 */
export async function scanCas(home: string, sizes: ReadonlyMap<string, number>, cache: HashCache): Promise<CasScan> {
  const hashes: string[] = [];
  for (const fan of await entries(casRoot(home))) {
    if (!FANOUT.test(fan.name) || !fan.isDirectory()) continue;
    for (const f of await entries(path.join(casRoot(home), fan.name))) {
      if (BLOB_NAME.test(f.name)) hashes.push(fan.name + f.name);
    }
  }
  hashes.sort();
  const states = await mapLimit(hashes, 2, (h) => checkBlob(home, h, sizes.get(h), cache));
  const blobs = new Map<string, BlobState>();
  const damaged: CasScan['damaged'] = [];
  hashes.forEach((h, i) => {
    const s = states[i] as BlobState;
    blobs.set(h, s);
    if (s.state === 'damaged') damaged.push({ kind: 'blob-damaged', hash: h, path: s.path, damage: s.detail });
  });
  return { blobs, damaged };
}

type TempFinding = Extract<DoctorFinding, { kind: 'temp-leftover' }>;

/**
 * What dead processes left in `<home>/tmp/` and the `.cairn-tmp-*` files earlier versions left in the `s3/` view and
 * the CAS (cache/temp-area.ts decides which are leftovers), sorted by path.
 */
export async function scanTempLeftovers(home: string): Promise<TempFinding[]> {
  const left = await listTempLeftovers(home);
  const where = (p: string): TempFinding['where'] => (p.startsWith(casRoot(home) + path.sep) ? 'cas' : 's3');
  const out: TempFinding[] = [
    ...left.deadDirs.map((p) => ({ kind: 'temp-leftover' as const, path: p, where: 'tmp' as const })),
    ...left.legacy.map((p) => ({ kind: 'temp-leftover' as const, path: p, where: where(p) })),
  ];
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A directory's entries; none when it does not exist. */
async function entries(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw e;
  }
}
