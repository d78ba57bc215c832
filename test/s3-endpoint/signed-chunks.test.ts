import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestBody } from '../../cache/s3-endpoint/request-body.js';
import { signingKey, type SignatureClaim } from '../../cache/s3-endpoint/sigv4.js';

/**
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD, checked against the worked example of AWS's documentation ("Signature
 * calculations for the Authorization header: transferring payload in multiple chunks"): 64 KiB then 1 KiB of 'a',
 * the seed signature of the headers and each chunk's signature as published there.
 */
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const claim: SignatureClaim = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE', scope: '20130524/us-east-1/s3/aws4_request', date: '20130524', region: 'us-east-1',
  amzDate: '20130524T000000Z', signedHeaders: [], presigned: false, payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  signature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
};
const CHUNKS: [number, string][] = [
  [65536, 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648'],
  [1024, '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497'],
  [0, 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'],
];

function wire(tamper = false): Buffer {
  const parts: Buffer[] = [];
  for (const [size, sig] of CHUNKS) {
    const data = Buffer.alloc(size, 'a');
    if (tamper && size === 1024) data[10] = 0x62;
    parts.push(Buffer.from(`${size.toString(16)};chunk-signature=${sig}\r\n`), data, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

async function read(bytes: Buffer): Promise<number> {
  const req = Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]) as unknown as IncomingMessage;
  const body = requestBody(req, claim, signingKey(SECRET, claim.scope));
  let n = 0;
  for await (const chunk of body.stream) n += chunk.length;
  return n;
}

describe('signed aws-chunked payloads', () => {
  it("AWS's example verifies chunk by chunk and yields its 66560 bytes", async () => {
    expect(await read(wire())).toBe(66560);
  });

  it('a byte changed in a chunk is SignatureDoesNotMatch', async () => {
    await expect(read(wire(true))).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
  });
});
