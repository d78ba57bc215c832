import { execa, type ResultPromise } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path, { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand,
  GetObjectCommand, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { blobPath } from '../../cache/cas.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { checkBlob } from '../../cache/blob-check.js';
import { sweepTempLeftovers, tempRoot } from '../../cache/temp-area.js';
import { startHarness, REGION, type EndpointHarness } from './endpoint-harness.js';

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
const md5 = (s: string | Buffer): string => `"${createHash('md5').update(s).digest('hex')}"`;
const STORE_JS = resolve(import.meta.dirname, '../../dist/cache/store.js');
const ENDPOINT_JS = resolve(import.meta.dirname, '../../dist/cache/s3-endpoint/s3-endpoint.js');

/** Every file under a directory (recursively), relative. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('side effects through the S3 endpoint', () => {
  let h: EndpointHarness;
  beforeAll(async () => { h = await startHarness({ runId: 'run-7', step: 'Train', attempt: 3 }); });
  afterAll(async () => { await h.close(); });

  it('writes, reads and deletes are recorded against the granted attempt, in order; revoke returns them and ends the key', async () => {
    const creds = h.endpoint.grant({ runId: 'run-7', step: 'Evaluate', attempt: 1 });
    const c = h.clientFor(creds);
    await c.send(new PutObjectCommand({ Bucket: 'side-bucket', Key: 'eval/report.json', Body: '{"auc":0.9}' }));
    await c.send(new CopyObjectCommand({ Bucket: 'side-bucket', Key: 'eval/copy.json', CopySource: 'side-bucket/eval/report.json' }));
    await (await c.send(new GetObjectCommand({ Bucket: 'side-bucket', Key: 'eval/copy.json' }))).Body?.transformToString();
    await c.send(new GetObjectCommand({ Bucket: 'side-bucket', Key: 'eval/absent.json' })).catch(() => undefined);
    await c.send(new DeleteObjectCommand({ Bucket: 'side-bucket', Key: 'eval/copy.json' }));
    await c.send(new DeleteObjectsCommand({ Bucket: 'side-bucket', Delete: { Objects: [{ Key: 'eval/none' }] } }));
    const h1 = sha('{"auc":0.9}');
    const expected = {
      writes: [
        { bucket: 'side-bucket', key: 'eval/report.json', hash: h1, size: 11, etag: md5('{"auc":0.9}') },
        { bucket: 'side-bucket', key: 'eval/copy.json', hash: h1, size: 11, etag: md5('{"auc":0.9}') },
      ],
      reads: [
        { bucket: 'side-bucket', key: 'eval/report.json', hash: h1 },
        { bucket: 'side-bucket', key: 'eval/copy.json', hash: h1 },
        { bucket: 'side-bucket', key: 'eval/absent.json', hash: null },
      ],
      deletes: [{ bucket: 'side-bucket', key: 'eval/copy.json' }, { bucket: 'side-bucket', key: 'eval/none' }],
    };
    expect(h.endpoint.revoke(creds.accessKeyId)).toEqual(expected);
    expect(h.store.sideEffects('run-7', 'Evaluate', 1)).toEqual(expected);
    expect(h.store.sideEffects('run-7', 'Train', 3)).toEqual({ writes: [], reads: [], deletes: [] });
    await expect(c.send(new GetObjectCommand({ Bucket: 'side-bucket', Key: 'eval/report.json' })))
      .rejects.toMatchObject({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });
  });

  it('a delete removes the s3/ view entry only: the blob stays, so the earlier write record still holds', async () => {
    await h.client.send(new PutObjectCommand({ Bucket: 'side-bucket', Key: 'tmp/gone.txt', Body: 'soon gone' }));
    await h.client.send(new DeleteObjectCommand({ Bucket: 'side-bucket', Key: 'tmp/gone.txt' }));
    expect(existsSync(path.join(h.home, 's3', 'side-bucket', 'tmp', 'gone.txt'))).toBe(false);
    const w = h.store.sideEffects('run-7', 'Train', 3).writes.find((x) => x.key === 'tmp/gone.txt');
    expect(await checkBlob(h.home, w?.hash ?? '', w?.size, new MemoryHashCache())).toEqual({ state: 'ok' });
  });

  it('multipart parts stay in tmp until Complete; Abort removes them and leaves nothing in the view', async () => {
    const key = 'parts/never.bin';
    const id = (await h.client.send(new CreateMultipartUploadCommand({ Bucket: 'side-bucket', Key: key }))).UploadId;
    const before = filesUnder(tempRoot(h.home)).length;
    await h.client.send(new UploadPartCommand({ Bucket: 'side-bucket', Key: key, UploadId: id, PartNumber: 1, Body: Buffer.alloc(1000, 1) }));
    expect(filesUnder(tempRoot(h.home)).length).toBe(before + 1);
    expect(existsSync(path.join(h.home, 's3', 'side-bucket', 'parts'))).toBe(false);
    await h.client.send(new AbortMultipartUploadCommand({ Bucket: 'side-bucket', Key: key, UploadId: id }));
    expect(filesUnder(tempRoot(h.home)).length).toBe(before);
    expect(h.store.sideEffects('run-7', 'Train', 3).writes.map((w) => w.key)).not.toContain(key);
  });

  it('an upload cut off by the client leaves nothing visible and no temp file', async () => {
    const body = new Readable({ read() {} });
    body.push(Buffer.alloc(1024 * 1024, 2));
    const abort = new AbortController();
    const put = h.client.send(new PutObjectCommand({ Bucket: 'side-bucket', Key: 'cut/off.bin', Body: body, ContentLength: 8 * 1024 * 1024 }), { abortSignal: abort.signal })
      .then(() => 'completed', (e: Error) => e.name);
    await waitFor(() => filesUnder(tempRoot(h.home)).some((f) => statSync(path.join(tempRoot(h.home), f)).size > 0));
    abort.abort();
    expect(await put).not.toBe('completed');
    await waitFor(() => !filesUnder(tempRoot(h.home)).some((f) => f.startsWith(`p${process.pid}-`)));
    expect(existsSync(path.join(h.home, 's3', 'side-bucket', 'cut'))).toBe(false);
    expect(h.store.sideEffects('run-7', 'Train', 3).writes.map((w) => w.key)).not.toContain('cut/off.bin');
  });
});

describe('a cairn killed mid-upload (kill -9)', () => {
  let h: EndpointHarness;
  let child: ResultPromise | undefined;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await h.close();
  });

  it('leaves no visible object, no blob, no record; the next sweep removes its temp file', async () => {
    // The endpoint runs in a child process over the same home; it prints its URL and a granted key.
    const script = `
      const { Store } = await import(${JSON.stringify(STORE_JS)});
      const { startS3Endpoint } = await import(${JSON.stringify(ENDPOINT_JS)});
      const store = Store.open(${JSON.stringify(path.join(h.home, 'cairn.db'))});
      const ep = await startS3Endpoint({ home: ${JSON.stringify(h.home)}, store, region: 'us-east-1' });
      console.log(JSON.stringify({ url: ep.loopbackUrl, creds: ep.grant({ runId: 'run-k', step: 'Pre', attempt: 1 }) }));
    `;
    child = execa('node', ['--input-type=module', '-e', script], { reject: false });
    const first = await new Promise<string>((ok) => child?.stdout?.once('data', (d: Buffer) => ok(d.toString())));
    const { url, creds } = JSON.parse(first) as { url: string; creds: { accessKeyId: string; secretAccessKey: string; sessionToken: string } };
    const client = new S3Client({ region: REGION, endpoint: url, forcePathStyle: true, credentials: creds, maxAttempts: 1 });
    const bytes = Buffer.alloc(2 * 1024 * 1024, 5);
    const body = new Readable({ read() {} });
    body.push(bytes);
    const put = client.send(new PutObjectCommand({ Bucket: 'kill-bucket', Key: 'half/written.bin', Body: body, ContentLength: 16 * 1024 * 1024 }))
      .then(() => 'completed', (e: Error) => e.name);
    const childTmp = (): string[] => filesUnder(tempRoot(h.home)).filter((f) => f.startsWith(`p${child?.pid}-`));
    await waitFor(() => childTmp().some((f) => statSync(path.join(tempRoot(h.home), f)).size > 0));
    child.kill('SIGKILL');
    await child;
    expect(await put).not.toBe('completed');
    client.destroy();
    expect(existsSync(path.join(h.home, 's3', 'kill-bucket', 'half'))).toBe(false);
    expect(existsSync(blobPath(h.home, sha(bytes)))).toBe(false);
    expect(h.store.sideEffects('run-k', 'Pre', 1)).toEqual({ writes: [], reads: [], deletes: [] });
    expect(childTmp().length).toBe(1);
    const removed = await sweepTempLeftovers(h.home);
    expect(removed.some((p) => path.basename(p).startsWith(`p${child?.pid}-`))).toBe(true);
    expect(childTmp()).toEqual([]);
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!cond()) throw new Error('condition not reached');
}
