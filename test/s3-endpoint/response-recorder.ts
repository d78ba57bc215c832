import { Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { parseXML } from '@aws-sdk/xml-builder';
import type { HttpResponse } from '@smithy/types';

/**
 * Records every raw HTTP response an @aws-sdk/client-s3 client receives (status, headers, body bytes) and hands the
 * client the same bytes, so a differential test compares what went over the wire, not only what the SDK parsed.
 */
export interface RecordedResponse {
  method: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export class RecordingHandler {
  readonly responses: RecordedResponse[] = [];
  private readonly inner = new NodeHttpHandler();
  readonly metadata = { handlerProtocol: 'http/1.1' };

  async handle(request: Parameters<NodeHttpHandler['handle']>[0], options?: Parameters<NodeHttpHandler['handle']>[1]): Promise<{ response: HttpResponse }> {
    const { response } = await this.inner.handle(request, options);
    const parts: Buffer[] = [];
    for await (const c of response.body as Readable) parts.push(Buffer.from(c as Buffer));
    const body = Buffer.concat(parts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers)) headers[k.toLowerCase()] = String(v);
    this.responses.push({ method: request.method, status: response.statusCode, headers, body });
    response.body = Readable.from([body]);
    return { response };
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> { return {}; }
  destroy(): void { this.inner.destroy(); }

  last(): RecordedResponse {
    const r = this.responses[this.responses.length - 1];
    if (r === undefined) throw new Error('no response recorded');
    return r;
  }
}

/**
 * The headers clients read, compared as sent: ETag, Content-Range, Accept-Ranges, x-amz-checksum-*, x-amz-meta-*,
 * and for an object's bytes (a 2xx Get/HeadObject) Content-Length and Content-Type. Not compared: Date,
 * x-amz-request-id, x-amz-id-2, Server, Connection, Last-Modified (values differ by nature), and the Content-Length
 * and Content-Type of XML and empty bodies (the same document with other whitespace and element order has another
 * length; moto labels an empty 404 text/html).
 */
export function clientHeaders(r: RecordedResponse, objectRead: boolean): Record<string, string> {
  const keep: Record<string, string> = {};
  const objectBytes = objectRead && r.status < 300;
  for (const [k, v] of Object.entries(r.headers)) {
    if (['etag', 'content-range', 'accept-ranges'].includes(k) || k.startsWith('x-amz-checksum-') || k.startsWith('x-amz-meta-')
      || (objectBytes && (k === 'content-type' || k === 'content-length'))) keep[k] = v;
  }
  return keep;
}

/**
 * Elements whose values differ by nature between two S3 servers and are replaced by `<ignored>`: RequestId, HostId,
 * dates (LastModified, CreationDate, Initiated), Owner (ID, DisplayName), UploadId (random), continuation tokens
 * (opaque; their effect, the next page, is compared), Location (the server's host), the signature diagnostics
 * Left out entirely, because moto omits what S3 sends: the signature diagnostics of a 403 (AWSAccessKeyId,
 * StringToSign, SignatureProvided, CanonicalRequest and their bytes forms), the ContinuationToken echo of ListObjectsV2, and in ListObjects
 * (v1) the Marker echo, an empty Prefix echo and NextMarker (moto sends a hash there; S3 the last key or prefix, which
 * test/s3-endpoint/object-listing.test.ts checks).
 */
const IGNORED = new Set([
  'RequestId', 'HostId', 'LastModified', 'CreationDate', 'Initiated', 'Owner', 'UploadId', 'NextContinuationToken',
  'ContinuationToken', 'Location',
]);
const DROPPED = new Set(['StringToSign', 'StringToSignBytes', 'CanonicalRequest', 'CanonicalRequestBytes', 'SignatureProvided', 'AWSAccessKeyId']);

/** moto names the CompleteMultipartUpload result `…Response`; S3 (and cairn) `…Result`. Clients ignore the root's name. */
const ROOTS: Record<string, string> = { CompleteMultipartUploadResponse: 'CompleteMultipartUploadResult' };

export function normaliseXml(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (!text.startsWith('<')) return text;
  try {
    const doc = strip(parseXML(text)) as Record<string, unknown>;
    const list = doc.ListBucketResult as Record<string, unknown> | undefined;
    if (list !== undefined) {
      delete list.ContinuationToken;
      if (!('KeyCount' in list)) {
        delete list.Marker;
        delete list.NextMarker;
        if (list.Prefix === '') delete list.Prefix;
      }
    }
    return Object.fromEntries(Object.entries(doc).map(([k, v]) => [ROOTS[k] ?? k, v]));
  } catch {
    return { notXml: text.slice(0, 300) };
  }
}

/** JSON with object keys sorted: the same structure prints the same whatever the element order. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'xmlns' || k.startsWith('xmlns:') || DROPPED.has(k)) continue;
      out[k] = IGNORED.has(k) ? '<ignored>' : strip(x);
    }
    return out;
  }
  return v;
}
