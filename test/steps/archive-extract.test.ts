import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { create } from 'tar';
import { ArchiveRefusal, extractArchive } from '../../steps/archive-extract.js';
import { makeTemp } from '../cache/temp-home.js';

let tmp: ReturnType<typeof makeTemp>;
let src: string;
let dest: string;
beforeEach(() => {
  tmp = makeTemp('cairn-archive-');
  src = path.join(tmp.dir, 'src');
  dest = path.join(tmp.dir, 'dest');
  mkdirSync(src);
  mkdirSync(dest);
});
afterEach(() => tmp.cleanup());

async function pack(entries: string[], opts: { preservePaths?: boolean; cwd?: string } = {}): Promise<string> {
  const file = path.join(tmp.dir, `a-${Math.random().toString(36).slice(2)}.tar.gz`);
  await create({ file, gzip: true, cwd: opts.cwd ?? src, portable: false, preservePaths: opts.preservePaths ?? false }, entries);
  return file;
}

describe('extractArchive', () => {
  it('extracts files, directories and links inside the archive, with their permission bits', async () => {
    mkdirSync(path.join(src, 'code'));
    writeFileSync(path.join(src, 'code', 'train.py'), 'print(1)');
    chmodSync(path.join(src, 'code', 'train.py'), 0o755);
    symlinkSync('train.py', path.join(src, 'code', 'main.py'));
    await extractArchive(await pack(['code']), dest);
    expect(readFileSync(path.join(dest, 'code', 'train.py'), 'utf8')).toBe('print(1)');
    expect(statSync(path.join(dest, 'code', 'train.py')).mode & 0o777).toBe(0o755);
    expect(readlinkSync(path.join(dest, 'code', 'main.py'))).toBe('train.py');
  });

  it('never sets a setuid, setgid or sticky bit on the host', async () => {
    writeFileSync(path.join(src, 'su'), '#!/bin/sh\n');
    chmodSync(path.join(src, 'su'), 0o6755);
    mkdirSync(path.join(src, 'shared'));
    chmodSync(path.join(src, 'shared'), 0o3777);
    expect(statSync(path.join(src, 'su')).mode & 0o7000).toBe(0o6000); // the archive really carries the bits
    await extractArchive(await pack(['su', 'shared']), dest);
    expect(statSync(path.join(dest, 'su')).mode & 0o7777).toBe(0o755);
    expect(statSync(path.join(dest, 'shared')).mode & 0o7000).toBe(0);
  });

  it('refuses a ".." member before anything is written', async () => {
    writeFileSync(path.join(src, 'first.py'), 'ok');
    mkdirSync(path.join(src, 'inner'));
    writeFileSync(path.join(tmp.dir, 'evil'), 'x');
    const file = await pack(['first.py', 'inner/../../evil'], { preservePaths: true });
    await expect(extractArchive(file, dest)).rejects.toThrow(ArchiveRefusal);
    await expect(extractArchive(file, dest)).rejects.toThrow(/member "inner\/\.\.\/\.\.\/evil" climbs out/);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('refuses an absolute member and a link leading outside, before anything is written', async () => {
    writeFileSync(path.join(src, 'first.py'), 'ok');
    const outside = path.join(tmp.dir, 'outside.txt');
    writeFileSync(outside, 'host');
    await expect(extractArchive(await pack(['first.py', outside], { preservePaths: true }), dest)).rejects.toThrow(/has an absolute path/);
    symlinkSync('/etc/shadow', path.join(src, 'shadow'));
    await expect(extractArchive(await pack(['first.py', 'shadow']), dest)).rejects.toThrow(/symbolic link to \/etc\/shadow/);
    mkdirSync(path.join(src, 'd'));
    symlinkSync('../..', path.join(src, 'd', 'up'));
    await expect(extractArchive(await pack(['first.py', 'd']), dest)).rejects.toThrow(/"d\/up" is a symbolic link to \.\.\/\.\./);
    expect(readdirSync(dest)).toEqual([]);
    expect(existsSync(path.join(dest, 'first.py'))).toBe(false);
    expect(lstatSync(outside).isFile()).toBe(true);
  });
});
