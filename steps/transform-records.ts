import { err, ok, type Result } from '../kernel/result.js';
import type { BatchStrategy, SplitType } from './transform-job.js';

/** One POST /invocations body: `count` records starting at record `first` (0-based) of the file. */
export interface Payload {
  body: Buffer;
  first: number;
  count: number;
}

const NEWLINE = 0x0a;
const MB = 1024 * 1024;

/**
 * Splits one input file into request bodies as batch transform does. SplitType None: the whole file is one request.
 * SplitType Line: records end at each newline (the newline stays part of its record; empty lines are not records);
 * SingleRecord sends one record per request, MultiRecord as many whole records as fit in `maxPayloadMB` (0: no limit).
 * A file or record larger than the limit is an error (a complete sentence naming the limit).
 */
export function splitPayloads(data: Buffer, split: SplitType, strategy: BatchStrategy, maxPayloadMB: number): Result<Payload[], string> {
  const limit = maxPayloadMB > 0 ? maxPayloadMB * MB : Infinity;
  if (split === 'None') {
    if (data.length > limit) return err(`it is ${mb(data.length)} MB, more than MaxPayloadInMB (${maxPayloadMB}); split it with TransformInput.SplitType "Line" or raise MaxPayloadInMB`);
    return ok([{ body: data, first: 0, count: 1 }]);
  }
  const records = lineRecords(data);
  const out: Payload[] = [];
  let start = -1;
  let end = 0;
  let first = 0;
  let count = 0;
  const flush = (): void => {
    if (count > 0) out.push({ body: data.subarray(start, end), first, count });
    count = 0;
  };
  for (const [i, [s, e]] of records.entries()) {
    if (e - s > limit) return err(`its record ${i + 1} is ${mb(e - s)} MB, more than MaxPayloadInMB (${maxPayloadMB}); raise MaxPayloadInMB`);
    if (strategy === 'SingleRecord' || (count > 0 && e - start > limit)) flush();
    if (count === 0) {
      start = s;
      first = i;
    }
    end = e;
    count += 1;
  }
  flush();
  return ok(out);
}

/** [start, end) of every non-empty line, its newline included. */
function lineRecords(data: Buffer): [number, number][] {
  const out: [number, number][] = [];
  let s = 0;
  while (s < data.length) {
    const nl = data.indexOf(NEWLINE, s);
    const e = nl === -1 ? data.length : nl + 1;
    if (!isBlank(data, s, e)) out.push([s, e]);
    s = e;
  }
  return out;
}

function isBlank(data: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (data[i] !== NEWLINE && data[i] !== 0x0d) return false;
  return true;
}

/**
 * The output file from the responses, in request order. AssembleWith Line ends every response with a newline (one
 * is added only where the response does not already end with one); None concatenates them as they are.
 */
export function assembleResponses(responses: readonly Buffer[], assembleWith: 'None' | 'Line'): Buffer {
  if (assembleWith === 'None') return Buffer.concat(responses);
  const parts: Buffer[] = [];
  for (const r of responses) {
    parts.push(r);
    if (r.length === 0 || r[r.length - 1] !== NEWLINE) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

function mb(bytes: number): string {
  return (bytes / MB).toFixed(2);
}
