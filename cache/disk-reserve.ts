import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { freeBytes } from './disk-space.js';

/**
 * A small file of real blocks in the cairn home, so that the last transactions of a run still fit when its disk fills
 * up: whoever meets ENOSPC (an output commit, a staging, a log) or SQLITE_FULL deletes it, and the step's failure, the
 * run's status and the lock release are then written into the space it held. A run (or resume) recreates it when the
 * disk has room again. 4 MiB: the final writes of a failing run take well under 1 MiB of WAL frames and log lines
 * (test/e2e/disk-full.test.ts fills a disk and checks that they land).
 */
export const RESERVE_BYTES = 4 * 1024 * 1024;

export function reservePath(homeRoot: string): string {
  return path.join(homeRoot, 'disk-reserve');
}

/**
 * Creates the reserve when it is missing and the disk has room for it and as much again; a failure to create it is
 * ignored (the run goes on without it). Written with zeros, not made sparse: its blocks must be allocated to be of use.
 */
export function ensureReserve(homeRoot: string): boolean {
  const file = reservePath(homeRoot);
  try {
    if (statSync(file).size >= RESERVE_BYTES) return true;
  } catch {
    // missing: create it below
  }
  const free = freeBytes(homeRoot);
  if (free === undefined || free < 2 * RESERVE_BYTES) return false;
  const tmp = `${file}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      const chunk = Buffer.alloc(1024 * 1024);
      for (let written = 0; written < RESERVE_BYTES; written += chunk.length) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    return true;
  } catch {
    rmSync(tmp, { force: true });
    return false;
  }
}

/** Deletes the reserve (its space becomes free for the writes that follow); true when there was one. */
export function releaseReserve(homeRoot: string): boolean {
  try {
    rmSync(reservePath(homeRoot));
    return true;
  } catch {
    return false; // none (or not a file cairn made): nothing to give back
  }
}
