import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MotoServer, MOTO_REGION } from '../cloud/moto-harness.js';
import { sagemakerPython } from '../support/sagemaker-sdk.js';
import { startHarness, type EndpointHarness } from './endpoint-harness.js';
import { RecordingHandler, normaliseXml } from './response-recorder.js';

/**
 * Differential for authentication: moto with request authentication on (INITIAL_NO_AUTH_ACTION_COUNT: the first three
 * requests, which create an IAM user with an allow-all policy and its key, go unchecked) and cairn's endpoint answer a
 * wrong secret, an unknown key, a good and a tampered presigned URL alike.
 */
interface Keys { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

const SETUP = `
import boto3, json, sys
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')
iam = boto3.client('iam', **kw)
iam.create_user(UserName='cairn-diff')
iam.put_user_policy(UserName='cairn-diff', PolicyName='all', PolicyDocument=json.dumps(
    {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': '*', 'Resource': '*'}]}))
k = iam.create_access_key(UserName='cairn-diff')['AccessKey']
print(json.dumps({'accessKeyId': k['AccessKeyId'], 'secretAccessKey': k['SecretAccessKey']}))
`;

const PRESIGN = `
import boto3, json, sys, time
endpoint, key, secret, token, obj = sys.argv[1:6]
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id=key, aws_secret_access_key=secret,
                  aws_session_token=token or None, config=boto3.session.Config(signature_version='s3v4', s3={'addressing_style': 'path'}))
params = {'Bucket': 'auth-bucket', 'Key': obj}
good = s3.generate_presigned_url('get_object', Params=params, ExpiresIn=300)
expired = s3.generate_presigned_url('get_object', Params=params, ExpiresIn=1)
time.sleep(2.5)  # past its expiry (X-Amz-Date has whole seconds)
print(json.dumps({'good': good, 'expired': expired}))
`;

describe('authentication: cairn S3 endpoint vs moto with auth', () => {
  const moto = new MotoServer();
  let h: EndpointHarness;
  let motoKeys: Keys;
  const clients: S3Client[] = [];
  const client = (endpoint: string, credentials: Keys, rec: RecordingHandler): S3Client => {
    const c = new S3Client({ region: MOTO_REGION, endpoint, forcePathStyle: true, credentials, requestHandler: rec, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    const saved = process.env.INITIAL_NO_AUTH_ACTION_COUNT;
    process.env.INITIAL_NO_AUTH_ACTION_COUNT = '3';
    try {
      await moto.start();
    } finally {
      if (saved === undefined) delete process.env.INITIAL_NO_AUTH_ACTION_COUNT;
      else process.env.INITIAL_NO_AUTH_ACTION_COUNT = saved;
    }
    motoKeys = JSON.parse((await execa(sagemakerPython(), ['-c', SETUP, moto.endpoint])).stdout) as Keys;
    h = await startHarness();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await h.close();
    await moto.stop();
  });

  /** boto3's presigned GET URLs of `key`: one valid for 300 s, one already expired (valid for 1 s, 2.5 s ago). */
  async function presignedGets(endpoint: string, keys: Keys, key: string): Promise<{ good: string; expired: string }> {
    const r = await execa(sagemakerPython(), ['-c', PRESIGN, endpoint, keys.accessKeyId, keys.secretAccessKey, keys.sessionToken ?? '', key]);
    return JSON.parse(r.stdout) as { good: string; expired: string };
  }

  async function transcript(endpoint: string, keys: Keys): Promise<unknown[]> {
    const rec = new RecordingHandler();
    const good = client(endpoint, keys, rec);
    await good.send(new CreateBucketCommand({ Bucket: 'auth-bucket' }));
    await good.send(new PutObjectCommand({ Bucket: 'auth-bucket', Key: 'data/x.csv', Body: 'a,b\n' }));
    const out: unknown[] = [];
    const attempt = async (c: S3Client): Promise<void> => {
      const from = rec.responses.length;
      await c.send(new GetObjectCommand({ Bucket: 'auth-bucket', Key: 'data/x.csv' })).catch(() => undefined);
      out.push(rec.responses.slice(from).map((r) => ({ status: r.status, body: normaliseXml(r.body) })));
    };
    await attempt(client(endpoint, { ...keys, secretAccessKey: `${keys.secretAccessKey}wrong` }, rec));
    await attempt(client(endpoint, { ...keys, accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }, rec));
    return out;
  }

  it('a wrong secret and an unknown key: the same 403 answers as moto', async () => {
    const fromMoto = await transcript(moto.endpoint, motoKeys);
    const fromCairn = await transcript(h.endpoint.loopbackUrl, h.credentials);
    expect(fromCairn).toEqual(fromMoto);
    expect(fromCairn.map((e) => (e as { status: number }[])[0]?.status)).toEqual([403, 403]);
  });

  // moto answers 500 to every presigned URL when its authentication is on, so these are checked against S3's answers.
  it('boto3 presigned URLs: good is the object, tampered is SignatureDoesNotMatch, expired is AccessDenied', async () => {
    const urls = await presignedGets(h.endpoint.loopbackUrl, h.credentials, 'data/x.csv');
    const get = async (url: string): Promise<{ status: number; body: unknown }> => {
      const r = await fetch(url);
      return { status: r.status, body: normaliseXml(Buffer.from(await r.arrayBuffer())) };
    };
    const tampered = urls.good.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);
    expect(await get(urls.good)).toEqual({ status: 200, body: 'a,b' });
    expect(await get(tampered)).toMatchObject({ status: 403, body: { Error: { Code: 'SignatureDoesNotMatch' } } });
    expect(await get(urls.expired)).toMatchObject({ status: 403, body: { Error: { Code: 'AccessDenied', Message: 'Request has expired' } } });
  });
});
