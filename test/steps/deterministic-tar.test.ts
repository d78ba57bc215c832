import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packDirectoryDeterministic } from '../../steps/deterministic-tar.js';

const tmp = mkdtempSync(join(tmpdir(), 'cairn-tar-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(root: string, mtime: number): void {
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'b.txt'), 'bee');
  writeFileSync(join(root, 'a.bin'), Buffer.from([0, 1, 2, 255]));
  writeFileSync(join(root, 'sub', 'deeper', 'z.json'), '{"z":1}');
  writeFileSync(join(root, 'sub', 'ä.txt'), 'umlaut');
  symlinkSync('b.txt', join(root, 'link'));
  for (const p of ['b.txt', 'a.bin', 'sub/deeper/z.json', 'sub', '.']) utimesSync(join(root, p), mtime, mtime);
}

describe('packDirectoryDeterministic', () => {
  it('produces byte-identical archives for the same tree, whatever the mtimes', async () => {
    tree(join(tmp, 'one'), 1_000_000);
    tree(join(tmp, 'two'), 2_000_000);
    await packDirectoryDeterministic(join(tmp, 'one'), join(tmp, 'one.tar.gz'));
    await packDirectoryDeterministic(join(tmp, 'one'), join(tmp, 'one-again.tar.gz'));
    await packDirectoryDeterministic(join(tmp, 'two'), join(tmp, 'two.tar.gz'));
    const one = readFileSync(join(tmp, 'one.tar.gz'));
    expect(readFileSync(join(tmp, 'one-again.tar.gz')).equals(one)).toBe(true);
    expect(readFileSync(join(tmp, 'two.tar.gz')).equals(one)).toBe(true);
    const listing = execFileSync('tar', ['-tvzf', join(tmp, 'one.tar.gz'), '--numeric-owner'], { encoding: 'utf8' }).trim().split('\n');
    expect(listing.map((l) => l.split(/\s+/).slice(5).join(' '))).toEqual([
      'a.bin',
      'b.txt',
      'empty/',
      'link -> b.txt',
      'sub/',
      'sub/deeper/',
      'sub/deeper/z.json',
      'sub/ä.txt',
    ]);
    for (const l of listing) expect(l).toMatch(/ 0\/0 /);
  });

  it('packs an empty directory', async () => {
    mkdirSync(join(tmp, 'nothing'));
    await packDirectoryDeterministic(join(tmp, 'nothing'), join(tmp, 'nothing.tar.gz'));
    expect(execFileSync('tar', ['-tzf', join(tmp, 'nothing.tar.gz')], { encoding: 'utf8' })).toBe('');
  });
});
