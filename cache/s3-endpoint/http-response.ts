import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ObjectMeta } from './side-effect-store.js';

/**
 * Writing S3 responses, and the object headers S3 stores with an object and returns on Get/Head: Content-Type
 * (`binary/octet-stream` when none was given, as S3), Content-Encoding/-Disposition/-Language, Cache-Control and
 * `x-amz-meta-*`.
 */
export function sendXml(res: ServerResponse, status: number, xml: string, headers: OutgoingHttpHeaders = {}): void {
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, { ...headers, 'content-type': 'application/xml', 'content-length': body.length });
  res.end(body);
}

export function sendEmpty(res: ServerResponse, status: number, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { ...headers, 'content-length': 0 });
  res.end();
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

const STORED: [keyof ObjectMeta, string][] = [
  ['contentType', 'content-type'], ['contentEncoding', 'content-encoding'], ['contentDisposition', 'content-disposition'],
  ['contentLanguage', 'content-language'], ['cacheControl', 'cache-control'],
];

/** The object headers of a PutObject/CreateMultipartUpload/CopyObject (REPLACE) request. */
export function metaFromHeaders(req: IncomingMessage): ObjectMeta {
  const meta: ObjectMeta = {};
  for (const [field, name] of STORED) {
    let v = header(req, name);
    if (field === 'contentEncoding' && v !== undefined) {
      v = v.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'aws-chunked').join(',');
      if (v === '') v = undefined;
    }
    if (v !== undefined) (meta as Record<string, string>)[field] = v;
  }
  const user: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) user[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  if (Object.keys(user).length > 0) meta.metadata = user;
  return meta;
}

/** Response headers for a stored object's metadata. */
export function metaHeaders(meta: ObjectMeta): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = { 'content-type': meta.contentType ?? 'binary/octet-stream' };
  for (const [field, name] of STORED) {
    const v = meta[field];
    if (field !== 'contentType' && typeof v === 'string') h[name] = v;
  }
  for (const [k, v] of Object.entries(meta.metadata ?? {})) h[`x-amz-meta-${k}`] = v;
  return h;
}

/** `x-amz-checksum-<algorithm>` headers (and the checksum type) for stored checksums. */
export function checksumHeaders(checksums: Record<string, string> | undefined): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = {};
  for (const [algorithm, value] of Object.entries(checksums ?? {})) {
    h[`x-amz-checksum-${algorithm}`] = value;
    h['x-amz-checksum-type'] = /-\d+$/.test(value) ? 'COMPOSITE' : 'FULL_OBJECT';
  }
  return h;
}

/** RFC 7231 date, as S3's Last-Modified. */
export const httpDate = (ms: number): string => new Date(ms).toUTCString();
