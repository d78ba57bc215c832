import { chmod, constants, copyFile, stat } from 'node:fs/promises';

/**
 * A private copy of `source` at `target` (which must not exist yet) for a job to read and write: a reflink where the
 * filesystem allows it (btrfs, XFS), a plain copy otherwise (ext4). Either way `target` is a new inode, so nothing a
 * job does to it reaches a content-store blob, the `s3/` view or a user's file. The copy is owner-writable (inputs
 * are writable in the container, as SageMaker's downloaded copies are) and keeps no setuid/setgid/sticky bit.
 */
export async function copyPrivate(source: string, target: string): Promise<void> {
  await copyFile(source, target, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
  const mode = (await stat(target)).mode;
  const wanted = (mode & 0o777) | 0o200;
  if ((mode & 0o7777) !== wanted) await chmod(target, wanted);
}
