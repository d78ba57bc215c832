import { S3Error } from './s3-error.js';

/**
 * The `Range` header of a GetObject as S3 reads it: one range `bytes=a-b`, `bytes=a-` or `bytes=-n` (the last n
 * bytes). A header S3 would ignore (another unit, several ranges, a > b, no digits) gives undefined: the whole
 * object, 200. A start at or past the end, or a zero-length suffix, is 416 InvalidRange.
 */
export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export function parseRange(value: string | undefined, size: number): ByteRange | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (m === null) return undefined;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const n = Number(b);
    if (n === 0 || size === 0) throw invalidRange(value, size);
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  if (b !== '' && Number(b) < start) return undefined;
  if (start >= size) throw invalidRange(value, size);
  return { start, end: b === '' ? size - 1 : Math.min(Number(b), size - 1) };
}

export function invalidRange(requested: string, size: number): S3Error {
  return new S3Error('InvalidRange', 416, 'The requested range is not satisfiable', {
    RangeRequested: requested, ActualObjectSize: String(size),
  });
}
