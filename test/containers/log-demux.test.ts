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

function splitAll(text: string, size: number): string[] {
  const out: string[] = [];
  const s = new LineSplitter((l) => out.push(l));
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
