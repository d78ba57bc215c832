import { stepFailure, type DiskFullDuring, type StepFailure } from '../contracts/step-failure.js';
import { releaseReserve } from './disk-reserve.js';
import { diskFullCode, freeBytes } from './disk-space.js';

export interface DiskFullWhere {
  during: DiskFullDuring;
  /** The destination (or staging) path cairn was writing to. */
  path: string;
  output?: string;
  input?: string;
  uri?: string;
}

/**
 * The `disk-full` failure of an ENOSPC/EDQUOT error (undefined for any other error), with the bytes free at the path
 * written. Meeting a full disk also deletes the home's disk reserve (cache/disk-reserve.ts) when `homeRoot` is given,
 * so the step's failure and the run's end can still be recorded.
 */
export function diskFullFailure(e: unknown, where: DiskFullWhere, homeRoot?: string): StepFailure | undefined {
  const code = diskFullCode(e);
  if (code === undefined) return undefined;
  const written = (e as NodeJS.ErrnoException).path ?? where.path;
  const free = freeBytes(written); // measured before the reserve's space is given back
  if (homeRoot !== undefined) releaseReserve(homeRoot);
  return stepFailure('disk-full', { ...where, code, ...(free !== undefined ? { freeBytes: free } : {}) });
}
