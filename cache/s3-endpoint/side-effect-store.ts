import type Database from 'better-sqlite3';
import type { S3Principal, SideEffects, SideWrite } from '../../contracts/s3-endpoint.js';

/**
 * The side-effect records of schema 7 (cache/schema.ts): what a step attempt wrote, read and deleted through the S3
 * endpoint, in order. Every statement on side_writes, side_reads and side_deletes is here.
 */
export interface ObjectMeta {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  /** x-amz-meta-* headers, names lower case without the prefix. */
  metadata?: Record<string, string>;
  /** Flexible checksums, by algorithm (crc32, crc32c, sha1, sha256, crc64nvme): base64, as S3 returns them. */
  checksums?: Record<string, string>;
}

export interface RecordedWrite extends SideWrite {
  etag: string;
  meta: ObjectMeta;
}

const now = (): number => Date.now();

export function insertSideWrite(db: Database.Database, p: S3Principal, w: RecordedWrite): void {
  db.prepare(`INSERT INTO side_writes (run_id, step, attempt, bucket, key, hash, size, etag, meta, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(p.runId, p.step, p.attempt, w.bucket, w.key, w.hash, w.size, w.etag, JSON.stringify(w.meta), now());
}

export function insertSideRead(db: Database.Database, p: S3Principal, bucket: string, key: string, hash: string | null): void {
  db.prepare(`INSERT INTO side_reads (run_id, step, attempt, bucket, key, hash, at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(p.runId, p.step, p.attempt, bucket, key, hash, now());
}

export function insertSideDelete(db: Database.Database, p: S3Principal, bucket: string, key: string): void {
  db.prepare(`INSERT INTO side_deletes (run_id, step, attempt, bucket, key, at) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(p.runId, p.step, p.attempt, bucket, key, now());
}

type Row = Record<string, unknown>;

/** What one attempt did through the endpoint, each list in the order it happened. */
export function readSideEffects(db: Database.Database, runId: string, step: string, attempt: number): SideEffects {
  const args = [runId, step, attempt];
  const where = `WHERE run_id = ? AND step = ? AND attempt = ? ORDER BY rowid`;
  const writes = (db.prepare(`SELECT bucket, key, hash, size, etag FROM side_writes ${where}`).all(...args) as Row[]).map((r) => ({
    bucket: String(r.bucket), key: String(r.key), hash: String(r.hash), size: Number(r.size), etag: String(r.etag),
  }));
  const reads = (db.prepare(`SELECT bucket, key, hash FROM side_reads ${where}`).all(...args) as Row[]).map((r) => ({
    bucket: String(r.bucket), key: String(r.key), hash: r.hash === null ? null : String(r.hash),
  }));
  const deletes = (db.prepare(`SELECT bucket, key FROM side_deletes ${where}`).all(...args) as Row[]).map((r) => ({
    bucket: String(r.bucket), key: String(r.key),
  }));
  return { writes, reads, deletes };
}

/** The ETag and metadata last recorded for these bytes at this key (an object written or replayed through the endpoint). */
export function recordedObject(db: Database.Database, bucket: string, key: string, hash: string): { etag: string; meta: ObjectMeta } | undefined {
  const r = db.prepare(`SELECT etag, meta FROM side_writes WHERE bucket = ? AND key = ? AND hash = ? ORDER BY rowid DESC LIMIT 1`)
    .get(bucket, key, hash) as Row | undefined;
  return r === undefined ? undefined : { etag: String(r.etag), meta: JSON.parse(String(r.meta)) as ObjectMeta };
}
