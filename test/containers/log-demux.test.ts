import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../containers/line-splitter.js';
import { LogDemux } from '../../containers/log-demux.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** The lines of `text` pushed in chunks of `size` bytes, each shown by `show` (the line alone by default). */
function splitAll(text: string, size: number, show: (line: string, end: string) => string = (l) => l): string[] {
  const out: string[] = [];
  const s = new LineSplitter((l, end) => out.push(show(l, end)));
  const buf = Buffer.from(text);
  for (let i = 0; i < buf.length; i += size) s.push(buf.subarray(i, i + size));
  s.flush();
  return out;
}

describe('LineSplitter', () => {
  it('gives the same lines however the bytes are chunked', () => {
    const text = 'a\nbb\r\n\nccc\r\rprogress 1\rprogress 2\ré€😀 end\r\nlast';
    const expected = ['a', 'bb', '', 'ccc', 'progress 1', 'progress 2', 'é€😀 end', 'last'];
    for (let size = 1; size <= 12; size++) expect(splitAll(text, size)).toEqual(expected);
  });

  it('does not emit an empty line for a \\r\\n split across chunks', () => {
    const out: string[] = [];
    const s = new LineSplitter((l) => out.push(l));
    s.push(Buffer.from('x\r'));
    s.push(Buffer.from('\ny\n'));
    s.flush();
    expect(out).toEqual(['x', 'y']);
  });
});

/** Each line with how it ended, as `line⏎` for `\n` and `line␍` for a lone `\r`. */
const splitEnds = (text: string, size: number): string[] => splitAll(text, size, (l, end) => `${l}${end === '\r' ? '␍' : '⏎'}`);

describe('LineSplitter: how each line ended', () => {
  it('reports a lone CR as \\r and LF, CRLF and the end of the stream as \\n, however the bytes are chunked', () => {
    const text = 'a\n\nep 1\r\rep 2 é€\rep 3\ndone\r\n50%\r100%\r\nend\r';
    for (let size = 1; size <= 14; size++) {
      expect(splitEnds(text, size), `chunks of ${size}`).toEqual(['a⏎', '⏎', 'ep 1␍', 'ep 2 é€␍', 'ep 3⏎', 'done⏎', '50%␍', '100%⏎', 'end␍']);
    }
  });

  it('tells a progress line\'s lone CR from a CRLF written in two pieces (a progress bar\'s last state, then print())', () => {
    const out: string[] = [];
    const s = new LineSplitter((l, end) => out.push(`${l}${end === '\r' ? '␍' : '⏎'}`));
    for (const w of ['10%\r', '50%\r', '100%\r', '\n', 'next\n']) s.push(Buffer.from(w));
    s.flush();
    expect(out).toEqual(['10%␍', '50%␍', '100%⏎', 'next⏎']);
  });

  it('passes the ending on through LogDemux, per stream', () => {
    const lines: string[] = [];
    const d = new LogDemux((l, s, end) => lines.push(`${s}:${l}:${JSON.stringify(end)}`));
    d.push(Buffer.concat([frame(1, '10%\r20%\r'), frame(2, 'warn\n'), frame(1, 'done\n')]));
    d.flush();
    // 20% ended its frame with \r: it waits for stdout's next bytes to tell a lone \r from a split \r\n.
    expect(lines).toEqual(['stdout:10%:"\\r"', 'stderr:warn:"\\n"', 'stdout:20%:"\\r"', 'stdout:done:"\\n"']);
  });
});

describe('LogDemux', () => {
  it('separates stdout and stderr frames split at any byte', () => {
    const data = Buffer.concat([frame(1, 'out one\nout '), frame(2, 'err one\n'), frame(1, 'two\n'), frame(2, 'err partial')]);
    for (let size = 1; size <= data.length; size += 3) {
      const lines: string[] = [];
      const d = new LogDemux((l, s) => lines.push(`${s}:${l}`));
      for (let i = 0; i < data.length; i += size) d.push(data.subarray(i, i + size));
      d.flush();
      expect(lines).toEqual(['stdout:out one', 'stderr:err one', 'stdout:out two', 'stderr:err partial']);
    }
  });
});
