import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedOutput } from '../../contracts/artifacts.js';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { blobPath } from '../../cache/cas.js';
import { MemoryHashCache, treeHash } from '../../cache/hasher.js';
import { listTree, makeTemp, writeTree } from './temp-home.js';
import { words } from '../failure-words.js';

let tmp: ReturnType<typeof makeTemp>;
let home: string;
let store: LocalArtifactStore;
let cache: MemoryHashCache;
beforeEach(() => {
  tmp = makeTemp();
  home = path.join(tmp.dir, 'home');
  cache = new MemoryHashCache();
  store = new LocalArtifactStore(home, cache);
});
afterEach(() => tmp.cleanup());

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const s3 = (rel: string) => path.join(home, 's3', rel);

async function commitTree(files: Record<string, string>, dest: string, name = 'train'): Promise<RecordedOutput> {
  const out = path.join(tmp.dir, `out-${Math.random().toString(36).slice(2)}`);
  mkdirSync(out, { recursive: true });
  writeTree(out, files);
  const r = await store.commitDirectory(name, out, dest);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('commitDirectory', () => {
  it('moves files into the CAS (read-only) and hard-links them at the destination', async () => {
    const rec = await commitTree({ 'b.csv': 'bb', 'a/x.csv': 'xx', 'dup.csv': 'bb' }, 's3://bk/run1/train');
    expect(rec).toEqual({
      name: 'train',
      uri: 's3://bk/run1/train',
      isFile: false,
      hash: treeHash([
        { path: 'a/x.csv', hash: hex('xx') },
        { path: 'b.csv', hash: hex('bb') },
        { path: 'dup.csv', hash: hex('bb') },
      ]),
      files: [
        { path: 'a/x.csv', hash: hex('xx'), size: 2 },
        { path: 'b.csv', hash: hex('bb'), size: 2 },
        { path: 'dup.csv', hash: hex('bb'), size: 2 },
      ],
    });
    const blob = blobPath(home, hex('bb'));
    expect(statSync(blob).mode & 0o777).toBe(0o444);
    expect(statSync(s3('bk/run1/train/b.csv')).ino).toBe(statSync(blob).ino);
    expect(statSync(s3('bk/run1/train/dup.csv')).ino).toBe(statSync(blob).ino);
    expect(readFileSync(s3('bk/run1/train/a/x.csv'), 'utf8')).toBe('xx');
    // hashing the destination afterwards is answered by the stat cache and agrees with the record
    const h = await store.hashInput('s3://bk/run1/train', []);
    expect(h.ok && h.value.hash).toBe(rec.hash);
  });

  it('keeps other files at the destination (like S3) and replaces same-named ones', async () => {
    writeTree(s3('bk/out'), { 'old.txt': 'old', 'b.csv': 'previous' });
    await commitTree({ 'b.csv': 'new' }, 's3://bk/out/');
    expect(listTree(s3('bk/out'))).toEqual(['b.csv', 'old.txt']);
    expect(readFileSync(s3('bk/out/b.csv'), 'utf8')).toBe('new');
  });

  it('commits an empty output as an empty directory', async () => {
    const rec = await commitTree({}, 's3://bk/empty');
    expect(rec.files).toEqual([]);
    expect(rec.hash).toBe(treeHash([]));
    expect(statSync(s3('bk/empty')).isDirectory()).toBe(true);
  });

  it('keeps a symlink to a file of the output as a link (its target recorded), not a copy of the target', async () => {
    const out = path.join(tmp.dir, 'out-link');
    writeTree(out, { 'model-3.bin': 'weights' });
    symlinkSync('model-3.bin', path.join(out, 'latest.bin'));
    const r = await store.commitDirectory('model', out, 's3://bk/m');
    expect(r.ok && r.value.files.map((f) => [f.path, f.hash, f.link])).toEqual([
      ['latest.bin', hex('model-3.bin'), 'model-3.bin'],
      ['model-3.bin', hex('weights'), undefined],
    ]);
    expect(readFileSync(s3('bk/m/latest.bin'), 'utf8')).toBe('weights');
  });

  it('fails clearly and leaves no partial or temp file when the destination is blocked', async () => {
    // "sub" must be a directory at the destination, but a file is in the way
    writeTree(s3('bk/blocked'), { sub: 'i am a file', 'keep.txt': 'k' });
    const out = path.join(tmp.dir, 'out-blocked');
    writeTree(out, { 'a.csv': 'aa', 'sub/deep.csv': 'dd', 'z.csv': 'zz' });
    const r = await store.commitDirectory('features', out, 's3://bk/blocked');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.reason).toBe('output-commit');
    expect(r.error).toMatchObject({ output: 'features' });
    expect(words(r.error, { name: '', type: '' })).toContain('"features"');
    expect(words(r.error, { name: '', type: '' })).toContain('s3://bk/blocked');
    expect(words(r.error, { name: '', type: '' })).toMatch(/not a directory|file already exists/);
    const left = listTree(s3('bk/blocked'));
    expect(left.filter((f) => f.includes('.cairn-tmp-'))).toEqual([]);
    expect(readFileSync(s3('bk/blocked/sub'), 'utf8')).toBe('i am a file');
    for (const f of left) expect(['a.csv', 'keep.txt', 'sub', 'z.csv']).toContain(f);
    if (left.includes('a.csv')) expect(readFileSync(s3('bk/blocked/a.csv'), 'utf8')).toBe('aa');
  });

  it('rejects a destination it cannot map', async () => {
    const out = path.join(tmp.dir, 'o');
    mkdirSync(out);
    const r = await store.commitDirectory('x', out, 'gs://bucket/x');
    expect(!r.ok && r.error).toMatchObject({ reason: 'output-commit', output: 'x' });
  });
});

describe('commitFile', () => {
  it('places one file exactly at the destination', async () => {
    const f = path.join(tmp.dir, 'model.tar.gz');
    writeFileSync(f, 'tarball');
    const r = await store.commitFile('model', f, 's3://bk/job/output/model.tar.gz');
    expect(r.ok && r.value).toEqual({
      name: 'model',
      uri: 's3://bk/job/output/model.tar.gz',
      isFile: true,
      hash: treeHash([{ path: 'model.tar.gz', hash: hex('tarball') }]),
      files: [{ path: 'model.tar.gz', hash: hex('tarball'), size: 7 }],
    });
    expect(existsSync(f)).toBe(false);
    const h = await store.hashInput('s3://bk/job/output/model.tar.gz', []);
    expect(r.ok && h.ok && h.value.hash).toBe(r.ok && r.value.hash);
  });

  it('refuses to replace a directory with a file, leaving no temp file', async () => {
    mkdirSync(s3('bk/dir/model.tar.gz'), { recursive: true });
    const f = path.join(tmp.dir, 'model.tar.gz');
    writeFileSync(f, 'tarball');
    const r = await store.commitFile('model', f, 's3://bk/dir/model.tar.gz');
    expect(!r.ok && r.error.reason).toBe('output-commit');
    expect(readdirSync(s3('bk/dir'))).toEqual(['model.tar.gz']);
  });
});

describe('upstream outputs and staging', () => {
  it('commit then stage round-trips the bytes into private copies (never the inode of the blob or the s3/ view)', async () => {
    const rec = await commitTree({ 'p.csv': 'pp', 'q/r.csv': 'rr' }, 's3://bk/prep/train');
    const staged = await store.stageInput('s3://bk/prep/train/', path.join(tmp.dir, 'stage'), [rec]);
    if (!staged.ok) throw new Error(JSON.stringify(staged.error));
    expect(staged.value.hostPath).toBe(path.join(tmp.dir, 'stage'));
    expect(listTree(staged.value.hostPath)).toEqual(['p.csv', 'q/r.csv']);
    expect(statSync(path.join(staged.value.hostPath, 'p.csv')).ino).not.toBe(statSync(blobPath(home, hex('pp'))).ino);
    expect(statSync(path.join(staged.value.hostPath, 'q/r.csv')).ino).not.toBe(statSync(s3('bk/prep/train/q/r.csv')).ino);
    expect(readFileSync(path.join(staged.value.hostPath, 'p.csv'), 'utf8')).toBe('pp');
    expect(readFileSync(path.join(staged.value.hostPath, 'q/r.csv'), 'utf8')).toBe('rr');
  });

  it('serves the recorded bytes even after the destination was overwritten', async () => {
    const rec = await commitTree({ 'p.csv': 'recorded', 'q/r.csv': 'rr' }, 's3://bk/prep/train');
    rmSync(s3('bk/prep/train/p.csv'));
    writeFileSync(s3('bk/prep/train/p.csv'), 'overwritten');
    const fromDisk = await store.hashInput('s3://bk/prep/train', []);
    const fromRecord = await store.hashInput('s3://bk/prep/train/', [rec]);
    expect(fromRecord).toEqual({ ok: true, value: { hash: rec.hash, files: 2, bytes: 10 } });
    expect(fromDisk.ok && fromDisk.value.hash).not.toBe(rec.hash);
    const staged = await store.stageInput('s3://bk/prep/train', path.join(tmp.dir, 'stage'), [rec]);
    expect(staged.ok && readFileSync(path.join(staged.value.hostPath, 'p.csv'), 'utf8')).toBe('recorded');
  });

  it('serves a URI under a recorded output from its manifest with prefix semantics', async () => {
    const rec = await commitTree({ 'q/r.csv': 'rr', 'q/s.csv': 'ss', 'p.csv': 'pp' }, 's3://bk/prep/train/');
    rmSync(s3('bk/prep'), { recursive: true });
    const sub = await store.hashInput('s3://bk/prep/train/q', [rec]);
    expect(sub.ok && sub.value.hash).toBe(
      treeHash([
        { path: 'r.csv', hash: hex('rr') },
        { path: 's.csv', hash: hex('ss') },
      ]),
    );
    const one = await store.stageInput('s3://bk/prep/train/q/s.csv', path.join(tmp.dir, 'one'), [rec]);
    expect(one.ok && listTree(one.value.hostPath)).toEqual(['s.csv']);
    const none = await store.hashInput('s3://bk/prep/train/zzz', [rec]);
    expect(words(!none.ok && none.error, { name: '', type: '' })).toContain('"train"');
  });

  it('serves a recorded file output by its own name', async () => {
    const f = path.join(tmp.dir, 'model.tar.gz');
    writeFileSync(f, 'tarball');
    const r = await store.commitFile('model', f, 's3://bk/job/output/model.tar.gz');
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    rmSync(s3('bk/job'), { recursive: true });
    const staged = await store.stageInput('s3://bk/job/output/model.tar.gz', path.join(tmp.dir, 'st'), [r.value]);
    expect(staged.ok && readFileSync(path.join(staged.value.hostPath, 'model.tar.gz'), 'utf8')).toBe('tarball');
  });
});
