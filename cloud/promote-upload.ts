import { createReadStream } from 'node:fs';
import { HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { err, ok, type Result } from '../kernel/result.js';
import { awsErrorText } from './clients.js';
import type { UploadFile, UploadSource } from './promote-plan.js';

/** One object of the upload plan: `new` when the bucket does not hold the key yet (with the same size). */
export interface PlannedObject extends UploadFile {
  source: string;
  status: 'new' | 'present';
}

/** Checks that the bucket exists and can be reached (HeadBucket); the message says what to do otherwise. */
export async function checkBucket(s3: S3Client, bucket: string): Promise<Result<void, string>> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return ok(undefined);
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) return err(`The bucket "${bucket}" does not exist; create it first (aws s3 mb s3://${bucket}) or pass another --bucket.`);
    if (status === 403) return err(`Access to the bucket "${bucket}" is denied for these credentials.`);
    return err(`The bucket "${bucket}" could not be checked: ${awsErrorText(e)}.`);
  }
}

/** Which files the bucket already holds: one ListObjectsV2 per uploaded prefix, one HeadObject per single file. */
export async function planUploads(s3: S3Client, bucket: string, sources: UploadSource[]): Promise<Result<PlannedObject[], string>> {
  const planned = new Map<string, PlannedObject>();
  try {
    for (const src of sources) {
      const present = src.kind === 'prefix'
        ? await listSizes(s3, bucket, `${src.rewritten.slice(`s3://${bucket}/`.length).replace(/\/$/, '')}/`)
        : await headSize(s3, bucket, src.files[0]?.key ?? '');
      for (const f of src.files) {
        if (planned.has(f.key)) continue;
        planned.set(f.key, { ...f, source: src.uri, status: present.get(f.key) === f.size ? 'present' : 'new' });
      }
    }
  } catch (e) {
    return err(`Checking what the bucket "${bucket}" already holds failed: ${awsErrorText(e)}.`);
  }
  return ok([...planned.values()]);
}

async function headSize(s3: S3Client, bucket: string, key: string): Promise<Map<string, number>> {
  try {
    const h = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return new Map([[key, h.ContentLength ?? -1]]);
  } catch (e) {
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return new Map();
    throw e;
  }
}

async function listSizes(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key !== undefined) sizes.set(o.Key, o.Size ?? -1);
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return sizes;
}

/** Progress output on stderr: a redrawn bar on a terminal, one line per finished object otherwise. */
export class UploadProgress {
  private done = 0;
  constructor(private readonly total: number, private readonly out: NodeJS.WriteStream = process.stderr) {}

  update(key: string, sent: number): void {
    if (!this.out.isTTY) return;
    const all = this.done + sent;
    const frac = this.total > 0 ? Math.min(1, all / this.total) : 1;
    const bar = '#'.repeat(Math.round(frac * 24)).padEnd(24, '-');
    this.out.write(`\r[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${size(all)}/${size(this.total)} ${key.slice(-50)}\x1b[K`);
  }

  finished(o: PlannedObject): void {
    this.done += o.size;
    if (this.out.isTTY) this.update(o.key, 0);
    else this.out.write(`uploaded ${o.localPath} → ${o.key} (${size(o.size)})\n`);
  }

  end(): void {
    if (this.out.isTTY && this.total > 0) this.out.write('\n');
  }
}

/** Uploads the plan's new objects (multipart above 8 MiB through lib-storage); a failure names the file and key. */
export async function uploadObjects(s3: S3Client, bucket: string, objects: PlannedObject[], quiet = false): Promise<Result<number, string>> {
  const todo = objects.filter((o) => o.status === 'new');
  const progress = quiet ? undefined : new UploadProgress(todo.reduce((n, o) => n + o.size, 0));
  try {
    for (const o of todo) {
      const upload = new Upload({
        client: s3,
        params: { Bucket: bucket, Key: o.key, Body: createReadStream(o.localPath) },
        partSize: 8 * 1024 * 1024,
        queueSize: 4,
      });
      upload.on('httpUploadProgress', (p) => progress?.update(o.key, p.loaded ?? 0));
      try {
        await upload.done();
      } catch (e) {
        return err(`Uploading ${o.localPath} to s3://${bucket}/${o.key} failed: ${awsErrorText(e)}.`);
      }
      progress?.finished(o);
    }
  } finally {
    progress?.end();
  }
  return ok(todo.length);
}

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
