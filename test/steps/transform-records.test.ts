import { describe, expect, it } from 'vitest';
import { assembleResponses, splitPayloads } from '../../steps/transform-records.js';

const bodies = (r: ReturnType<typeof splitPayloads>): string[] => {
  if (!r.ok) throw new Error(r.error);
  return r.value.map((p) => p.body.toString());
};

describe('splitPayloads', () => {
  const data = Buffer.from('a,1\n\nb,2\r\nc,3');

  it('SplitType None sends the whole file; Line splits at newlines, keeping them and skipping empty lines', () => {
    expect(bodies(splitPayloads(data, 'None', 'MultiRecord', 6))).toEqual(['a,1\n\nb,2\r\nc,3']);
    expect(bodies(splitPayloads(data, 'Line', 'SingleRecord', 6))).toEqual(['a,1\n', 'b,2\r\n', 'c,3']);
    const multi = splitPayloads(data, 'Line', 'MultiRecord', 6);
    expect(bodies(multi)).toEqual(['a,1\n\nb,2\r\nc,3']);
    if (multi.ok) expect(multi.value.map((p) => [p.first, p.count])).toEqual([[0, 3]]);
  });

  it('MultiRecord fills each request up to MaxPayloadInMB with whole records; 0 means no limit', () => {
    const line = `${'x'.repeat(400 * 1024 - 1)}\n`;
    const big = Buffer.from(line.repeat(6));
    const r = splitPayloads(big, 'Line', 'MultiRecord', 1);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.map((p) => [p.first, p.count])).toEqual([[0, 2], [2, 2], [4, 2]]);
    expect(r.value.every((p) => p.body.length === 2 * line.length)).toBe(true);
    expect(splitPayloads(big, 'Line', 'MultiRecord', 0).ok && splitPayloads(big, 'Line', 'MultiRecord', 0)).toMatchObject({ value: [{ count: 6 }] });
  });

  it('refuses a file or a record larger than the limit', () => {
    const big = Buffer.alloc(2 * 1024 * 1024 + 1, 0x61);
    expect(splitPayloads(big, 'None', 'MultiRecord', 2)).toEqual({ ok: false, error: 'it is 2.00 MB, more than MaxPayloadInMB (2); split it with TransformInput.SplitType "Line" or raise MaxPayloadInMB' });
    expect(splitPayloads(big, 'Line', 'SingleRecord', 1)).toEqual({ ok: false, error: 'its record 1 is 2.00 MB, more than MaxPayloadInMB (1); raise MaxPayloadInMB' });
  });
});

describe('assembleResponses', () => {
  it('Line ends every answer with exactly one newline; None concatenates', () => {
    const answers = [Buffer.from('1'), Buffer.from('2\n'), Buffer.from('')];
    expect(assembleResponses(answers, 'Line').toString()).toBe('1\n2\n\n');
    expect(assembleResponses(answers, 'None').toString()).toBe('12\n');
  });
});
