import { isIP } from 'node:net';
import { invalidArgument, notImplemented } from './s3-error.js';

/**
 * Which S3 operation a request is, and on which bucket and key: path-style (`/<bucket>/<key>`) or virtual-hosted
 * (`Host: <bucket>.<endpoint host>`, or `<bucket>.s3[.<region>].amazonaws.com`). A Host that is an IP address, or
 * one of the endpoint's own host names, is path-style. Sub-resources cairn does not serve (`?acl`, `?tagging`,
 * `?versioning`…) are 501 NotImplemented naming the S3 operation.
 */
export type Operation =
  | 'ListBuckets' | 'HeadBucket' | 'GetBucketLocation' | 'CreateBucket' | 'ListObjectsV2' | 'ListObjects' | 'DeleteObjects'
  | 'HeadObject' | 'GetObject' | 'PutObject' | 'CopyObject' | 'DeleteObject'
  | 'CreateMultipartUpload' | 'UploadPart' | 'CompleteMultipartUpload' | 'AbortMultipartUpload';

export interface Route {
  operation: Operation;
  bucket?: string;
  key?: string;
  query: URLSearchParams;
}

const SUBRESOURCES: Record<string, string> = {
  acl: 'Acl', cors: 'Cors', lifecycle: 'LifecycleConfiguration', policy: 'Policy', tagging: 'Tagging', versioning: 'Versioning',
  website: 'Website', encryption: 'Encryption', notification: 'NotificationConfiguration', logging: 'Logging',
  replication: 'Replication', ownershipControls: 'OwnershipControls', publicAccessBlock: 'PublicAccessBlock',
  accelerate: 'Accelerate', requestPayment: 'RequestPayment', 'object-lock': 'ObjectLockConfiguration', retention: 'Retention',
  'legal-hold': 'LegalHold', attributes: 'Attributes', torrent: 'Torrent', analytics: 'AnalyticsConfiguration',
  metrics: 'MetricsConfiguration', inventory: 'InventoryConfiguration', 'intelligent-tiering': 'IntelligentTieringConfiguration',
};
const VERB: Record<string, string> = { GET: 'Get', HEAD: 'Get', PUT: 'Put', DELETE: 'Delete', POST: 'Post' };

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw invalidArgument(`The request path "${s}" is not valid percent-encoding.`);
  }
}

/** The bucket named by a virtual-hosted Host header, if it is one. */
export function virtualHostBucket(host: string | undefined, ownHosts: readonly string[]): string | undefined {
  if (host === undefined) return undefined;
  const name = (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '')).toLowerCase();
  if (isIP(name.replace(/^\[|\]$/g, '')) !== 0 || ownHosts.includes(name)) return undefined;
  const aws = /^(.+)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$/.exec(name);
  if (aws !== null) return aws[1];
  for (const own of ownHosts) if (name.endsWith(`.${own}`)) return name.slice(0, -own.length - 1);
  return undefined;
}

export function routeRequest(method: string, url: string, host: string | undefined, ownHosts: readonly string[]): Route {
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  let bucket = virtualHostBucket(host, ownHosts);
  let rest = rawPath.replace(/^\//, '');
  if (bucket === undefined) {
    const slash = rest.indexOf('/');
    const b = slash === -1 ? rest : rest.slice(0, slash);
    bucket = b === '' ? undefined : decodeSegment(b);
    rest = slash === -1 ? '' : rest.slice(slash + 1);
  }
  const key = rest === '' ? undefined : rest.split('/').map(decodeSegment).join('/');
  const operation = bucket === undefined ? serviceOperation(method) : key === undefined ? bucketOperation(method, query) : objectOperation(method, query);
  return { operation, query, ...(bucket !== undefined ? { bucket } : {}), ...(key !== undefined ? { key } : {}) };
}

function unsupported(method: string, query: URLSearchParams, level: 'Bucket' | 'Object'): void {
  for (const [name, op] of Object.entries(SUBRESOURCES)) {
    if (query.has(name)) throw notImplemented(`${VERB[method] ?? method}${level}${op}`);
  }
}

function serviceOperation(method: string): Operation {
  if (method === 'GET') return 'ListBuckets';
  throw notImplemented(`${method} on the service`);
}

function bucketOperation(method: string, query: URLSearchParams): Operation {
  unsupported(method, query, 'Bucket');
  if (query.has('uploads')) throw notImplemented('ListMultipartUploads');
  if (query.has('versions')) throw notImplemented('ListObjectVersions');
  switch (method) {
    case 'HEAD': return 'HeadBucket';
    case 'GET':
      if (query.has('location')) return 'GetBucketLocation';
      return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    case 'PUT': return 'CreateBucket';
    case 'POST':
      if (query.has('delete')) return 'DeleteObjects';
      throw notImplemented('POST on a bucket (browser-form PutObject)');
    case 'DELETE': throw notImplemented('DeleteBucket');
    default: throw notImplemented(`${method} on a bucket`);
  }
}

function objectOperation(method: string, query: URLSearchParams): Operation {
  unsupported(method, query, 'Object');
  const upload = query.has('uploadId');
  switch (method) {
    case 'HEAD': return 'HeadObject';
    case 'GET':
      if (upload) throw notImplemented('ListParts');
      return 'GetObject';
    case 'PUT':
      if (upload || query.has('partNumber')) return 'UploadPart';
      return 'PutObject';
    case 'POST':
      if (query.has('uploads')) return 'CreateMultipartUpload';
      if (upload) return 'CompleteMultipartUpload';
      if (query.has('restore')) throw notImplemented('RestoreObject');
      if (query.has('select')) throw notImplemented('SelectObjectContent');
      throw notImplemented('POST on an object');
    case 'DELETE': return upload ? 'AbortMultipartUpload' : 'DeleteObject';
    default: throw notImplemented(`${method} on an object`);
  }
}
