import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { renameSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashFiles, MemoryHashCache, sha256File, treeHash, type HashCache } from '../../cache/hasher.js';
import { makeTemp, writeTree } from './temp-home.js';

let tmp: ReturnType<typeof makeTemp>;
beforeEach(() => (tmp = makeTemp()));
afterEach(() => tmp.cleanup());

const hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** A sha256File that counts its calls. */
function counting(): { calls: string[]; hashFile: typeof sha256File } {
  const calls: string[] = [];
  return { calls, hashFile: (p, o) => (calls.push(path.basename(p)), sha256File(p, o)) };
}

describe('sha256File', () => {
  it('agrees with sha256sum on empty, small and multi-chunk files', async () => {
    const big = Buffer.alloc(9 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    writeFileSync(path.join(tmp.dir, 'big'), big);
    writeTree(tmp.dir, { empty: '', small: 'hello\n' });
    for (const name of ['empty', 'small', 'big']) {
      const p = path.join(tmp.dir, name);
      const expected = execFileSync('sha256sum', [p], { encoding: 'utf8' }).split(' ')[0];
      const got = await sha256File(p);
      expect(got.hash).toBe(expected);
      // a small reused buffer forces many reads
      expect((await sha256File(p, { buffer: Buffer.alloc(1000) })).hash).toBe(expected);
    }
    expect((await sha256File(path.join(tmp.dir, 'big'))).size).toBe(big.length);
  });
});

describe('treeHash', () => {
  const base = [
    { path: 'b.txt', hash: hex('b') },
    { path: 'a/x.csv', hash: hex('x') },
  ];

  it('is the documented format and independent of input order', () => {
    const lines = `${hex('x')} a/x.csv\n${hex('b')} b.txt\n`;
    expect(treeHash(base)).toBe(`sha256:${hex(lines)}`);
    expect(treeHash([...base].reverse())).toBe(treeHash(base));
    expect(treeHash([])).toBe(`sha256:${hex('')}`);
  });

  it('sorts bytewise (UTF-8), not by UTF-16 code units', () => {
    const astral = '\u{1F600}'; // UTF-16 D83D…, UTF-8 F0…
    const bmp = '\uFF01'; // UTF-16 FF01 (> D83D), UTF-8 EF… (< F0)
    const entries = [
      { path: astral, hash: hex('1') },
      { path: bmp, hash: hex('2') },
    ];
    expect(treeHash(entries)).toBe(`sha256:${hex(`${hex('2')} ${bmp}\n${hex('1')} ${astral}\n`)}`);
  });

  it('changes with content and with names', () => {
    const h = treeHash(base);
    expect(treeHash([{ ...base[0]!, hash: hex('B') }, base[1]!])).not.toBe(h);
    expect(treeHash([{ ...base[0]!, path: 'c.txt' }, base[1]!])).not.toBe(h);
    expect(treeHash([base[1]!])).not.toBe(h);
  });
});

describe('hashFiles with a stat cache', () => {
  it('re-hashes only files whose size, mtime or inode changed', async () => {
    writeTree(tmp.dir, { a: 'aaa', b: 'bbb', c: 'ccc', d: 'ddd' });
    const req = ['a', 'b', 'c', 'd'].map((n) => ({ path: path.join(tmp.dir, n) }));
    const cache: HashCache = new MemoryHashCache();
    const c = counting();
    const first = await hashFiles(req, cache, { hashFile: c.hashFile });
    expect(c.calls.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(first.map((f) => f.hash)).toEqual(['aaa', 'bbb', 'ccc', 'ddd'].map(hex));

    c.calls.length = 0;
    const again = await hashFiles(req, cache, { hashFile: c.hashFile });
    expect(c.calls).toEqual([]);
    expect(again.map((f) => f.computed)).toEqual([false, false, false, false]);

    writeFileSync(path.join(tmp.dir, 'a'), 'aaaa'); // size
    utimesSync(path.join(tmp.dir, 'b'), new Date(2001, 1, 1), new Date(2001, 1, 1)); // mtime only
    const stat = { mtime: new Date(2002, 1, 1) };
    writeFileSync(path.join(tmp.dir, 'c.new'), 'CCC'); // same size, new inode, same mtime
    utimesSync(path.join(tmp.dir, 'c.new'), stat.mtime, stat.mtime);
    utimesSync(path.join(tmp.dir, 'c'), stat.mtime, stat.mtime);
    await hashFiles([req[2]!], cache); // learn c with the new mtime
    renameSync(path.join(tmp.dir, 'c.new'), path.join(tmp.dir, 'c'));
    const third = await hashFiles(req, cache, { hashFile: c.hashFile });
    expect(c.calls.sort()).toEqual(['a', 'b', 'c']);
    expect(third.map((f) => f.hash)).toEqual([hex('aaaa'), hex('bbb'), hex('CCC'), hex('ddd')]);
  });

  it('bounds concurrency', async () => {
    writeTree(tmp.dir, Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, `${i}`])));
    let inFlight = 0;
    let peak = 0;
    const hashFile: typeof sha256File = async (p, o) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      try {
        return await sha256File(p, o);
      } finally {
        inFlight--;
      }
    };
    const req = Array.from({ length: 12 }, (_, i) => ({ path: path.join(tmp.dir, `f${i}`) }));
    await hashFiles(req, new MemoryHashCache(), { concurrency: 2, hashFile });
    expect(peak).toBe(2);
  });
});
