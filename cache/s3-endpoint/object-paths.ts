import path from 'node:path';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises';
import { s3Root } from '../uri.js';
import { invalidArgument, S3Error } from './s3-error.js';

/**
 * Where an S3 object lives in the store's `s3/` view (`<home>/s3/<bucket>/<key>`), found without leaving the view:
 * a key is resolved through its real path, which must stay under `<home>/s3` (a link kept in an output may point to
 * another file of the view, never outside it), and is opened with O_NOFOLLOW as the inode that was checked. Keys that
 * cannot be files (`.`/`..` or empty segments, NUL) are refused with InvalidArgument naming the key.
 */
export interface FoundObject {
  bucket: string;
  key: string;
  /** The real path of the file (under `<home>/s3`). */
  real: string;
  stats: Stats;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function checkBucketName(bucket: string): void {
  if (!BUCKET.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    throw new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: bucket });
  }
}

/** Host path of a key in the view (no I/O). A key ending in `/` names a folder marker. */
export function objectPath(home: string, bucket: string, key: string): string {
  checkBucketName(bucket);
  if (Buffer.byteLength(key, 'utf8') > 1024) throw new S3Error('KeyTooLongError', 400, 'Your key is too long.', { Key: key });
  const segments = key.split('/');
  if (key.endsWith('/')) segments.pop();
  if (key.includes('\0') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw invalidArgument(`cairn's store keeps objects as files: the key "${key}" (in bucket ${bucket}) has an empty, "." or ".." path segment.`, 'key', key);
  }
  return path.join(s3Root(home), bucket, ...segments);
}

let rootReal: { home: string; real: string } | undefined;

async function realRoot(home: string): Promise<string> {
  if (rootReal?.home !== home) rootReal = { home, real: await realpath(s3Root(home)).catch(() => s3Root(home)) };
  return rootReal.real;
}

const absent = (e: unknown): boolean => ['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG'].includes((e as NodeJS.ErrnoException).code ?? '');

/** The object at a key, or undefined when the view holds no regular file there. */
export async function findObject(home: string, bucket: string, key: string): Promise<FoundObject | undefined> {
  if (key.endsWith('/')) return undefined;
  const p = objectPath(home, bucket, key);
  try {
    const real = await realpath(p);
    const root = await realRoot(home);
    if (!real.startsWith(root + path.sep)) return undefined;
    const stats = await stat(real);
    return stats.isFile() ? { bucket, key, real, stats } : undefined;
  } catch (e) {
    if (absent(e)) return undefined;
    throw e;
  }
}

/** Opens a found object without following a link; it must still be the inode found. */
export async function openObject(found: FoundObject): Promise<FileHandle> {
  const fh = await open(found.real, constants.O_RDONLY | constants.O_NOFOLLOW);
  const st = await fh.stat();
  if (st.ino !== found.stats.ino || st.dev !== found.stats.dev) {
    await fh.close();
    throw new S3Error('InternalError', 500, `The object ${found.bucket}/${found.key} changed while it was read; retry.`);
  }
  return fh;
}

/**
 * Every object of a bucket whose key starts with `prefix`, sorted by key (UTF-8 bytes, as S3 lists). The walk
 * starts at the deepest directory the prefix names; links are listed only when they resolve to a file in the view.
 */
export async function listObjects(home: string, bucket: string, prefix: string): Promise<FoundObject[]> {
  checkBucketName(bucket);
  const bucketDir = path.join(s3Root(home), bucket);
  const slash = prefix.lastIndexOf('/');
  const dirKey = slash === -1 ? '' : prefix.slice(0, slash + 1);
  if (dirKey.split('/').slice(0, -1).some((s) => s === '' || s === '.' || s === '..')) return [];
  const found: FoundObject[] = [];
  const pending: string[] = [dirKey];
  while (pending.length > 0) {
    const dk = pending.pop() as string;
    const entries = await readdir(path.join(bucketDir, ...dk.split('/').filter((s) => s !== '')), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const key = dk + e.name;
      if (e.name.startsWith('.cairn-tmp-')) continue;
      if (e.isDirectory()) {
        if ((key + '/').startsWith(prefix) || prefix.startsWith(key + '/')) pending.push(key + '/');
      } else if (key.startsWith(prefix) && (e.isFile() || e.isSymbolicLink())) {
        const o = e.isFile() ? await plainFile(bucket, key, path.join(bucketDir, key)) : await findObject(home, bucket, key);
        if (o !== undefined) found.push(o);
      }
    }
  }
  return found.sort((a, b) => Buffer.compare(Buffer.from(a.key, 'utf8'), Buffer.from(b.key, 'utf8')));
}

async function plainFile(bucket: string, key: string, p: string): Promise<FoundObject | undefined> {
  const stats = await lstat(p).catch(() => undefined);
  return stats?.isFile() === true ? { bucket, key, real: p, stats } : undefined;
}

/** The bucket directories of the view (ListBuckets), with their creation times. */
export async function listBucketDirs(home: string): Promise<{ name: string; created: number }[]> {
  const entries = await readdir(s3Root(home), { withFileTypes: true }).catch(() => []);
  const out: { name: string; created: number }[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || !BUCKET.test(e.name)) continue;
    const st = await lstat(path.join(s3Root(home), e.name));
    out.push({ name: e.name, created: st.birthtimeMs > 0 ? st.birthtimeMs : st.ctimeMs });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}
