import { StringDecoder } from 'node:string_decoder';
import type { LineEnd } from '../contracts/container-runtime.js';

/**
 * Turns a stream of byte chunks into complete lines. A partial line is kept until its end arrives in a later chunk;
 * UTF-8 sequences split across chunks are decoded correctly. `\n` and `\r\n` end a line; a lone `\r` (progress bars)
 * also ends one, but the empty lines it would produce are dropped. `flush()` emits what is left at end of stream.
 * The second argument says how a line ended: `\r` for a lone `\r`, `\n` otherwise. A line whose `\r` is a chunk's
 * last byte is held until the next chunk (or `flush()`) tells a lone `\r` from a `\r\n` split across two writes.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** The previous chunk ended in `\r`: a `\n` at the start of the next one belongs to it. */
  private pendingCr = false;
  /** The line that `\r` ended, when it was not empty: emitted once the next chunk says how it ended. */
  private held: string | undefined;

  constructor(private readonly emit: (line: string, end: LineEnd) => void) {}

  push(chunk: Buffer): void {
    this.feed(this.decoder.write(chunk));
  }

  flush(): void {
    this.feed(this.decoder.end());
    if (this.held !== undefined) this.emit(this.held, '\r');
    this.held = undefined;
    this.pendingCr = false;
    if (this.partial !== '') this.emit(this.partial, '\n');
    this.partial = '';
  }

  private feed(text: string): void {
    if (text.length === 0) return;
    let start = 0;
    if (this.pendingCr && text.startsWith('\n')) start = 1;
    this.pendingCr = false;
    if (this.held !== undefined) {
      const line = this.held;
      this.held = undefined;
      this.emit(line, start === 1 ? '\n' : '\r');
    }
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
          if (i === text.length - 1) {
            this.pendingCr = true;
            if (line !== '') this.held = line;
          } else if (line !== '') {
            this.emit(line, '\r');
          }
        }
      } else {
        this.emit(line, '\n');
      }
      start = i + 1;
    }
    this.partial += text.slice(start);
  }
}
