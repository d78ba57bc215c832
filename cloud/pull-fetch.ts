import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type Database from 'better-sqlite3';
import { hashFiles, type HashCache } from '../cache/hasher.js';
import { pulledObject, recordPulledObject } from '../cache/pulled-store.js';
import { tempPath } from '../cache/temp-area.js';
import { parseUri } from '../cache/uri.js';
import type { ArtifactStore } from '../contracts/artifacts.js';
import type { StepFailure } from '../contracts/step-failure.js';
import { err, ok, type Result } from '../kernel/result.js';
import { awsErrorText } from './clients.js';
import type { TargetKind } from './pull-targets.js';

/** Where pulled objects go: the home, its database (pulled_objects), the artifact store that commits, the stat cache. */
export interface PullSink {
  home: string;
  db: Database.Database;
  artifacts: ArtifactStore;
  hashCache: HashCache;
}

export interface RemoteObject {
  uri: string;
  bucket: string;
  key: string;
  etag: string;
  size: number;
}

/** `new`: not in the store; `changed`: in the store with other bytes (or another ETag); `present`: nothing to fetch. */
export type ObjectState = 'new' | 'changed' | 'present';

export type FetchProblem =
  | { kind: 'commit'; uri: string; failure: StepFailure }
  | { kind: 's3'; uri: string; message: string };

/** The objects a target stands for (an object: itself; a prefix: every key that starts with it); none found: []. */
export async function remoteObjects(s3: S3Client, uri: string, kind: TargetKind): Promise<Result<RemoteObject[], string>> {
  const { bucket, key } = splitS3(uri);
  try {
    if (kind !== 'prefix' && key !== '' && !key.endsWith('/')) {
      const head = await headObject(s3, bucket, key);
      if (head !== undefined || kind === 'object') return ok(head === undefined ? [] : [head]);
    }
    return ok(await listPrefix(s3, bucket, key));
  } catch (e) {
    return err(`${uri}: ${awsErrorText(e)}`);
  }
}

async function headObject(s3: S3Client, bucket: string, key: string): Promise<RemoteObject | undefined> {
  try {
    const h = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { uri: `s3://${bucket}/${key}`, bucket, key, etag: h.ETag ?? '', size: h.ContentLength ?? 0 };
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || (e as Error).name === 'NotFound' || (e as Error).name === 'NoSuchKey') return undefined;
    throw e;
  }
}

/** Every key under the prefix, as S3 lists it (directory markers, keys ending in `/`, hold no data and are left out). */
async function listPrefix(s3: S3Client, bucket: string, prefix: string): Promise<RemoteObject[]> {
  const out: RemoteObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token !== undefined ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined || o.Key.endsWith('/')) continue;
      out.push({ uri: `s3://${bucket}/${o.Key}`, bucket, key: o.Key, etag: o.ETag ?? '', size: o.Size ?? 0 });
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return out;
}

/**
 * Whether the store already holds the object: recorded by an earlier pull with the same ETag and size, and the file in
 * the s3/ view still has the bytes recorded; or (not pulled, e.g. copied by hand) the file there has the size and,
 * for a single-part upload whose ETag is the MD5 of its bytes, that MD5. Multipart ETags cannot be checked: fetched.
 */
export async function objectState(sink: PullSink, o: RemoteObject): Promise<Result<ObjectState, string>> {
  const parsed = parseUri(sink.home, o.uri);
  if (!parsed.ok) return err(parsed.error);
  const local = await stat(parsed.value.hostPath).catch(() => undefined);
  if (local === undefined || !local.isFile()) return ok('new');
  if (local.size !== o.size) return ok('changed');
  const row = pulledObject(sink.db, o.uri);
  if (row !== undefined && row.etag === o.etag && row.size === o.size) {
    const [h] = await hashFiles([{ path: parsed.value.hostPath }], sink.hashCache);
    return ok(h?.hash === row.hash ? 'present' : 'changed');
  }
  const md5 = /^"?([0-9a-f]{32})"?$/.exec(o.etag)?.[1];
  if (md5 === undefined || (await md5File(parsed.value.hostPath)) !== md5) return ok('changed');
  const [h] = await hashFiles([{ path: parsed.value.hostPath }], sink.hashCache);
  if (h !== undefined) recordPulledObject(sink.db, { uri: o.uri, etag: o.etag, size: o.size, hash: h.hash, pulledAt: Date.now() });
  return ok('present');
}

/**
 * Fetches one object into a temp file of the home (GetObject with If-Match on the listed ETag, so an object replaced
 * meanwhile fails rather than mixing versions), then commits it like an output (content-addressed, atomic) and
 * records it. `onBytes` sees every chunk's length. A failure leaves nothing of this object behind but its temp file,
 * which is removed; what was committed before stays, so a pull that stops part-way continues where it was.
 */
export async function fetchObject(s3: S3Client, sink: PullSink, o: RemoteObject, onBytes: (n: number) => void): Promise<Result<void, FetchProblem>> {
  const tmp = await tempPath(sink.home);
  try {
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key, ...(o.etag !== '' ? { IfMatch: o.etag } : {}) }));
      const counter = new Transform({ transform(chunk: Buffer, _enc, done) { onBytes(chunk.length); done(null, chunk); } });
      await pipeline(got.Body as Readable, counter, createWriteStream(tmp, { mode: 0o600 }));
    } catch (e) {
      return err({ kind: 's3', uri: o.uri, message: awsErrorText(e) });
    }
    const size = (await stat(tmp)).size;
    if (size !== o.size) return err({ kind: 's3', uri: o.uri, message: `S3 sent ${size} bytes where it listed ${o.size}` });
    const committed = await sink.artifacts.commitFile(o.key, tmp, o.uri);
    if (!committed.ok) return err({ kind: 'commit', uri: o.uri, failure: committed.error });
    const hash = committed.value.files[0]?.hash ?? '';
    recordPulledObject(sink.db, { uri: o.uri, etag: o.etag, size: o.size, hash, pulledAt: Date.now() });
    return ok(undefined);
  } finally {
    await rm(tmp, { force: true });
  }
}

export function splitS3(uri: string): { bucket: string; key: string } {
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  return slash === -1 ? { bucket: rest, key: '' } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

function md5File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('md5');
    createReadStream(path).on('error', reject).on('data', (d) => h.update(d)).on('end', () => resolve(h.digest('hex')));
  });
}
