import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/**
 * Content hashing for the artifact store.
 *
 * - File hash: lowercase hex sha256 of the bytes (OpenSSL via node:crypto, which uses SHA-NI where the CPU has it).
 * - Tree hash: `sha256:` + sha256 over the lines `<file hash hex> <relpath>\n`, one per file, sorted bytewise (UTF-8)
 *   by relpath, with `/` as separator (`symlink <hash of target> <relpath>\n` for a link kept in an output).
 *   Directories contribute nothing of their own (like S3, which has no empty directories); an empty tree hashes the
 *   empty string. A relpath containing a newline is not escaped.
 * - Stat cache: a file is re-hashed only when its size, mtime or inode changed since it was last hashed. Paths are
 *   followed through symlinks (the caller stats with `stat`, not `lstat`), so the identity is the target's. The
 *   identity also holds the ctime (schema 6), so a rewrite is seen even when the writer puts the mtime back
 *   (`touch -d`): the kernel sets it on every write, chmod, link and unlink, and no user call can set it. Like git,
 *   a file rewritten with the same size within the timestamp granularity right after hashing is not noticed.
 */

export interface FileIdentity {
  size: number;
  mtimeMs: number;
  /** Status change time (NaN for an entry recorded before schema 6: it never matches, so the file is hashed once more). */
  ctimeMs: number;
  ino: number;
}

export interface HashCacheEntry extends FileIdentity {
  /** Hex sha256 of the file's bytes. */
  hash: string;
}

/** Remembers file hashes by path; the lead's SQLite implementation persists this across runs. */
export interface HashCache {
  get(path: string): HashCacheEntry | undefined;
  put(path: string, entry: HashCacheEntry): void;
}

export class MemoryHashCache implements HashCache {
  private readonly entries = new Map<string, HashCacheEntry>();

  get(path: string): HashCacheEntry | undefined {
    return this.entries.get(path);
  }

  put(path: string, entry: HashCacheEntry): void {
    this.entries.set(path, { ...entry });
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Files are read and hashed on the main thread, synchronously, a chunk at a time (readSync + hash.update), yielding to
 * the event loop after every YIELD_AFTER bytes. Measured by `npm run bench -- c` (issue 16) in bytes per CPU-second:
 * async reads through libuv's pool (a thread hop per chunk) reached 0.78 of `openssl dgst -sha256`; synchronous 1 MiB
 * reads reach 0.93–0.95 of it (0.88–0.905 of a bare createHash loop). Two streams still interleave, so one large file
 * does not hold up the others for long; they no longer overlap reading with hashing.
 */
export const DEFAULT_HASH_CONCURRENCY = 2;
const CHUNK = 1024 * 1024;
/** Bytes hashed (a file counting at least FILE_COST) between two turns of the event loop: ~10 ms of work. */
const YIELD_AFTER = 8 * 1024 * 1024;
const FILE_COST = 64 * 1024;
let sinceYield = 0;
let turn: Promise<void> | undefined;

/**
 * Counts `bytes` of main-thread hashing; once YIELD_AFTER bytes are done since the event loop last ran, the turn to
 * wait for. While a turn is pending every stream waits for it (else the other stream would go on hashing through it).
 * Synchronous when no turn is due, so the common case costs no promise.
 */
function turnDue(bytes: number): Promise<void> | undefined {
  sinceYield += bytes;
  if (turn === undefined && sinceYield < YIELD_AFTER) return undefined;
  if (turn === undefined) {
    sinceYield = 0;
    turn = yieldToLoop().then(() => { turn = undefined; });
  }
  return turn;
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/**
 * Hex sha256 of a file's bytes and how many bytes were read. `buffer` lets callers reuse one read buffer per slot;
 * `expectedSize` (from a prior stat) lets a short read end the loop without one more read returning 0.
 */
export async function sha256File(
  filePath: string,
  options: { buffer?: Buffer; expectedSize?: number } = {},
): Promise<{ hash: string; size: number }> {
  const fd = openSync(filePath, 'r');
  try {
    return await sha256Fd(fd, options);
  } finally {
    closeSync(fd);
  }
}

/** The same over a file already open (read from its current position to the end); the caller closes it. */
export function sha256Handle(
  fh: FileHandle,
  options: { buffer?: Buffer; expectedSize?: number } = {},
): Promise<{ hash: string; size: number }> {
  return sha256Fd(fh.fd, options);
}

async function sha256Fd(fd: number, options: { buffer?: Buffer; expectedSize?: number }): Promise<{ hash: string; size: number }> {
  const buf = options.buffer ?? Buffer.allocUnsafe(CHUNK);
  const hash = createHash('sha256');
  let total = 0;
  let wait = turnDue(FILE_COST);
  if (wait !== undefined) await wait;
  while (true) {
    const bytesRead = readSync(fd, buf, 0, buf.length, null);
    if (bytesRead === 0) break;
    hash.update(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
    total += bytesRead;
    if (bytesRead < buf.length && options.expectedSize !== undefined && total >= options.expectedSize) break;
    wait = turnDue(bytesRead);
    if (wait !== undefined) await wait;
  }
  return { hash: hash.digest('hex'), size: total };
}

export interface HashRequest {
  path: string;
  /** Identity from a stat the caller already made (saves one syscall); taken here when absent. */
  identity?: FileIdentity;
}

export interface HashedFile extends HashCacheEntry {
  path: string;
  /** False when the stat cache answered. */
  computed: boolean;
}

/**
 * Hashes many files through the stat cache with at most `concurrency` files being read and hashed at once
 * (stats run first, in batches on the main thread). Results are in request order. I/O errors are thrown as the
 * ErrnoException from node:fs; callers turn them into step failures.
 */
export async function hashFiles(
  requests: readonly HashRequest[],
  cache: HashCache,
  options: { concurrency?: number; hashFile?: typeof sha256File } = {},
): Promise<HashedFile[]> {
  const hashFile = options.hashFile ?? sha256File;
  const identities = await statAll(requests);
  const results: (HashedFile | undefined)[] = new Array(requests.length);
  const misses: number[] = [];
  requests.forEach((r, i) => {
    const id = identities[i] as FileIdentity;
    const cached = cache.get(r.path);
    if (cached !== undefined && sameIdentity(cached, id)) {
      results[i] = { path: r.path, ...id, hash: cached.hash, computed: false };
    } else misses.push(i);
  });
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_HASH_CONCURRENCY);
  const buffers = Array.from({ length: Math.min(concurrency, misses.length) }, () => Buffer.allocUnsafe(CHUNK));
  await mapLimit(misses, concurrency, async (i, slot) => {
    const r = requests[i] as HashRequest;
    const id = identities[i] as FileIdentity;
    const { hash } = await hashFile(r.path, { buffer: buffers[slot] as Buffer, expectedSize: id.size });
    cache.put(r.path, { ...id, hash });
    results[i] = { path: r.path, ...id, hash, computed: true };
  });
  return results as HashedFile[];
}

/**
 * Stats on the main thread, yielding to the event loop between batches. A stat of a cached inode costs ~2 µs
 * synchronously but ~10–15 µs through libuv's pool, and the warm-cache path is nothing but stats.
 */
async function statAll(requests: readonly HashRequest[]): Promise<FileIdentity[]> {
  const out: FileIdentity[] = [];
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i] as HashRequest;
    out.push(r.identity ?? identityOf(statSync(r.path)));
    if (i % STAT_BATCH === STAT_BATCH - 1) await yieldToLoop();
  }
  return out;
}

const STAT_BATCH = 512;

export function identityOf(s: { size: number; mtimeMs: number; ctimeMs: number; ino: number }): FileIdentity {
  return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino };
}

/** Bytewise (UTF-8) order of relative paths, the order manifests and tree hashes use. */
export function compareBytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * `sha256:<hex>` over `<hash> <path>\n` lines sorted bytewise by path; a symbolic link (`link` set, `hash` the sha256
 * of its target) gives `symlink <hash> <path>\n` instead, so a link never hashes like a file holding its target's
 * name. Does not modify `entries`.
 */
export function treeHash(entries: readonly { path: string; hash: string; link?: string }[]): string {
  const keyed = entries.map((e) => ({ e, key: Buffer.from(e.path, 'utf8') }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  const h = createHash('sha256');
  for (const { e } of keyed) h.update(`${e.link === undefined ? '' : 'symlink '}${e.hash} ${e.path}\n`, 'utf8');
  return `sha256:${h.digest('hex')}`;
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; `slot` (0…limit-1) is stable per running call. After a
 * failure no new item starts, and the first error is thrown once the running calls have finished.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, slot: number, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const lanes = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async (_, slot) => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, slot, i);
      } catch (e) {
        failed = true; // the other lanes stop taking new items
        throw e;
      }
    }
  });
  // Wait for every running call to settle before reporting a failure, so no work continues behind the caller's back.
  const settled = await Promise.allSettled(lanes);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return out;
}
