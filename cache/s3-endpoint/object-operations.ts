import type { OutgoingHttpHeaders } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { S3Principal } from '../../contracts/s3-endpoint.js';
import { parseRange, type ByteRange } from './byte-range.js';
import { checksumHeaders, header, httpDate, metaFromHeaders, metaHeaders, sendEmpty, sendXml } from './http-response.js';
import {
  commitObject, describeObject, findObject, landBytes, makeFolder, quoteEtag, recordRead, deleteObject as removeObject,
  type BackendContext,
} from './object-backend.js';
import { openObject, type FoundObject } from './object-paths.js';
import { computedAlgorithm, objectOf, requestChecksum, type OperationContext } from './operation-context.js';
import { readSmallBody } from './request-body.js';
import { malformedXml, noSuchKey, S3Error } from './s3-error.js';
import { each, elements, isoDate, text, xmlDocument } from './s3-xml.js';
import type { ObjectMeta } from './side-effect-store.js';

/**
 * HeadObject, GetObject (Range, If-Match / If-None-Match, response-* overrides), PutObject, CopyObject, DeleteObject
 * and DeleteObjects over the store backend. A read is recorded against the attempt with the content hash it saw (or
 * null for a miss, which is also logged naming the bucket and key); GetObject streams the file, never buffering it.
 */
const sameEtag = (a: string, b: string): boolean => a === '*' || a.replace(/"/g, '') === b.replace(/"/g, '');

/** Finds an object for a read and records the read; a miss is logged and is NoSuchKey. */
async function readTarget(ctx: OperationContext, bucket: string, key: string): Promise<{ o: FoundObject; hash: string; etag: string; meta: ObjectMeta }> {
  const o = await findObject(ctx.home, bucket, key);
  if (o === undefined) {
    recordRead(ctx, ctx.principal, bucket, key, null);
    ctx.log(`S3 ${ctx.route.operation}: no object s3://${bucket}/${key} in the store (NoSuchKey), read by ${who(ctx.principal)}`);
    throw noSuchKey(bucket, key);
  }
  const d = await describeObject(ctx, o);
  recordRead(ctx, ctx.principal, bucket, key, d.hash);
  return { o, ...d };
}

const who = (p: S3Principal): string => `step ${p.step} (attempt ${p.attempt}) of run ${p.runId}`;

const OVERRIDES = ['content-type', 'content-language', 'expires', 'cache-control', 'content-disposition', 'content-encoding'];

export async function getObject(ctx: OperationContext, headOnly: boolean): Promise<void> {
  const { bucket, key } = objectOf(ctx);
  const t = await readTarget(ctx, bucket, key);
  const size = t.o.stats.size;
  const base: OutgoingHttpHeaders = { etag: t.etag, 'last-modified': httpDate(t.o.stats.mtimeMs), 'accept-ranges': 'bytes' };
  const ifMatch = header(ctx.req, 'if-match');
  if (ifMatch !== undefined && !ifMatch.split(',').some((e) => sameEtag(e.trim(), t.etag))) {
    throw new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
  }
  const ifNoneMatch = header(ctx.req, 'if-none-match');
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((e) => sameEtag(e.trim(), t.etag))) return sendEmpty(ctx.res, 304, base);
  const range: ByteRange | undefined = parseRange(header(ctx.req, 'range'), size);
  const headers: OutgoingHttpHeaders = { ...base, ...metaHeaders(t.meta) };
  for (const o of OVERRIDES) {
    const v = ctx.route.query.get(`response-${o}`);
    if (v !== null) headers[o] = v;
  }
  if (range === undefined && header(ctx.req, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') Object.assign(headers, checksumHeaders(t.meta.checksums));
  const length = range === undefined ? size : range.end - range.start + 1;
  headers['content-length'] = length;
  if (range !== undefined) headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
  const status = range === undefined ? 200 : 206;
  if (headOnly || length === 0) {
    ctx.res.writeHead(status, headers);
    ctx.res.end();
    return;
  }
  const fh = await openObject(t.o);
  try {
    ctx.res.writeHead(status, headers);
    await pipeline(fh.createReadStream({ start: range?.start ?? 0, end: range?.end ?? size - 1, autoClose: false }), ctx.res);
  } finally {
    await fh.close();
  }
}

export async function putObject(ctx: OperationContext): Promise<void> {
  const { bucket, key } = objectOf(ctx);
  if (key.endsWith('/')) {
    const bytes = await readSmallBody(ctx.body);
    if (bytes.length > 0) throw new S3Error('InvalidRequest', 400, `cairn keeps "${key}" (a key ending in /) as a folder: it cannot hold bytes.`, { Key: key });
    await makeFolder(ctx.home, bucket, key);
    return sendEmpty(ctx.res, 200, { etag: quoteEtag('d41d8cd98f00b204e9800998ecf8427e') });
  }
  const checksum = requestChecksum(ctx);
  const algorithm = computedAlgorithm(checksum?.algorithm);
  const contentMd5 = header(ctx.req, 'content-md5');
  const landed = await landBytes(ctx.home, ctx.body.stream, {
    ...(algorithm !== undefined ? { checksumAlgorithm: algorithm, expectedChecksum: checksum?.value } : {}),
    ...(ctx.body.payloadSha256 !== undefined ? { expectedSha256: ctx.body.payloadSha256 } : {}),
    ...(contentMd5 !== undefined ? { contentMd5 } : {}),
  });
  const checksums = checksumsOf(landed.checksum, checksum);
  const meta: ObjectMeta = { ...metaFromHeaders(ctx.req), ...(checksums !== undefined ? { checksums } : {}) };
  const w = await commitObject(ctx, ctx.principal, bucket, key, landed, quoteEtag(landed.md5.toString('hex')), meta);
  sendEmpty(ctx.res, 200, { etag: w.etag, ...checksumHeaders(checksums) });
}

/** The checksums to keep: the computed one, else (an algorithm cairn does not compute) the client's value as sent. */
export function checksumsOf(
  computed: { algorithm: string; value: string } | undefined, requested: { algorithm: string; value: () => string | undefined } | undefined,
): Record<string, string> | undefined {
  if (computed !== undefined) return { [computed.algorithm]: computed.value };
  const v = requested?.value();
  return requested !== undefined && v !== undefined ? { [requested.algorithm]: v } : undefined;
}

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=…]`, percent-encoded. */
function copySource(value: string): { bucket: string; key: string } {
  const decoded = decodeURIComponent(value.split('?')[0] as string).replace(/^\//, '');
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw new S3Error('InvalidArgument', 400, `Invalid copy source: "${value}"`);
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

export async function copyObject(ctx: OperationContext, sourceHeader: string): Promise<void> {
  const { bucket, key } = objectOf(ctx);
  const src = copySource(sourceHeader);
  const replace = header(ctx.req, 'x-amz-metadata-directive')?.toUpperCase() === 'REPLACE';
  if (src.bucket === bucket && src.key === key && !replace) {
    throw new S3Error('InvalidRequest', 400, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  const t = await readTarget(ctx, src.bucket, src.key);
  const requested = computedAlgorithm(header(ctx.req, 'x-amz-checksum-algorithm')?.toLowerCase())
    ?? computedAlgorithm(Object.keys(t.meta.checksums ?? {})[0]);
  const fh = await openObject(t.o);
  let landed;
  try {
    landed = await landBytes(ctx.home, fh.createReadStream({ autoClose: false }), requested !== undefined ? { checksumAlgorithm: requested } : {});
  } finally {
    await fh.close();
  }
  const base = replace ? metaFromHeaders(ctx.req) : { ...t.meta };
  delete base.checksums;
  const meta: ObjectMeta = { ...base, ...(landed.checksum !== undefined ? { checksums: { [landed.checksum.algorithm]: landed.checksum.value } } : {}) };
  const w = await commitObject(ctx, ctx.principal, bucket, key, landed, quoteEtag(landed.md5.toString('hex')), meta);
  const cs = landed.checksum;
  const checksumElement: [string, string][] = cs !== undefined ? [[`Checksum${cs.algorithm.toUpperCase()}`, cs.value]] : [];
  sendXml(ctx.res, 200, xmlDocument('CopyObjectResult', [['ETag', w.etag], ['LastModified', isoDate(Date.now())], ...checksumElement]));
}

export async function deleteObject(ctx: OperationContext): Promise<void> {
  const { bucket, key } = objectOf(ctx);
  await removeObject(ctx, ctx.principal, bucket, key);
  sendEmpty(ctx.res, 204);
}

export async function deleteObjects(ctx: OperationContext): Promise<void> {
  const bucket = ctx.route.bucket as string;
  const xml = (await readSmallBody(ctx.body)).toString('utf8');
  if (elements(xml, 'Delete').length === 0) throw malformedXml();
  const quiet = text(xml, 'Quiet') === 'true';
  const keys = elements(xml, 'Object').map((o) => text(o, 'Key'));
  if (keys.some((k) => k === undefined) || keys.length > 1000) throw malformedXml();
  const deleted: string[] = [];
  const failed: { key: string; code: string; message: string }[] = [];
  for (const key of keys as string[]) {
    try {
      await removeObject(ctx as BackendContext, ctx.principal, bucket, key);
      deleted.push(key);
    } catch (e) {
      if (!(e instanceof S3Error)) throw e;
      failed.push({ key, code: e.code, message: e.message });
    }
  }
  sendXml(ctx.res, 200, xmlDocument('DeleteResult', [
    ['Deleted', each(quiet ? [] : deleted, (k) => [['Key', k]])],
    ['Error', each(failed, (f) => [['Key', f.key], ['Code', f.code], ['Message', f.message]])],
  ]));
}
