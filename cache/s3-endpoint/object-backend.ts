import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, rm, stat, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { S3Principal } from '../../contracts/s3-endpoint.js';
import { moveIntoCas, placeAtomically } from '../cas.js';
import { hashFiles, identityOf, type HashCache } from '../hasher.js';
import type { Store } from '../store.js';
import { tempPath } from '../temp-area.js';
import { Checksum, type ChecksumAlgorithm } from './checksums.js';
import { findObject, objectPath, type FoundObject } from './object-paths.js';
import { badDigest, S3Error } from './s3-error.js';
import {
  insertSideDelete, insertSideRead, insertSideWrite, recordedObject, type ObjectMeta, type RecordedWrite,
} from './side-effect-store.js';

/**
 * The store backend of the S3 endpoint. A write streams to a temp file of this process (cache/temp-area.ts),
 * hashed (sha256, md5, the client's checksum) as it is written, is moved into the CAS, placed in the `s3/` view by
 * rename, and recorded against the attempt in one transaction: the same order as an output commit, so a crash at any
 * point leaves either nothing visible or the complete object (the temp file is swept). A delete removes the view's
 * entry only; blobs stay, so every recorded write stays valid.
 */
export interface BackendContext {
  home: string;
  store: Store;
  hashCache: HashCache;
}

/** Bytes landed in a temp file: their sha256, size, md5 and the checksum the client asked for. */
export interface LandedBytes {
  tmp: string;
  hash: string;
  size: number;
  md5: Buffer;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

export interface LandOptions {
  checksumAlgorithm?: ChecksumAlgorithm;
  /** A hex x-amz-content-sha256 the bytes must match. */
  expectedSha256?: string;
  /** Content-MD5 (base64) the bytes must match. */
  contentMd5?: string;
  /** The client's checksum, known once the body has ended (a header, or an aws-chunked trailer). */
  expectedChecksum?: () => string | undefined;
}

export const quoteEtag = (md5hex: string): string => `"${md5hex}"`;

/** Streams `body` into a new temp file, hashing as it goes; nothing is visible anywhere but `<home>/tmp`. */
export async function landBytes(home: string, body: AsyncIterable<Buffer> & Readable, opts: LandOptions = {}): Promise<LandedBytes> {
  const tmp = await tempPath(home);
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  const checksum = opts.checksumAlgorithm !== undefined ? new Checksum(opts.checksumAlgorithm) : undefined;
  const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
  let size = 0;
  try {
    const failed = once(out, 'error').then(([e]) => { throw e as Error; });
    failed.catch(() => undefined);
    for await (const chunk of body) {
      sha.update(chunk);
      md5.update(chunk);
      checksum?.update(chunk);
      size += chunk.length;
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
    }
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
    const landed: LandedBytes = { tmp, hash: sha.digest('hex'), size, md5: md5.digest() };
    if (opts.expectedSha256 !== undefined && opts.expectedSha256 !== landed.hash) {
      throw new S3Error('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed.",
        { ClientComputedContentSHA256: opts.expectedSha256, S3ComputedContentSHA256: landed.hash });
    }
    if (opts.contentMd5 !== undefined && opts.contentMd5 !== landed.md5.toString('base64')) throw badDigest('Content-MD5');
    if (checksum !== undefined) {
      const value = checksum.digest();
      const expected = opts.expectedChecksum?.();
      if (expected !== undefined && expected !== value) throw badDigest(checksum.algorithm.toUpperCase());
      landed.checksum = { algorithm: checksum.algorithm, value };
    }
    return landed;
  } catch (e) {
    out.destroy();
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Makes landed bytes the object at `bucket/key` and records the write against `principal`. */
export async function commitObject(
  ctx: BackendContext, principal: S3Principal, bucket: string, key: string, landed: LandedBytes, etag: string, meta: ObjectMeta,
): Promise<RecordedWrite> {
  const target = objectPath(ctx.home, bucket, key);
  try {
    const blob = await moveIntoCas(ctx.home, landed.tmp, landed.hash);
    await placeAtomically(ctx.home, blob, target);
  } catch (e) {
    await rm(landed.tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (['ENOTDIR', 'EISDIR', 'EEXIST', 'ENOTEMPTY'].includes(code)) {
      throw new S3Error('InvalidRequest', 400,
        `cairn's store keeps objects as files: ${bucket}/${key} cannot be written because a key is also a prefix of another (${code}).`, { Key: key });
    }
    throw e;
  }
  const st = await stat(target);
  ctx.hashCache.put(target, { ...identityOf(st), hash: landed.hash });
  const write: RecordedWrite = { bucket, key, hash: landed.hash, size: landed.size, etag, meta };
  ctx.store.transaction(() => insertSideWrite(ctx.store.db, principal, write));
  return write;
}

/** A folder marker (`key/`, no bytes): the directory, nothing recorded. */
export async function makeFolder(home: string, bucket: string, key: string): Promise<void> {
  await mkdir(objectPath(home, bucket, key), { recursive: true });
}

/** Removes the view's entry for a key (absent is fine, as in S3) and records the delete. */
export async function deleteObject(ctx: BackendContext, principal: S3Principal, bucket: string, key: string): Promise<void> {
  const p = objectPath(ctx.home, bucket, key);
  if (!key.endsWith('/')) {
    const st = await lstat(p).catch(() => undefined);
    if (st !== undefined && !st.isDirectory()) await unlink(p);
  }
  ctx.store.transaction(() => insertSideDelete(ctx.store.db, principal, bucket, key));
}

export function recordRead(ctx: BackendContext, principal: S3Principal, bucket: string, key: string, hash: string | null): void {
  ctx.store.transaction(() => insertSideRead(ctx.store.db, principal, bucket, key, hash));
}

/** sha256 of an object's bytes (the stat cache answers for a file the store placed). */
export async function contentHash(ctx: BackendContext, o: FoundObject): Promise<string> {
  const [h] = await hashFiles([{ path: o.real, identity: identityOf(o.stats) }], ctx.hashCache);
  if (h === undefined) throw new Error('hashFiles returned no result');
  return h.hash;
}

const md5s = new Map<string, string>();

/** An object's ETag and metadata: as recorded when it was written through the endpoint, else its md5 (computed once). */
export async function describeObject(ctx: BackendContext, o: FoundObject): Promise<{ hash: string; etag: string; meta: ObjectMeta }> {
  const hash = await contentHash(ctx, o);
  const recorded = recordedObject(ctx.store.db, o.bucket, o.key, hash);
  if (recorded !== undefined) return { hash, ...recorded };
  let etag = md5s.get(hash);
  if (etag === undefined) {
    const md5 = createHash('md5');
    for await (const chunk of createReadStream(o.real)) md5.update(chunk as Buffer);
    etag = quoteEtag(md5.digest('hex'));
    if (md5s.size > 100_000) md5s.clear();
    md5s.set(hash, etag);
  }
  return { hash, etag, meta: {} };
}

export { findObject };
