import { lstat } from 'node:fs/promises';
import { hashFiles, identityOf, type HashCache } from './hasher.js';
import { parseUri } from './uri.js';

/**
 * The sha256 of the object s3://bucket/key in the store's `s3/` view now (through the stat cache: cheap when the
 * file did not change); null when there is no such object (no file there, a directory, or a key no URI can name).
 * What the cache decision compares a step's recorded side reads with (engine/run/side-effect-check.ts).
 */
export async function s3ObjectHash(home: string, bucket: string, key: string, cache: HashCache): Promise<string | null> {
  const parsed = parseUri(home, `s3://${bucket}/${key}`);
  if (!parsed.ok || parsed.value.trailingSlash) return null;
  const path = parsed.value.hostPath;
  let st;
  try {
    st = await lstat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
  if (!st.isFile()) return null;
  const [h] = await hashFiles([{ path, identity: identityOf(st) }], cache);
  return h?.hash ?? null;
}
