import { chmod, constants, copyFile, stat } from 'node:fs/promises';

/**
 * A private copy of `source` at `target` (which must not exist yet) for a job to read and write: a reflink where the
 * filesystem allows it (btrfs, XFS), a plain copy otherwise (ext4). Either way `target` is a new inode, so nothing a
 * job does to it reaches a content-store blob, the `s3/` view or a user's file. The copy is owner-writable (inputs
 * are writable in the container, as SageMaker's downloaded copies are) and keeps no setuid/setgid/sticky bit.
 * `mode`: the copy's mode when the caller knows it (a blob, always 0444, is staged 0644), saving a stat.
 */
export async function copyPrivate(source: string, target: string, mode?: number): Promise<void> {
  await copyFile(source, target, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
  if (mode !== undefined) return chmod(target, mode);
  const had = (await stat(target)).mode;
  const wanted = (had & 0o777) | 0o200;
  if ((had & 0o7777) !== wanted) await chmod(target, wanted);
}

/** The mode of a staged copy of a content-store blob (0444 in the store). */
export const STAGED_BLOB_MODE = 0o644;
