import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { S3Credentials, S3Endpoint, S3Principal, SideEffects } from '../../contracts/s3-endpoint.js';
import type { HashCache } from '../hasher.js';
import type { Store } from '../store.js';
import { bucketLocation, createBucket, headBucket, listBucket, listBuckets } from './bucket-operations.js';
import { header } from './http-response.js';
import { MultipartUploads } from './multipart.js';
import { copyObject, deleteObject, deleteObjects, getObject, putObject } from './object-operations.js';
import type { OperationContext } from './operation-context.js';
import { requestBody } from './request-body.js';
import { routeRequest, type Route } from './request-routing.js';
import { accessDenied, notImplemented, S3Error } from './s3-error.js';
import { errorDocument } from './s3-xml.js';
import { amzDateMs, readSignature, sameSignature, sign, signingKey, stringToSign } from './sigv4.js';

/**
 * The S3-compatible endpoint a run's job containers talk to (issue 11, contracts/s3-endpoint.ts), over cairn's own
 * store: the `s3/` view (`<home>/s3/<bucket>/<key>`) is what is served; writes land content-addressed in the CAS and
 * the view and are recorded against the step attempt whose throwaway key signed them (schema 7).
 *
 * - Buckets: any valid bucket name exists (HeadBucket 200, GetBucketLocation the run's region): on SageMaker the
 *   user's buckets exist, and the store mirrors them on demand. ListBuckets lists the bucket directories present.
 * - Auth: every request must be signed (SigV4, header or presigned URL, aws-chunked chunk signatures) with a key
 *   `grant` made and `revoke` has not ended; else 403 as S3 (AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch).
 * - Listeners: 127.0.0.1 (a free port), and each address given to `listenOn` (a run network's gateway); never all
 *   interfaces.
 *
 * Why a small module and not a library: s3rver (3.7.1, the maintained-looking npm candidate) keeps its own files
 * and metadata sidecars, has had no release since 2021, decodes neither aws-chunked trailers (boto3 ≥ 1.36's
 * default) nor flexible checksums, and has no notion of who wrote what, so writes could not land in the CAS or be
 * recorded per attempt. MinIO and moto are servers in other languages with their own storage. What cairn needs is
 * the subset in cache/s3-endpoint/request-routing.ts, over the store it already has; it is tested differentially
 * against moto with @aws-sdk/client-s3 and boto3 (test/s3-endpoint/).
 */
export interface S3EndpointOptions {
  home: string;
  store: Store;
  region: string;
  /** One line per notable event (a read of a key the store lacks, an internal error). */
  log?: (line: string) => void;
  /** The stat cache for content hashes (default: the store's file_hashes). */
  hashCache?: HashCache;
  /** Host names of this endpoint besides IP addresses and `localhost` (virtual-hosted requests are `<bucket>.<name>`). */
  hostnames?: readonly string[];
}

interface Grant {
  secret: string;
  token: string;
  principal: S3Principal;
  revoked: boolean;
}

const EXPIRED = 'Request has expired';

export async function startS3Endpoint(opts: S3EndpointOptions): Promise<S3Endpoint> {
  const log = opts.log ?? ((): void => undefined);
  const hashCache: HashCache = opts.hashCache ?? { get: (p) => opts.store.getFileHash(p), put: (p, e) => opts.store.putFileHash(p, e) };
  const grants = new Map<string, Grant>();
  const uploads = new MultipartUploads();
  const ownHosts = ['localhost', ...(opts.hostnames ?? []).map((h) => h.toLowerCase())];
  const servers: Server[] = [];

  const authenticate = (req: IncomingMessage): { principal: S3Principal; key: Buffer; claim: NonNullable<ReturnType<typeof readSignature>> } => {
    const claim = readSignature({ method: req.method ?? 'GET', url: req.url ?? '/', rawHeaders: req.rawHeaders });
    if (claim === undefined) throw accessDenied();
    const grant = grants.get(claim.accessKeyId);
    if (grant === undefined || grant.revoked) {
      throw new S3Error('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: claim.accessKeyId });
    }
    if (claim.securityToken !== grant.token) throw new S3Error('InvalidToken', 400, 'The provided token is malformed or otherwise invalid.');
    const key = signingKey(grant.secret, claim.scope);
    const text = stringToSign({ method: req.method ?? 'GET', url: req.url ?? '/', rawHeaders: req.rawHeaders }, claim);
    if (!sameSignature(sign(key, text), claim.signature)) {
      throw new S3Error('SignatureDoesNotMatch', 403,
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        { AWSAccessKeyId: claim.accessKeyId, StringToSign: text, SignatureProvided: claim.signature });
    }
    if (claim.presigned && !(amzDateMs(claim.amzDate) + (claim.expires ?? 0) * 1000 >= Date.now())) throw accessDenied(EXPIRED);
    return { principal: grant.principal, key, claim };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.setHeader('x-amz-request-id', requestId);
    res.setHeader('x-amz-id-2', requestId);
    res.setHeader('server', 'cairn');
    let route: Route | undefined;
    try {
      route = routeRequest(req.method ?? 'GET', req.url ?? '/', header(req, 'host'), ownHosts);
      const auth = authenticate(req);
      const ctx: OperationContext = {
        home: opts.home, store: opts.store, hashCache, region: opts.region, principal: auth.principal, req, res, route,
        body: requestBody(req, auth.claim, auth.key), log,
      };
      await dispatch(ctx, uploads);
    } catch (e) {
      sendError(req, res, e, route, requestId, log);
    }
  };

  const listen = (address: string, port: number): Promise<Server> =>
    new Promise((resolve, reject) => {
      const server = createServer((req, res) => void handle(req, res));
      server.once('error', reject);
      server.listen(port, address, () => {
        server.off('error', reject);
        servers.push(server);
        resolve(server);
      });
    });

  const loopback = await listen('127.0.0.1', 0);
  const port = (loopback.address() as AddressInfo).port;
  const urlOf = (s: Server): string => {
    const a = s.address() as AddressInfo;
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  };

  return {
    loopbackUrl: urlOf(loopback),
    async listenOn(address: string): Promise<string> {
      if (isIP(address) === 0 || ['0.0.0.0', '::', '::0'].includes(address)) {
        throw new Error(`cairn's S3 endpoint listens only on a given interface address, not "${address}"`);
      }
      const s = await listen(address, port).catch(() => listen(address, 0));
      return urlOf(s);
    },
    grant(principal: S3Principal): S3Credentials {
      const accessKeyId = `ASIACAIRN${randomBytes(6).toString('hex').toUpperCase()}`.slice(0, 20);
      const credentials = { accessKeyId, secretAccessKey: randomBytes(30).toString('base64url'), sessionToken: randomBytes(48).toString('base64url') };
      grants.set(accessKeyId, { secret: credentials.secretAccessKey, token: credentials.sessionToken, principal: { ...principal }, revoked: false });
      return credentials;
    },
    revoke(accessKeyId: string): SideEffects {
      const g = grants.get(accessKeyId);
      if (g === undefined) throw new Error(`no S3 endpoint grant has the access key ${accessKeyId}`);
      g.revoked = true;
      return opts.store.sideEffects(g.principal.runId, g.principal.step, g.principal.attempt);
    },
    async close(): Promise<void> {
      for (const g of grants.values()) g.revoked = true;
      await Promise.all(servers.map((s) => new Promise<void>((r) => {
        s.close(() => r());
        s.closeIdleConnections();
      })));
      await uploads.clear();
    },
  };
}

async function dispatch(ctx: OperationContext, uploads: MultipartUploads): Promise<void> {
  const copySource = header(ctx.req, 'x-amz-copy-source');
  switch (ctx.route.operation) {
    case 'ListBuckets': return listBuckets(ctx);
    case 'HeadBucket': return headBucket(ctx);
    case 'GetBucketLocation': return bucketLocation(ctx);
    case 'CreateBucket': return createBucket(ctx);
    case 'ListObjectsV2': return listBucket(ctx, true);
    case 'ListObjects': return listBucket(ctx, false);
    case 'DeleteObjects': return deleteObjects(ctx);
    case 'HeadObject': return getObject(ctx, true);
    case 'GetObject': return getObject(ctx, false);
    case 'PutObject': return copySource !== undefined ? copyObject(ctx, copySource) : putObject(ctx);
    case 'CopyObject': return copyObject(ctx, copySource ?? '');
    case 'DeleteObject': return deleteObject(ctx);
    case 'CreateMultipartUpload': return uploads.create(ctx);
    case 'UploadPart':
      if (copySource !== undefined) throw notImplemented('UploadPartCopy');
      return uploads.uploadPart(ctx);
    case 'CompleteMultipartUpload': return uploads.complete(ctx);
    case 'AbortMultipartUpload': return uploads.abort(ctx);
  }
}

function sendError(req: IncomingMessage, res: ServerResponse, e: unknown, route: Route | undefined, requestId: string, log: (l: string) => void): void {
  const s3 = e instanceof S3Error ? e : new S3Error('InternalError', 500, 'We encountered an internal error. Please try again.');
  if (!(e instanceof S3Error)) log(`S3 ${route?.operation ?? req.method}: internal error on ${req.url}: ${(e as Error).stack ?? String(e)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const resource = route?.bucket === undefined ? '/' : `/${route.bucket}${route.key !== undefined ? `/${route.key}` : ''}`;
  const headers: Record<string, string | number> = {};
  if (s3.code === 'InvalidRange') headers['content-range'] = `bytes */${s3.extra.ActualObjectSize ?? 0}`;
  if (req.method === 'HEAD') {
    res.writeHead(s3.status, { ...headers, 'content-length': 0 });
    res.end();
    return;
  }
  const body = Buffer.from(errorDocument(s3, resource, requestId), 'utf8');
  res.writeHead(s3.status, { ...headers, 'content-type': 'application/xml', 'content-length': body.length });
  res.end(body);
}

