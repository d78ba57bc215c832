import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from './s3-error.js';

/**
 * Decodes `Content-Encoding: aws-chunked` bodies: `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n` … then a
 * zero-size chunk and, for the `…-TRAILER` payloads boto3 ≥ 1.36 and the JS SDK send by default, trailer lines
 * (`x-amz-checksum-crc32:<base64>`, `x-amz-trailer-signature:<sig>`) and an empty line. Chunk signatures are checked
 * through `verifyChunk` when the payload is signed (STREAMING-AWS4-HMAC-SHA256-PAYLOAD…). Only the data passes on.
 */
export interface ChunkedOptions {
  /** For a signed stream: is `signature` right for a chunk whose data hashes (sha256 hex) to `dataSha256`? */
  verifyChunk?: (signature: string, dataSha256: string) => boolean;
  /** For a signed trailer: is `signature` right for the trailer text (`name:value\n` lines)? */
  verifyTrailer?: (signature: string, trailerText: string) => boolean;
}

const MAX_LINE = 8192;

const incomplete = (what: string): S3Error => new S3Error('IncompleteBody', 400, `The aws-chunked body is malformed: ${what}.`);
const badChunkSignature = (): S3Error =>
  new S3Error('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided (an aws-chunked chunk).');

export class AwsChunkedDecoder extends Transform {
  /** Trailer headers (lower-case names), known once the stream has ended. */
  readonly trailers = new Map<string, string>();
  private state: 'size' | 'data' | 'crlf' | 'trailer' | 'done' = 'size';
  private line = '';
  private remaining = 0;
  private signature: string | undefined;
  private chunkHash: Hash | undefined;
  private trailerText = '';

  constructor(private readonly opts: ChunkedOptions = {}) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.consume(chunk);
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.state === 'done' ? undefined : incomplete('it ended before its last chunk'));
  }

  private consume(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      if (this.state === 'data') {
        const n = Math.min(this.remaining, buf.length - i);
        const piece = buf.subarray(i, i + n);
        this.chunkHash?.update(piece);
        this.push(piece);
        this.remaining -= n;
        i += n;
        if (this.remaining === 0) this.endChunk();
        continue;
      }
      if (this.state === 'done') {
        if (buf[i] !== 0x0d && buf[i] !== 0x0a) throw incomplete('bytes follow its last chunk');
        i++;
        continue;
      }
      const nl = buf.indexOf(0x0a, i);
      const end = nl === -1 ? buf.length : nl + 1;
      this.line += buf.toString('latin1', i, end);
      i = end;
      if (this.line.length > MAX_LINE) throw incomplete('a line is too long');
      if (nl !== -1) {
        const line = this.line.replace(/\r?\n$/, '');
        this.line = '';
        this.onLine(line);
      }
    }
  }

  private onLine(line: string): void {
    if (this.state === 'crlf') {
      if (line !== '') throw incomplete('a chunk is longer than its size');
      this.state = 'size';
      return;
    }
    if (this.state === 'trailer') return this.onTrailerLine(line);
    const [sizeText, ...ext] = line.split(';');
    if (sizeText === undefined || !/^[0-9a-fA-F]+$/.test(sizeText)) throw incomplete(`"${line.slice(0, 40)}" is not a chunk size`);
    this.remaining = parseInt(sizeText, 16);
    this.signature = ext.find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
    if (this.opts.verifyChunk !== undefined && this.signature === undefined) throw badChunkSignature();
    this.chunkHash = this.opts.verifyChunk !== undefined ? createHash('sha256') : undefined;
    if (this.remaining === 0) {
      this.checkChunk();
      this.state = 'trailer';
    } else this.state = 'data';
  }

  private endChunk(): void {
    this.checkChunk();
    this.state = 'crlf';
  }

  private checkChunk(): void {
    if (this.opts.verifyChunk === undefined) return;
    const hash = (this.chunkHash ?? createHash('sha256')).digest('hex');
    if (!this.opts.verifyChunk(this.signature as string, hash)) throw badChunkSignature();
  }

  private onTrailerLine(line: string): void {
    if (line === '') {
      this.state = 'done';
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw incomplete(`"${line.slice(0, 40)}" is not a trailer`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') {
      if (this.opts.verifyTrailer !== undefined && !this.opts.verifyTrailer(value, this.trailerText)) throw badChunkSignature();
      return;
    }
    this.trailers.set(name, value);
    this.trailerText += `${name}:${value}\n`;
  }
}
