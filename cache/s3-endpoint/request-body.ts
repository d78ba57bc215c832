import type { IncomingMessage } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import { AwsChunkedDecoder } from './aws-chunked.js';
import { S3Error } from './s3-error.js';
import { sameSignature, sha256Hex, sign, type SignatureClaim } from './sigv4.js';

/**
 * A request's payload as the operation reads it: decoded from aws-chunked when `x-amz-content-sha256` says
 * STREAMING-… (each chunk's signature checked when the stream is signed), with the trailer headers available once it
 * has ended, and the whole-payload sha256 when the client signed one (the write checks it).
 */
export interface RequestBody {
  stream: Readable & AsyncIterable<Buffer>;
  /** A trailer header (lower-case name), known after the stream has ended. */
  trailer(name: string): string | undefined;
  /** Hex sha256 the client signed for the whole payload, if it did. */
  payloadSha256?: string;
}

const EMPTY_SHA256 = sha256Hex('');

export function requestBody(req: IncomingMessage, claim: SignatureClaim, key: Buffer): RequestBody {
  const payload = claim.payloadHash;
  if (!payload.startsWith('STREAMING-')) {
    return { stream: req, trailer: () => undefined, ...(/^[0-9a-f]{64}$/.test(payload) ? { payloadSha256: payload } : {}) };
  }
  const signed = payload.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  if (!signed && payload !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
    throw new S3Error('InvalidArgument', 400, `cairn's S3 endpoint does not decode the payload type ${payload}.`);
  }
  let previous = claim.signature;
  const decoder = new AwsChunkedDecoder(signed ? {
    verifyChunk: (signature, dataSha256) => {
      const expected = sign(key, ['AWS4-HMAC-SHA256-PAYLOAD', claim.amzDate, claim.scope, previous, EMPTY_SHA256, dataSha256].join('\n'));
      previous = signature;
      return sameSignature(expected, signature);
    },
    verifyTrailer: (signature, text) =>
      sameSignature(sign(key, ['AWS4-HMAC-SHA256-TRAILER', claim.amzDate, claim.scope, previous, sha256Hex(text)].join('\n')), signature),
  } : {});
  pipeline(req, decoder, () => undefined); // an error (a bad chunk, a reset connection) surfaces on the decoder
  return { stream: decoder, trailer: (name) => decoder.trailers.get(name) };
}

/** The whole (small) payload of a request, for XML bodies; at most `limit` bytes. */
export async function readSmallBody(body: RequestBody, limit = 2 * 1024 * 1024): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body.stream) {
    size += chunk.length;
    if (size > limit) throw new S3Error('MaxMessageLengthExceeded', 400, 'Your request was too big.');
    parts.push(chunk);
  }
  const bytes = Buffer.concat(parts);
  if (body.payloadSha256 !== undefined && body.payloadSha256 !== sha256Hex(bytes)) {
    throw new S3Error('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return bytes;
}
