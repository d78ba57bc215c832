import type { IncomingMessage, ServerResponse } from 'node:http';
import type { S3Principal } from '../../contracts/s3-endpoint.js';
import type { BackendContext } from './object-backend.js';
import type { RequestBody } from './request-body.js';
import type { Route } from './request-routing.js';
import type { ChecksumAlgorithm } from './checksums.js';
import { isComputed } from './checksums.js';
import { header } from './http-response.js';

/** What an S3 operation handler gets: the store backend, the authenticated attempt, the request and its response. */
export interface OperationContext extends BackendContext {
  region: string;
  principal: S3Principal;
  req: IncomingMessage;
  res: ServerResponse;
  route: Route;
  body: RequestBody;
  log: (line: string) => void;
}

/** The bucket and key of an object operation (the router guarantees both). */
export function objectOf(ctx: OperationContext): { bucket: string; key: string } {
  return { bucket: ctx.route.bucket as string, key: ctx.route.key as string };
}

/**
 * The flexible checksum a write carries: its algorithm (x-amz-sdk-checksum-algorithm / x-amz-checksum-algorithm, an
 * `x-amz-checksum-<algorithm>` header, or the aws-chunked trailer it announces) and the value, when known up front.
 */
export function requestChecksum(ctx: OperationContext): { algorithm: string; value: () => string | undefined } | undefined {
  const named = header(ctx.req, 'x-amz-sdk-checksum-algorithm') ?? header(ctx.req, 'x-amz-checksum-algorithm');
  const trailer = header(ctx.req, 'x-amz-trailer')?.trim().toLowerCase();
  const inHeader = Object.keys(ctx.req.headers).find((h) => h.startsWith('x-amz-checksum-') && h !== 'x-amz-checksum-algorithm'
    && h !== 'x-amz-checksum-mode' && h !== 'x-amz-checksum-type');
  const algorithm = (named?.toLowerCase() ?? trailer?.slice('x-amz-checksum-'.length) ?? inHeader?.slice('x-amz-checksum-'.length));
  if (algorithm === undefined || algorithm === '') return undefined;
  const name = `x-amz-checksum-${algorithm}`;
  return { algorithm, value: () => header(ctx.req, name) ?? ctx.body.trailer(name) };
}

export function computedAlgorithm(a: string | undefined): ChecksumAlgorithm | undefined {
  return a !== undefined && isComputed(a) ? a : undefined;
}
