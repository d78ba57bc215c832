import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, copyFile, constants, link, lstat, mkdir, open, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { OutputChangedError } from './output-walk.js';
import { tempPath } from './temp-area.js';

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

/** The inode a file had when it was walked: a file found at the same path later must still be that one. */
export interface WalkedIdentity {
  dev: number;
  ino: number;
}

/**
 * Moves `source` (already hashed to `hexHash`) into the store. When the blob exists, the source is dropped. Across
 * filesystems (EXDEV) the bytes are copied to a temp file of this process (cache/temp-area.ts) first, from the file
 * opened without following a link. With `walked`, `source` must still be that regular file (not a link swapped in
 * since it was hashed), else nothing is moved and an error says so.
 */
export async function moveIntoCas(home: string, source: string, hexHash: string, walked?: WalkedIdentity): Promise<string> {
  const blob = blobPath(home, hexHash);
  if (await exists(blob)) {
    await dropSource(source);
    return blob;
  }
  await mkdir(path.dirname(blob), { recursive: true });
  if (walked !== undefined) await expectSame(source, walked);
  try {
    await chmod(source, 0o444).catch(ignorePermission); // e.g. a file a container wrote as root
    await rename(source, blob);
    return blob;
  } catch (e) {
    // EXDEV: another filesystem; EACCES/EPERM: a directory we may read but not modify. Copy instead.
    if (!['EXDEV', 'EACCES', 'EPERM'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  }
  const tmp = await tempPath(home);
  try {
    await copyNoFollow(source, tmp, walked);
    await chmod(tmp, 0o444);
    await rename(tmp, blob);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await dropSource(source);
  return blob;
}

/** Stores `bytes` (whose sha256 is `hexHash`) as a blob, unless the store has it already. */
export async function putBlob(home: string, hexHash: string, bytes: Buffer): Promise<string> {
  const blob = blobPath(home, hexHash);
  if (await exists(blob)) return blob;
  await mkdir(path.dirname(blob), { recursive: true });
  const tmp = await tempPath(home);
  try {
    await writeFile(tmp, bytes, { mode: 0o444, flag: 'wx' });
    await rename(tmp, blob);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return blob;
}

async function expectSame(file: string, walked: WalkedIdentity): Promise<void> {
  const st = await lstat(file);
  if (!st.isFile() || st.dev !== walked.dev || st.ino !== walked.ino) throw new OutputChangedError(`${file} changed while it was committed`);
}

/** Copies a regular file opened with O_NOFOLLOW (a link at `source` is refused, never read through). */
async function copyNoFollow(source: string, dest: string, walked?: WalkedIdentity): Promise<void> {
  const fh = await open(source, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const st = await fh.stat();
    if (!st.isFile() || (walked !== undefined && (st.dev !== walked.dev || st.ino !== walked.ino))) {
      throw new OutputChangedError(`${source} changed while it was committed`);
    }
    await pipeline(fh.createReadStream({ autoClose: false, start: 0 }), createWriteStream(dest, { flags: 'wx' }));
  } finally {
    await fh.close();
  }
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
 * Puts `blob` at `target` atomically: hard link (or copy) to a temp file of this process, then rename over the target.
 * The temp file is in `<home>/tmp` (cache/temp-area.ts), never beside the target, so the `s3/` view never shows one;
 * only a target on another filesystem (a `file://` destination) gets its temp file beside it. A failure removes the
 * temp file, so `target` is either untouched or the complete new content.
 */
export async function placeAtomically(home: string, blob: string, target: string): Promise<void> {
  await placeVia(home, target, (tmp) => linkOrCopy(blob, tmp));
}

/** The same for a symbolic link kept in an output: `target` becomes a link to `linkTarget` (as the job wrote it). */
export async function placeLinkAtomically(home: string, linkTarget: string, target: string): Promise<void> {
  await placeVia(home, target, (tmp) => symlink(linkTarget, tmp));
}

/**
 * Makes `target` appear complete or not at all: `make` writes a temp path of this process (`<home>/tmp`), which is
 * then renamed onto `target` (beside the target only when that is on another filesystem). A failure removes the temp.
 */
export async function placeVia(home: string, target: string, make: (tmp: string) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  let tmp = await tempPath(home);
  try {
    await make(tmp);
    try {
      await rename(tmp, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      await rm(tmp, { force: true });
      tmp = tempBeside(target);
      await make(tmp);
      await rename(tmp, target);
    }
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
