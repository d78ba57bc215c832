import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { accessDenied, S3Error } from './s3-error.js';

/**
 * AWS Signature Version 4 as S3 verifies it: the `Authorization` header form and the presigned-URL query form, the
 * canonical request built from the request exactly as received (raw path and query, raw header values), and the
 * per-chunk signatures of `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` (cache/s3-endpoint/aws-chunked.ts). Any region in
 * the credential scope is accepted (clients sign ListBuckets with us-east-1); the service must be `s3`.
 */
export const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface SignedRequest {
  method: string;
  /** The request target as received: raw path and query. */
  url: string;
  /** Node's `req.rawHeaders`: names and values alternating, as sent. */
  rawHeaders: readonly string[];
}

export interface SignatureClaim {
  accessKeyId: string;
  /** `<yyyymmdd>/<region>/<service>/aws4_request`. */
  scope: string;
  date: string;
  region: string;
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  /** The value of x-amz-content-sha256 (UNSIGNED-PAYLOAD for a presigned URL). */
  payloadHash: string;
  presigned: boolean;
  /** X-Amz-Expires of a presigned URL, seconds. */
  expires?: number;
  securityToken?: string;
}

export function headerValue(raw: readonly string[], name: string): string | undefined {
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if ((raw[i] as string).toLowerCase() === name) values.push(raw[i + 1] as string);
  return values.length === 0 ? undefined : values.map(canonicalValue).join(',');
}

const canonicalValue = (v: string): string => v.trim().replace(/\s+/g, ' ');

/** The signature a request claims, or undefined when it carries none (anonymous). */
export function readSignature(req: SignedRequest): SignatureClaim | undefined {
  const auth = headerValue(req.rawHeaders, 'authorization');
  if (auth !== undefined) return fromHeader(req, auth);
  const query = new URLSearchParams(req.url.split('?')[1] ?? '');
  if (query.has('X-Amz-Signature')) return fromQuery(query);
  if (query.has('Signature') || query.has('AWSAccessKeyId')) throw signatureV2();
  return undefined;
}

const signatureV2 = (): S3Error => new S3Error('InvalidRequest', 400,
  'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');

function fromHeader(req: SignedRequest, auth: string): SignatureClaim {
  if (!auth.startsWith(`${ALGORITHM} `)) throw signatureV2();
  const fields = new Map<string, string>();
  for (const part of auth.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  const amzDate = headerValue(req.rawHeaders, 'x-amz-date');
  const payloadHash = headerValue(req.rawHeaders, 'x-amz-content-sha256');
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    throw new S3Error('AuthorizationHeaderMalformed', 400, 'The authorization header is malformed; it needs Credential, SignedHeaders and Signature.');
  }
  if (amzDate === undefined) throw accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  if (payloadHash === undefined) {
    throw new S3Error('InvalidRequest', 400, 'Missing required header for this request: x-amz-content-sha256');
  }
  const token = headerValue(req.rawHeaders, 'x-amz-security-token');
  return {
    ...credentialParts(credential), amzDate, signedHeaders: signedHeaders.split(';'), signature, payloadHash, presigned: false,
    ...(token !== undefined ? { securityToken: token } : {}),
  };
}

function fromQuery(q: URLSearchParams): SignatureClaim {
  const get = (name: string): string => {
    const v = q.get(name);
    if (v === null) throw new S3Error('AuthorizationQueryParametersError', 400, `Query-string authentication version 4 requires the ${name} parameter.`);
    return v;
  };
  if (get('X-Amz-Algorithm') !== ALGORITHM) throw signatureV2();
  const token = q.get('X-Amz-Security-Token');
  return {
    ...credentialParts(get('X-Amz-Credential')), amzDate: get('X-Amz-Date'), signedHeaders: get('X-Amz-SignedHeaders').split(';'),
    signature: get('X-Amz-Signature'), payloadHash: 'UNSIGNED-PAYLOAD', presigned: true, expires: Number(get('X-Amz-Expires')),
    ...(token !== null ? { securityToken: token } : {}),
  };
}

function credentialParts(credential: string): Pick<SignatureClaim, 'accessKeyId' | 'scope' | 'date' | 'region'> {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[3] !== 's3' || parts[4] !== 'aws4_request') {
    throw new S3Error('AuthorizationHeaderMalformed', 400, `The credential "${credential}" is not <key>/<date>/<region>/s3/aws4_request.`);
  }
  const [accessKeyId, date, region] = parts as [string, string, string];
  return { accessKeyId, date, region, scope: parts.slice(1).join('/') };
}

/** RFC 3986 encoding as SigV4 wants it (unreserved characters kept, everything else %XX upper case). */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function canonicalRequest(req: SignedRequest, claim: SignatureClaim): string {
  const q = req.url.indexOf('?');
  const rawPath = q === -1 ? req.url : req.url.slice(0, q);
  const rawQuery = q === -1 ? '' : req.url.slice(q + 1);
  const path = rawPath.split('/').map((seg) => uriEncode(decode(seg))).join('/');
  const pairs = rawQuery.split('&').filter((p) => p !== '').map((p) => {
    const eq = p.indexOf('=');
    const k = eq === -1 ? p : p.slice(0, eq);
    const v = eq === -1 ? '' : p.slice(eq + 1);
    return [uriEncode(decode(k)), uriEncode(decode(v))] as const;
  }).filter(([k]) => !(claim.presigned && k === 'X-Amz-Signature'));
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const headers = claim.signedHeaders.map((h) => `${h}:${headerValue(req.rawHeaders, h) ?? ''}\n`).join('');
  return [req.method, path || '/', pairs.map(([k, v]) => `${k}=${v}`).join('&'), headers, claim.signedHeaders.join(';'), claim.payloadHash].join('\n');
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export function stringToSign(req: SignedRequest, claim: SignatureClaim): string {
  return [ALGORITHM, claim.amzDate, claim.scope, sha256Hex(canonicalRequest(req, claim))].join('\n');
}

const keys = new Map<string, Buffer>();

/** The derived signing key of a secret for one day, region and service (cached: clients sign many requests a day). */
export function signingKey(secret: string, scope: string): Buffer {
  const id = `${secret}\n${scope}`;
  let key = keys.get(id);
  if (key === undefined) {
    const [date, region, service] = scope.split('/') as [string, string, string];
    const hmac = (k: string | Buffer, d: string): Buffer => createHmac('sha256', k).update(d).digest();
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
    if (keys.size > 1000) keys.clear();
    keys.set(id, key);
  }
  return key;
}

export const sign = (key: Buffer, text: string): string => createHmac('sha256', key).update(text).digest('hex');

/** Constant-time comparison of two hex signatures. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `<yyyymmdd>T<hhmmss>Z` as milliseconds, NaN when malformed. */
export function amzDateMs(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  return m === null ? NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}
