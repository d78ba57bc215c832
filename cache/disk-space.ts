import { statfsSync } from 'node:fs';
import path from 'node:path';

/** The errno codes of a full disk or an exhausted quota. */
export type DiskFullCode = 'ENOSPC' | 'EDQUOT';

/** Below this many free bytes a filesystem counts as full (a new directory or log line needs a block or two). */
export const NEARLY_FULL = 64 * 1024;

/**
 * `ENOSPC` / `EDQUOT` when `e` is a node:fs error of a full disk (or quota), else undefined. Node 20's promise
 * `mkdir(…, { recursive: true })` reports an ENOSPC as ENOENT (seen on ext4): a mkdir ENOENT on a full filesystem
 * is taken for what it is.
 */
export function diskFullCode(e: unknown): DiskFullCode | undefined {
  const err = typeof e === 'object' && e !== null ? (e as NodeJS.ErrnoException) : undefined;
  const code = err?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return code;
  if (code === 'ENOENT' && err?.syscall === 'mkdir' && err.path !== undefined) {
    const free = freeBytes(err.path);
    if (free !== undefined && free < NEARLY_FULL) return 'ENOSPC';
  }
  return undefined;
}

/**
 * Bytes an unprivileged writer may still use on the filesystem holding `p` (statfs `bavail`), measured at the nearest
 * existing ancestor of `p`; undefined when even that cannot be measured.
 */
export function freeBytes(p: string): number | undefined {
  let at = path.resolve(p);
  for (;;) {
    try {
      const s = statfsSync(at);
      return s.bavail * s.bsize;
    } catch {
      const up = path.dirname(at);
      if (up === at) return undefined;
      at = up;
    }
  }
}
