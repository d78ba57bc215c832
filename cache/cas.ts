import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, constants, link, lstat, mkdir, rename, rm } from 'node:fs/promises';

/**
 * The content-addressed store: `<home>/cas/sha256/<2 hex>/<62 hex>`, blobs read-only (0444). Blobs are only ever
 * created by renaming a complete file into place, so a blob under its final name always holds its hash's bytes.
 * Everything here throws node:fs errors; the artifact store turns them into step failures.
 */
export function casRoot(home: string): string {
  return path.join(path.resolve(home), 'cas', 'sha256');
}

export function blobPath(home: string, hexHash: string): string {
  if (!/^[0-9a-f]{64}$/.test(hexHash)) throw new Error(`not a sha256 hex digest: ${hexHash}`);
  return path.join(casRoot(home), hexHash.slice(0, 2), hexHash.slice(2));
}

/** A unique temp name beside `target` (same directory, so a rename onto `target` is atomic). */
export function tempBeside(target: string): string {
  return path.join(path.dirname(target), `.cairn-tmp-${randomBytes(6).toString('hex')}-${path.basename(target)}`);
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return false;
      throw e;
    },
  );
}

/**
 * Moves `source` (already hashed to `hexHash`) into the store. When the blob exists, the source is dropped. Across
 * filesystems (EXDEV) the bytes are copied to a temp name in the store first; a symlink source is always copied
 * (renaming it would store the link, not the bytes).
 */
export async function moveIntoCas(home: string, source: string, hexHash: string, isLink = false): Promise<string> {
  const blob = blobPath(home, hexHash);
  if (await exists(blob)) {
    await dropSource(source);
    return blob;
  }
  await mkdir(path.dirname(blob), { recursive: true });
  if (!isLink) {
    try {
      await chmod(source, 0o444).catch(ignorePermission); // e.g. a file a container wrote as root
      await rename(source, blob);
      return blob;
    } catch (e) {
      // EXDEV: another filesystem; EACCES/EPERM: a directory we may read but not modify. Copy instead.
      if (!['EXDEV', 'EACCES', 'EPERM'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    }
  }
  const tmp = tempBeside(blob);
  try {
    await copyFile(source, tmp);
    await chmod(tmp, 0o444);
    await rename(tmp, blob);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await dropSource(source);
  return blob;
}

async function dropSource(source: string): Promise<void> {
  await rm(source, { force: true }).catch(ignorePermission);
}

function ignorePermission(e: NodeJS.ErrnoException): void {
  if (e.code !== 'EPERM' && e.code !== 'EACCES') throw e;
}

/** Hard-links `source` at `target` (which must not exist); copies on EXDEV (another filesystem). */
export async function linkOrCopy(source: string, target: string): Promise<void> {
  try {
    await link(source, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    const tmp = tempBeside(target);
    try {
      await copyFile(source, tmp, constants.COPYFILE_FICLONE);
      await rename(tmp, target);
    } catch (e2) {
      await rm(tmp, { force: true });
      throw e2;
    }
  }
}

/**
 * Puts `blob` at `target` atomically: hard link (or copy) to a temp name beside the target, then rename over it. A
 * failure removes the temp file, so `target` is either untouched or the complete new content.
 */
export async function placeAtomically(blob: string, target: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = tempBeside(target);
  try {
    await linkOrCopy(blob, tmp);
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
