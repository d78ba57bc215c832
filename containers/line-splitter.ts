import { StringDecoder } from 'node:string_decoder';
import type { LineEnd } from '../contracts/container-runtime.js';

/**
 * Turns a stream of byte chunks into complete lines. A partial line is kept until its end arrives in a later chunk;
 * UTF-8 sequences split across chunks are decoded correctly. `\n` and `\r\n` end a line; a lone `\r` (progress bars)
 * also ends one, but the empty lines it would produce are dropped. `flush()` emits what is left at end of stream.
 * The second argument says how a line ended: `\r` for a lone `\r`, `\n` otherwise (a `\r\n` split across two
 * chunks is reported as `\r`: the line is emitted when its `\r` arrives, not held back for the next chunk).
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** The previous chunk ended in `\r`: a `\n` at the start of the next one belongs to it. */
  private pendingCr = false;

  constructor(private readonly emit: (line: string, end: LineEnd) => void) {}

  push(chunk: Buffer): void {
    this.feed(this.decoder.write(chunk));
  }

  flush(): void {
    this.feed(this.decoder.end());
    this.pendingCr = false;
    if (this.partial !== '') this.emit(this.partial, '\n');
    this.partial = '';
  }

  private feed(text: string): void {
    let start = 0;
    if (this.pendingCr && text.startsWith('\n')) start = 1;
    if (text.length > 0) this.pendingCr = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this.partial + text.slice(start, i);
      this.partial = '';
      if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) {
          i++;
          this.emit(line, '\n');
        } else {
          if (i === text.length - 1) this.pendingCr = true;
          if (line !== '') this.emit(line, '\r');
        }
      } else {
        this.emit(line, '\n');
      }
      start = i + 1;
    }
    this.partial += text.slice(start);
  }
}
