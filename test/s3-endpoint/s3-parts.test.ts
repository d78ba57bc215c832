import { describe, expect, it } from 'vitest';
import { parseRange } from '../../cache/s3-endpoint/byte-range.js';
import { decodeToken, encodeToken, listingPage } from '../../cache/s3-endpoint/object-listing.js';
import { routeRequest, virtualHostBucket } from '../../cache/s3-endpoint/request-routing.js';
import { AwsChunkedDecoder } from '../../cache/s3-endpoint/aws-chunked.js';
import { checksumOf } from '../../cache/s3-endpoint/checksums.js';

const keys = (...k: string[]): { key: string }[] => k.map((key) => ({ key }));

describe('listing pages', () => {
  const all = keys('a.txt', 'dir-x', 'dir/one.csv', 'dir/sub/three.csv', 'dir/two.csv', 'other/five.csv', 'z.bin');

  it('walking pages of 2 with the last key as marker visits every key once, in order', () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const p = listingPage(all, { prefix: '', maxKeys: 2, ...(after !== undefined ? { after } : {}) });
      seen.push(...p.contents.map((c) => c.key));
      if (!p.isTruncated) break;
      after = p.last;
    }
    expect(seen).toEqual(all.map((k) => k.key));
  });

  it('with a delimiter, a CommonPrefix counts as one entry and, as a marker, skips its group (v1 NextMarker)', () => {
    const p1 = listingPage(all, { prefix: '', delimiter: '/', maxKeys: 2 });
    expect([p1.contents.map((c) => c.key), p1.commonPrefixes, p1.isTruncated, p1.last]).toEqual([['a.txt', 'dir-x'], [], true, 'dir-x']);
    const p2 = listingPage(all, { prefix: '', delimiter: '/', maxKeys: 2, after: 'dir-x' });
    expect([p2.contents.map((c) => c.key), p2.commonPrefixes, p2.isTruncated, p2.last]).toEqual([[], ['dir/', 'other/'], true, 'other/']);
    const p3 = listingPage(all, { prefix: '', delimiter: '/', maxKeys: 2, after: 'other/' });
    expect([p3.contents.map((c) => c.key), p3.commonPrefixes, p3.isTruncated]).toEqual([['z.bin'], [], false]);
  });

  it('prefix and delimiter roll up below the prefix only', () => {
    const p = listingPage(all, { prefix: 'dir/', delimiter: '/', maxKeys: 1000 });
    expect([p.contents.map((c) => c.key), p.commonPrefixes]).toEqual([['dir/one.csv', 'dir/two.csv'], ['dir/sub/']]);
  });

  it('the continuation token round-trips any key', () => {
    for (const k of ['a', 'dir/sub/ü ñ+%.csv', 'x'.repeat(1024)]) expect(decodeToken(encodeToken(k))).toBe(k);
    expect(decodeToken('not a token!')).toBeUndefined();
  });
});

describe('byte ranges', () => {
  it('reads bytes=a-b, a-, -n as S3 does; ignores what S3 ignores; refuses a start past the end', () => {
    expect(parseRange('bytes=0-4', 11)).toEqual({ start: 0, end: 4 });
    expect(parseRange('bytes=6-', 11)).toEqual({ start: 6, end: 10 });
    expect(parseRange('bytes=-3', 11)).toEqual({ start: 8, end: 10 });
    expect(parseRange('bytes=-30', 11)).toEqual({ start: 0, end: 10 });
    expect(parseRange('bytes=3-100', 11)).toEqual({ start: 3, end: 10 });
    expect(parseRange('bytes=10-10', 11)).toEqual({ start: 10, end: 10 });
    expect(parseRange('bytes=5-2', 11)).toBeUndefined();
    expect(parseRange('items=0-1', 11)).toBeUndefined();
    expect(parseRange('bytes=0-1,3-4', 11)).toBeUndefined();
    expect(() => parseRange('bytes=11-', 11)).toThrow(/not satisfiable/);
    expect(() => parseRange('bytes=-0', 11)).toThrow(/not satisfiable/);
  });
});

describe('routing', () => {
  it('path-style and virtual-hosted requests name the same bucket and key', () => {
    expect(routeRequest('GET', '/my-bucket/a/b%20c.txt', '127.0.0.1:9000', ['localhost'])).toMatchObject({ operation: 'GetObject', bucket: 'my-bucket', key: 'a/b c.txt' });
    expect(routeRequest('GET', '/a/b%20c.txt', 'my-bucket.localhost:9000', ['localhost'])).toMatchObject({ operation: 'GetObject', bucket: 'my-bucket', key: 'a/b c.txt' });
    expect(routeRequest('GET', '/a.txt', 'my.dotted.bucket.s3.us-west-2.amazonaws.com', ['localhost'])).toMatchObject({ bucket: 'my.dotted.bucket', key: 'a.txt' });
    expect(virtualHostBucket('cairn-s3:9000', ['localhost', 'cairn-s3'])).toBeUndefined();
    expect(virtualHostBucket('data.cairn-s3:9000', ['localhost', 'cairn-s3'])).toBe('data');
  });

  it('names every operation, and an unsupported one in its 501', () => {
    const op = (m: string, u: string): string => routeRequest(m, u, '127.0.0.1', []).operation;
    expect([op('GET', '/'), op('HEAD', '/b-1'), op('GET', '/b-1?location'), op('GET', '/b-1?list-type=2'), op('GET', '/b-1'),
      op('POST', '/b-1?delete'), op('PUT', '/b-1'), op('PUT', '/b-1/k'), op('POST', '/b-1/k?uploads'), op('PUT', '/b-1/k?partNumber=1&uploadId=u'),
      op('POST', '/b-1/k?uploadId=u'), op('DELETE', '/b-1/k?uploadId=u'), op('DELETE', '/b-1/k'), op('HEAD', '/b-1/k')]).toEqual([
      'ListBuckets', 'HeadBucket', 'GetBucketLocation', 'ListObjectsV2', 'ListObjects', 'DeleteObjects', 'CreateBucket', 'PutObject',
      'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'DeleteObject', 'HeadObject']);
    expect(() => op('GET', '/b-1?versioning')).toThrow(/does not implement GetBucketVersioning/);
    expect(() => op('PUT', '/b-1/k?tagging')).toThrow(/does not implement PutObjectTagging/);
    expect(() => op('GET', '/b-1?uploads')).toThrow(/ListMultipartUploads/);
  });
});

describe('aws-chunked bodies', () => {
  const decode = async (wire: string): Promise<{ data: string; trailers: Map<string, string> }> => {
    const d = new AwsChunkedDecoder();
    const out: Buffer[] = [];
    d.on('data', (c: Buffer) => out.push(c));
    const done = new Promise<void>((ok, fail) => { d.on('end', ok); d.on('error', fail); });
    for (let i = 0; i < wire.length; i += 3) d.write(Buffer.from(wire.slice(i, i + 3), 'latin1')); // split anywhere
    d.end();
    await done;
    return { data: Buffer.concat(out).toString('latin1'), trailers: d.trailers };
  };

  it('decodes the chunks and the checksum trailer boto3 and the JS SDK send, however the bytes are split', async () => {
    const crc = checksumOf('crc32', Buffer.from('hello world'));
    const r = await decode(`5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`);
    expect(r.data).toBe('hello world');
    expect(r.trailers.get('x-amz-checksum-crc32')).toBe(crc);
  });

  it('a body cut short or with a bad size line is an error', async () => {
    await expect(decode('5\r\nhel')).rejects.toThrow(/ended before its last chunk/);
    await expect(decode('zz\r\nhello\r\n')).rejects.toThrow(/not a chunk size/);
  });
});
