import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetBucketLocationCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { blobPath } from '../../cache/cas.js';
import { startHarness, type EndpointHarness } from './endpoint-harness.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('the S3 endpoint over the store', () => {
  let h: EndpointHarness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.close(); });

  it('serves any valid bucket name, in the endpoint region', async () => {
    await expect(h.client.send(new HeadBucketCommand({ Bucket: 'some-user-bucket' }))).resolves.toBeDefined();
    expect((await h.client.send(new GetBucketLocationCommand({ Bucket: 'some-user-bucket' }))).LocationConstraint).toBeUndefined();
  });

  it('writes land in the CAS and the s3/ view, recorded against the attempt, and read back with Range', async () => {
    const put = await h.client.send(new PutObjectCommand({ Bucket: 'cairn-data', Key: 'scaler/model.joblib', Body: 'hello world' }));
    expect(put.ETag).toBe(`"${createHash('md5').update('hello world').digest('hex')}"`);
    expect(readFileSync(path.join(h.home, 's3', 'cairn-data', 'scaler', 'model.joblib'), 'utf8')).toBe('hello world');
    expect(existsSync(blobPath(h.home, sha('hello world')))).toBe(true);
    const got = await h.client.send(new GetObjectCommand({ Bucket: 'cairn-data', Key: 'scaler/model.joblib', Range: 'bytes=6-' }));
    expect([got.$metadata.httpStatusCode, got.ContentRange, await got.Body?.transformToString()]).toEqual([206, 'bytes 6-10/11', 'world']);
    const listed = await h.client.send(new ListObjectsV2Command({ Bucket: 'cairn-data', Prefix: 'scaler/' }));
    expect(listed.Contents?.map((c) => [c.Key, c.Size, c.ETag])).toEqual([['scaler/model.joblib', 11, put.ETag]]);
    expect(h.store.sideEffects('run-1', 'Preprocess', 1).writes).toEqual([
      { bucket: 'cairn-data', key: 'scaler/model.joblib', hash: sha('hello world'), size: 11, etag: put.ETag },
    ]);
  });

  it('a miss is NoSuchKey, logged naming the bucket and key, and recorded as a read of nothing', async () => {
    await expect(h.client.send(new GetObjectCommand({ Bucket: 'cairn-data', Key: 'missing/key.csv' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    expect(h.logs.some((l) => l.includes('s3://cairn-data/missing/key.csv'))).toBe(true);
    expect(h.store.sideEffects('run-1', 'Preprocess', 1).reads).toContainEqual({ bucket: 'cairn-data', key: 'missing/key.csv', hash: null });
  });

  it('another grant is another principal; a revoked key gets 403 InvalidAccessKeyId; a wrong secret SignatureDoesNotMatch', async () => {
    const other = h.endpoint.grant({ runId: 'run-1', step: 'Train', attempt: 2 });
    const c = h.clientFor(other);
    await c.send(new PutObjectCommand({ Bucket: 'cairn-data', Key: 'train/out.txt', Body: 'x' }));
    const effects = h.endpoint.revoke(other.accessKeyId);
    expect(effects.writes.map((w) => w.key)).toEqual(['train/out.txt']);
    await expect(c.send(new GetObjectCommand({ Bucket: 'cairn-data', Key: 'train/out.txt' }))).rejects.toMatchObject({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });
    const forged = h.clientFor({ ...h.credentials, secretAccessKey: `${h.credentials.secretAccessKey}x` });
    await expect(forged.send(new GetObjectCommand({ Bucket: 'cairn-data', Key: 'train/out.txt' }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
  });
});
