import type { LineEnd } from '../contracts/container-runtime.js';
import { LineSplitter } from './line-splitter.js';

export type LogStream = 'stdout' | 'stderr';

/**
 * Decodes Docker's multiplexed attach stream (8-byte frame header: stream type, 3 zero bytes, big-endian length)
 * into lines per stream. Frames may be split across chunks at any byte.
 */
export class LogDemux {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly out: LineSplitter;
  private readonly err: LineSplitter;

  constructor(onLine: (line: string, stream: LogStream, end: LineEnd) => void) {
    this.out = new LineSplitter((l, end) => onLine(l, 'stdout', end));
    this.err = new LineSplitter((l, end) => onLine(l, 'stderr', end));
  }

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    while (this.buffer.length - offset >= 8) {
      const type = this.buffer[offset];
      const size = this.buffer.readUInt32BE(offset + 4);
      if (this.buffer.length - offset - 8 < size) break;
      const payload = this.buffer.subarray(offset + 8, offset + 8 + size);
      (type === 2 ? this.err : this.out).push(payload);
      offset += 8 + size;
    }
    this.buffer = offset === 0 ? this.buffer : this.buffer.subarray(offset);
  }

  /** End of stream: emits partial last lines. */
  flush(): void {
    this.out.flush();
    this.err.flush();
  }
}
