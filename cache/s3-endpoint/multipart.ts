import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { compositeChecksum, type ChecksumAlgorithm } from './checksums.js';
import { checksumHeaders, header, metaFromHeaders, sendEmpty, sendXml } from './http-response.js';
import { commitObject, landBytes, quoteEtag } from './object-backend.js';
import { objectPath } from './object-paths.js';
import { computedAlgorithm, objectOf, requestChecksum, type OperationContext } from './operation-context.js';
import { checksumsOf } from './object-operations.js';
import { readSmallBody } from './request-body.js';
import { invalidArgument, malformedXml, noSuchUpload, S3Error } from './s3-error.js';
import { elements, text, xmlDocument } from './s3-xml.js';
import type { ObjectMeta } from './side-effect-store.js';

/**
 * Multipart uploads: each part is landed (hashed while written) in this process's temp area and stays there until
 * CompleteMultipartUpload streams the parts, in order, into one object (committed like a PutObject); Abort, or the
 * endpoint closing, removes them. The ETag is S3's: md5 of the parts' binary md5s, then `-<parts>`; with a checksum
 * algorithm, the checksum is S3's composite of the part checksums.
 */
const MIN_PART = 5 * 1024 * 1024;

interface Part {
  file: string;
  md5: Buffer;
  size: number;
  checksum?: string;
}

interface Upload {
  bucket: string;
  key: string;
  meta: ObjectMeta;
  algorithm?: ChecksumAlgorithm;
  parts: Map<number, Part>;
}

export class MultipartUploads {
  private readonly uploads = new Map<string, Upload>();

  private find(ctx: OperationContext): [string, Upload] {
    const id = ctx.route.query.get('uploadId') ?? '';
    const u = this.uploads.get(id);
    const { bucket, key } = objectOf(ctx);
    if (u === undefined || u.bucket !== bucket || u.key !== key) throw noSuchUpload(id);
    return [id, u];
  }

  create(ctx: OperationContext): void {
    const { bucket, key } = objectOf(ctx);
    objectPath(ctx.home, bucket, key);
    const id = randomBytes(24).toString('base64url');
    const algorithm = computedAlgorithm(header(ctx.req, 'x-amz-checksum-algorithm')?.toLowerCase());
    this.uploads.set(id, { bucket, key, meta: metaFromHeaders(ctx.req), parts: new Map(), ...(algorithm !== undefined ? { algorithm } : {}) });
    sendXml(ctx.res, 200, xmlDocument('InitiateMultipartUploadResult', [['Bucket', bucket], ['Key', key], ['UploadId', id]]),
      algorithm !== undefined ? { 'x-amz-checksum-algorithm': algorithm.toUpperCase() } : {});
  }

  async uploadPart(ctx: OperationContext): Promise<void> {
    const [, u] = this.find(ctx);
    const raw = ctx.route.query.get('partNumber') ?? '';
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > 10000) {
      throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', raw);
    }
    const checksum = requestChecksum(ctx);
    const algorithm = computedAlgorithm(checksum?.algorithm) ?? u.algorithm;
    const contentMd5 = header(ctx.req, 'content-md5');
    const landed = await landBytes(ctx.home, ctx.body.stream, {
      ...(algorithm !== undefined ? { checksumAlgorithm: algorithm, expectedChecksum: checksum?.value ?? (() => undefined) } : {}),
      ...(ctx.body.payloadSha256 !== undefined ? { expectedSha256: ctx.body.payloadSha256 } : {}),
      ...(contentMd5 !== undefined ? { contentMd5 } : {}),
    });
    const old = u.parts.get(n);
    if (old !== undefined) await rm(old.file, { force: true });
    const cs = checksumsOf(landed.checksum, checksum);
    u.parts.set(n, { file: landed.tmp, md5: landed.md5, size: landed.size, ...(landed.checksum !== undefined ? { checksum: landed.checksum.value } : {}) });
    sendEmpty(ctx.res, 200, { etag: quoteEtag(landed.md5.toString('hex')), ...checksumHeaders(cs) });
  }

  async complete(ctx: OperationContext): Promise<void> {
    const [id, u] = this.find(ctx);
    const xml = (await readSmallBody(ctx.body)).toString('utf8');
    const listed = elements(xml, 'Part').map((p) => ({ n: Number(text(p, 'PartNumber')), etag: text(p, 'ETag') ?? '' }));
    if (listed.length === 0) throw malformedXml();
    const parts: Part[] = [];
    listed.forEach((l, i) => {
      if (i > 0 && l.n <= (listed[i - 1] as { n: number }).n) {
        throw new S3Error('InvalidPartOrder', 400, 'The list of parts was not in ascending order. The parts list must be specified in order by part number.');
      }
      const p = u.parts.get(l.n);
      if (p === undefined || l.etag.replace(/"/g, '') !== p.md5.toString('hex')) {
        throw new S3Error('InvalidPart', 400,
          'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part\'s entity tag.',
          { UploadId: id, PartNumber: String(l.n), ETag: l.etag });
      }
      parts.push(p);
    });
    parts.forEach((p, i) => {
      if (i < parts.length - 1 && p.size < MIN_PART) {
        throw new S3Error('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed object size.',
          { ProposedSize: String(p.size), MinSizeAllowed: String(MIN_PART), PartNumber: String(listed[i]?.n) });
      }
    });
    const landed = await landBytes(ctx.home, Readable.from(concatenate(parts.map((p) => p.file))));
    const etag = `"${createHash('md5').update(Buffer.concat(parts.map((p) => p.md5))).digest('hex')}-${parts.length}"`;
    const checksum = u.algorithm !== undefined && parts.every((p) => p.checksum !== undefined)
      ? { [u.algorithm]: compositeChecksum(u.algorithm, parts.map((p) => p.checksum as string)) } : undefined;
    const meta: ObjectMeta = { ...u.meta, ...(checksum !== undefined ? { checksums: checksum } : {}) };
    const w = await commitObject(ctx, ctx.principal, u.bucket, u.key, landed, etag, meta);
    this.uploads.delete(id);
    await removeParts(u);
    const cs = checksum !== undefined && u.algorithm !== undefined ? [[`Checksum${u.algorithm.toUpperCase()}`, checksum[u.algorithm] as string] as [string, string]] : [];
    sendXml(ctx.res, 200, xmlDocument('CompleteMultipartUploadResult', [
      ['Location', `http://${header(ctx.req, 'host') ?? 'localhost'}/${u.bucket}/${encodeURI(u.key)}`],
      ['Bucket', u.bucket], ['Key', u.key], ['ETag', w.etag], ...cs,
    ]));
  }

  async abort(ctx: OperationContext): Promise<void> {
    const [id, u] = this.find(ctx);
    this.uploads.delete(id);
    await removeParts(u);
    sendEmpty(ctx.res, 204);
  }

  /** Drops every upload in progress (the endpoint is closing). */
  async clear(): Promise<void> {
    const all = [...this.uploads.values()];
    this.uploads.clear();
    for (const u of all) await removeParts(u);
  }
}

async function* concatenate(files: readonly string[]): AsyncGenerator<Buffer> {
  for (const f of files) for await (const chunk of createReadStream(f)) yield chunk as Buffer;
}

async function removeParts(u: Upload): Promise<void> {
  for (const p of u.parts.values()) await rm(p.file, { force: true });
}
