import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointFor, resolveRegion } from '../../cloud/clients.js';
import { MotoServer } from './moto-harness.js';

describe('cloud clients against moto', () => {
  const moto = new MotoServer();
  beforeAll(() => moto.start());
  afterAll(() => moto.stop());

  it('reads the region and the endpoints from the standard variables', () => {
    expect(resolveRegion({ env: { AWS_REGION: 'eu-west-1' } })).toEqual({ ok: true, value: 'eu-west-1' });
    expect(resolveRegion({ region: 'us-west-2', env: { AWS_REGION: 'eu-west-1' } })).toEqual({ ok: true, value: 'us-west-2' });
    expect(resolveRegion({ env: {} }).ok).toBe(false);
    expect(endpointFor('S3', { AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_S3: 'http://b' })).toBe('http://b');
    expect(endpointFor('SAGEMAKER', { AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_S3: 'http://b' })).toBe('http://a');
    expect(endpointFor('S3', {})).toBeUndefined();
  });

  it('talks to moto on loopback and forgets everything on reset', async () => {
    const c = moto.clients();
    try {
      await c.s3.send(new CreateBucketCommand({ Bucket: 'harness-check' }));
      const before = await c.s3.send(new ListBucketsCommand({}));
      expect(before.Buckets?.map((b) => b.Name)).toEqual(['harness-check']);
      await moto.reset();
      const after = await c.s3.send(new ListBucketsCommand({}));
      expect(after.Buckets ?? []).toEqual([]);
    } finally {
      c.destroy();
    }
  });
});
