import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { s3Root } from '../uri.js';
import { describeObject } from './object-backend.js';
import { checkBucketName, listBucketDirs, listObjects } from './object-paths.js';
import { decodeToken, encodeToken, listingPage } from './object-listing.js';
import type { OperationContext } from './operation-context.js';
import { sendEmpty, sendXml } from './http-response.js';
import { invalidArgument } from './s3-error.js';
import { each, isoDate, Repeat, xmlDocument, type XmlNode } from './s3-xml.js';

/**
 * Bucket operations. Every valid bucket name exists: on SageMaker the user's buckets exist, and the store mirrors
 * them on demand (a bucket's directory appears with its first object), so HeadBucket is 200, GetBucketLocation the
 * endpoint's region, CreateBucket makes the directory; ListBuckets lists the bucket directories present.
 */
export const OWNER: XmlNode = [['ID', 'cairn'], ['DisplayName', 'cairn']];

export async function listBuckets(ctx: OperationContext): Promise<void> {
  const buckets = await listBucketDirs(ctx.home);
  sendXml(ctx.res, 200, xmlDocument('ListAllMyBucketsResult', [
    ['Owner', OWNER],
    ['Buckets', [['Bucket', each(buckets, (b) => [['Name', b.name], ['CreationDate', isoDate(b.created)]])]]],
  ]));
}

export function headBucket(ctx: OperationContext): void {
  checkBucketName(ctx.route.bucket as string);
  sendEmpty(ctx.res, 200, { 'x-amz-bucket-region': ctx.region });
}

export function bucketLocation(ctx: OperationContext): void {
  checkBucketName(ctx.route.bucket as string);
  sendXml(ctx.res, 200, `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${ctx.region === 'us-east-1' ? '' : ctx.region}</LocationConstraint>`);
}

export async function createBucket(ctx: OperationContext): Promise<void> {
  const bucket = ctx.route.bucket as string;
  checkBucketName(bucket);
  for await (const chunk of ctx.body.stream) void chunk; // the CreateBucketConfiguration (region) is not needed
  await mkdir(path.join(s3Root(ctx.home), bucket), { recursive: true });
  sendEmpty(ctx.res, 200, { location: `/${bucket}` });
}

function maxKeysOf(ctx: OperationContext): number {
  const raw = ctx.route.query.get('max-keys');
  if (raw === null) return 1000;
  if (!/^\d+$/.test(raw)) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', raw);
  return Math.min(Number(raw), 1000);
}

/** ListObjectsV2 (`v2`) and ListObjects (v1): one page of keys and CommonPrefixes. */
export async function listBucket(ctx: OperationContext, v2: boolean): Promise<void> {
  const bucket = ctx.route.bucket as string;
  const q = ctx.route.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? undefined;
  const maxKeys = maxKeysOf(ctx);
  const urlEncoded = q.get('encoding-type') === 'url';
  const enc = (s: string): string => (urlEncoded ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after') ?? undefined;
  const marker = q.get('marker') ?? undefined;
  let after = v2 ? startAfter : marker;
  if (v2 && token !== null) {
    const decoded = decodeToken(token);
    if (decoded === undefined) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
    after = decoded;
  }
  const all = await listObjects(ctx.home, bucket, prefix);
  const page = listingPage(all, { prefix, maxKeys, ...(delimiter !== undefined ? { delimiter } : {}), ...(after !== undefined ? { after } : {}) });
  const contents: XmlNode[] = [];
  for (const o of page.contents) {
    const d = await describeObject(ctx, o);
    contents.push([['Key', enc(o.key)], ['LastModified', isoDate(o.stats.mtimeMs)], ['ETag', d.etag], ['Size', o.stats.size],
      ...(v2 ? [] : [['Owner', OWNER] as [string, XmlNode]]), ['StorageClass', 'STANDARD']]);
  }
  const head: XmlNode = [['Name', bucket], ['Prefix', enc(prefix)]];
  if (v2) {
    if (token !== null) head.push(['ContinuationToken', token]);
    if (startAfter !== undefined) head.push(['StartAfter', enc(startAfter)]);
    head.push(['KeyCount', page.contents.length + page.commonPrefixes.length]);
  } else {
    head.push(['Marker', enc(marker ?? '')]);
    if (page.isTruncated && delimiter !== undefined && page.last !== undefined) head.push(['NextMarker', enc(page.last)]);
  }
  head.push(['MaxKeys', maxKeys]);
  if (delimiter !== undefined) head.push(['Delimiter', enc(delimiter)]);
  if (urlEncoded) head.push(['EncodingType', 'url']);
  head.push(['IsTruncated', page.isTruncated]);
  if (v2 && page.isTruncated && page.last !== undefined) head.push(['NextContinuationToken', encodeToken(page.last)]);
  sendXml(ctx.res, 200, xmlDocument('ListBucketResult', [
    ...head, ['Contents', new Repeat(contents)], ['CommonPrefixes', each(page.commonPrefixes, (p) => [['Prefix', enc(p)]])],
  ]));
}
