import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../containers/docker-runtime.js';
import { ecrAuthProvider, parseEcrImage } from '../../containers/ecr-auth.js';
import type { RegistryAuth } from '../../contracts/container-runtime.js';

const TF = '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.19-cpu-py312';
const credentials = { accessKeyId: 'AKIDCAIRNTEST', secretAccessKey: 'not-a-real-secret' };

interface Seen { method: string; url: string; headers: IncomingHttpHeaders; body: string }

/** A loopback HTTP server; `answer` decides each response. */
async function serve(answer: (req: Seen) => { status: number; body: string; type?: string } | 'hang'): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(s);
      const a = answer(s);
      if (a === 'hang') return;
      res.writeHead(a.status, { 'content-type': a.type ?? 'application/x-amz-json-1.1' });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const token = Buffer.from('AWS:s3cr3t-ecr-password').toString('base64');
const tokenAnswer = () => ({
  status: 200,
  body: JSON.stringify({ authorizationData: [{ authorizationToken: token, expiresAt: Date.now() / 1000 + 43_200, proxyEndpoint: 'https://763104351884.dkr.ecr.us-east-1.amazonaws.com' }] }),
});

describe('parseEcrImage', () => {
  it('reads account, region and domain from ECR hosts, and nothing else', () => {
    expect(parseEcrImage(TF)).toEqual({ account: '763104351884', region: 'us-east-1', host: '763104351884.dkr.ecr.us-east-1.amazonaws.com', domain: 'amazonaws.com' });
    expect(parseEcrImage('727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/x:1')?.domain).toBe('amazonaws.com.cn');
    expect(parseEcrImage('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/x:1')?.region).toBe('us-gov-west-1');
    expect(parseEcrImage('tensorflow/tensorflow:2.19.0')).toBeUndefined();
    expect(parseEcrImage('public.ecr.aws/x/y:1')).toBeUndefined();
  });
});

describe('ecrAuthProvider', () => {
  it('calls GetAuthorizationToken (ECR JSON protocol, SigV4 for the image\'s region) and turns the token into an authconfig', async () => {
    const ecr = await serve(tokenAnswer);
    const auth = ecrAuthProvider({ env: { AWS_ENDPOINT_URL_ECR: ecr.url }, clientConfig: { credentials } });
    const r = await auth(TF);
    expect(r).toEqual({ ok: true, value: { username: 'AWS', password: 's3cr3t-ecr-password', serveraddress: 'https://763104351884.dkr.ecr.us-east-1.amazonaws.com' } });
    expect(ecr.seen).toHaveLength(1);
    const req = ecr.seen[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/');
    expect(req.headers['x-amz-target']).toBe('AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken');
    expect(req.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDCAIRNTEST\/\d{8}\/us-east-1\/ecr\/aws4_request, SignedHeaders=.+, Signature=[0-9a-f]{64}$/);
    expect(JSON.parse(req.body)).toEqual({});
    // The token is kept until shortly before it expires: a second pull from the registry asks no more.
    expect((await auth(`${TF.split(':')[0]}:2.18-cpu-py310`)).ok).toBe(true);
    expect(ecr.seen).toHaveLength(1);
  });

  it('falls back to AWS_ENDPOINT_URL and signs for the region of the image', async () => {
    const ecr = await serve(tokenAnswer);
    const auth = ecrAuthProvider({ env: { AWS_ENDPOINT_URL: ecr.url }, clientConfig: { credentials } });
    expect((await auth('217643126080.dkr.ecr.me-south-1.amazonaws.com/tensorflow-training:2.13-cpu-py310')).ok).toBe(true);
    expect(ecr.seen[0]!.headers.authorization).toContain('/me-south-1/ecr/aws4_request');
  });

  it('needs no sign-in for other registries and asks nothing', async () => {
    const ecr = await serve(tokenAnswer);
    const auth = ecrAuthProvider({ env: { AWS_ENDPOINT_URL_ECR: ecr.url }, clientConfig: { credentials } });
    expect(await auth('tensorflow/tensorflow:2.19.0')).toEqual({ ok: true, value: undefined });
    expect(ecr.seen).toHaveLength(0);
  });

  it('reports a refusal with the service\'s error, naming the registry', async () => {
    const ecr = await serve(() => ({ status: 400, body: JSON.stringify({ __type: 'AccessDeniedException', message: 'User is not authorized to perform ecr:GetAuthorizationToken' }) }));
    const r = await ecrAuthProvider({ env: { AWS_ENDPOINT_URL_ECR: ecr.url }, clientConfig: { credentials } })(TF);
    expect(r).toEqual({
      ok: false,
      error: 'signing in to ECR registry 763104351884.dkr.ecr.us-east-1.amazonaws.com (GetAuthorizationToken in us-east-1) failed: ' +
        'AccessDeniedException: User is not authorized to perform ecr:GetAuthorizationToken',
    });
  });

  it('gives up on a registry endpoint that does not answer', async () => {
    const ecr = await serve(() => 'hang');
    const t0 = Date.now();
    const r = await ecrAuthProvider({ env: { AWS_ENDPOINT_URL_ECR: ecr.url }, clientConfig: { credentials, maxAttempts: 1 }, timeoutMs: 300 })(TF);
    expect(r).toEqual({ ok: false, error: 'signing in to ECR registry 763104351884.dkr.ecr.us-east-1.amazonaws.com (GetAuthorizationToken in us-east-1) failed: no answer within 0.3 seconds' });
    expect(Date.now() - t0).toBeLessThan(3_000);
  });
});

describe('DockerRuntime.pullImage with an authconfig (against a loopback fake Docker engine)', () => {
  it('sends the sign-in as X-Registry-Auth, emits every progress line and fails on errorDetail', async () => {
    const auth: RegistryAuth = { username: 'AWS', password: 's3cr3t-ecr-password', serveraddress: 'https://763104351884.dkr.ecr.us-east-1.amazonaws.com' };
    const lines = [
      { status: 'Pulling from tensorflow-training', id: '2.19-cpu-py312' },
      { status: 'Pulling fs layer', id: 'aaa' },
      { status: 'Downloading', id: 'aaa', progressDetail: { current: 10, total: 100 } },
      { errorDetail: { message: 'unauthorized: token expired' }, error: 'unauthorized: token expired' },
    ];
    const engine = await serve((req) => req.url.startsWith('/images/create')
      ? { status: 200, type: 'application/json', body: lines.map((l) => `${JSON.stringify(l)}\r\n`).join('') }
      : { status: 404, type: 'application/json', body: '{"message":"no such image"}' });
    const runtime = new DockerRuntime({ host: '127.0.0.1', port: Number(new URL(engine.url).port), protocol: 'http' });
    const progress: unknown[] = [];
    const r = await runtime.pullImage(TF, (p) => progress.push(p), undefined, auth);
    expect(r).toEqual({ ok: false, error: 'unauthorized: token expired' });
    const create = engine.seen.find((s) => s.url.startsWith('/images/create'))!;
    expect(create.method).toBe('POST');
    const query = new URL(create.url, 'http://x').searchParams;
    expect([query.get('fromImage'), query.get('tag')]).toEqual(['763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training', '2.19-cpu-py312']);
    // Credentials travel only in the header, never in the URL.
    expect(create.url).not.toContain('s3cr3t');
    const header = String(create.headers['x-registry-auth']).replace(/-/g, '+').replace(/_/g, '/');
    expect(JSON.parse(Buffer.from(header, 'base64').toString('utf8'))).toEqual(auth);
    expect(progress).toEqual([
      { status: 'Pulling from tensorflow-training', id: '2.19-cpu-py312' },
      { status: 'Pulling fs layer', id: 'aaa' },
      { status: 'Downloading', id: 'aaa', current: 10, total: 100 },
    ]);
  });

  it('sends no X-Registry-Auth without a sign-in', async () => {
    const engine = await serve(() => ({ status: 200, type: 'application/json', body: `${JSON.stringify({ errorDetail: { message: 'nope' } })}\r\n` }));
    const runtime = new DockerRuntime({ host: '127.0.0.1', port: Number(new URL(engine.url).port), protocol: 'http' });
    expect(await runtime.pullImage('tensorflow/tensorflow:2.19.0')).toEqual({ ok: false, error: 'nope' });
    expect(engine.seen[0]!.headers['x-registry-auth']).toBeUndefined();
  });
});
