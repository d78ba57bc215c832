import { lstat } from 'node:fs/promises';
import type { BlobDamage } from '../contracts/blob-damage.js';
import { blobPath } from './cas.js';
import { hashFiles, identityOf, type HashCache } from './hasher.js';

/**
 * Whether the content store still holds a blob's bytes: the one check behind staging, reuse and `cairn doctor`.
 * Cheap when nothing changed: an lstat, then the stat cache answers; a blob whose size, mtime or inode moved is
 * re-hashed. A blob is damaged when it is not a regular file, has another size than recorded, or hashes to something
 * else (a hard link in the `s3/` view that was written through, a truncation, a zeroed range).
 */
export type BlobState =
  | { state: 'ok' }
  | { state: 'missing'; path: string }
  | { state: 'damaged'; path: string; detail: BlobDamage };

export type { BlobDamage };

export async function checkBlob(home: string, hexHash: string, expectedSize: number | undefined, cache: HashCache): Promise<BlobState> {
  const path = blobPath(home, hexHash);
  let st;
  try {
    st = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return { state: 'missing', path };
    throw e;
  }
  if (!st.isFile()) return { state: 'damaged', path, detail: { kind: 'not-a-file' } };
  if (expectedSize !== undefined && st.size !== expectedSize) {
    return { state: 'damaged', path, detail: { kind: 'size', expected: expectedSize, actual: st.size } };
  }
  const [h] = await hashFiles([{ path, identity: identityOf(st) }], cache);
  if (h === undefined) throw new Error('hashFiles returned no result');
  return h.hash === hexHash ? { state: 'ok' } : { state: 'damaged', path, detail: { kind: 'content', actualHash: h.hash } };
}

/** One line for a damaged or missing blob, for messages and `cairn doctor`. */
export function describeBlobState(s: Exclude<BlobState, { state: 'ok' }>): string {
  if (s.state === 'missing') return `${s.path} is missing`;
  switch (s.detail.kind) {
    case 'not-a-file':
      return `${s.path} is not a regular file`;
    case 'size':
      return `${s.path} holds ${s.detail.actual} bytes, ${s.detail.expected} recorded`;
    case 'content':
      return `${s.path} hashes to ${s.detail.actualHash}`;
  }
}
