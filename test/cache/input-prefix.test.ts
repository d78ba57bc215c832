import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { MemoryHashCache, treeHash } from '../../cache/hasher.js';
import { applyPrefix } from '../../cache/input-selection.js';
import { listTree, makeTemp, writeTree } from './temp-home.js';
import { createHash } from 'node:crypto';
import { words } from '../failure-words.js';

let tmp: ReturnType<typeof makeTemp>;
let store: LocalArtifactStore;
let bucket: string;
beforeEach(() => {
  tmp = makeTemp();
  store = new LocalArtifactStore(path.join(tmp.dir, 'home'), new MemoryHashCache());
  bucket = path.join(tmp.dir, 'home', 's3', 'b');
  writeTree(bucket, {
    'data/train/part-0.csv': 'p0',
    'data/train/sub/part-1.csv': 'p1',
    'data/train.csv': 'whole',
    'data/train-extra/x.csv': 'x',
    'data/test/t.csv': 't',
    'code/train.py': 'print(1)',
  });
});
afterEach(() => tmp.cleanup());

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const stage = async (uri: string, name = 'stage') => {
  const r = await store.stageInput(uri, path.join(tmp.dir, name), []);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value.hostPath;
};

describe('S3Prefix inputs', () => {
  it('a directory with a trailing slash brings everything under it, relative to it, mounted as it is', async () => {
    const h = await store.hashInput('s3://b/data/train/', []);
    expect(h).toEqual({
      ok: true,
      value: {
        hash: treeHash([
          { path: 'part-0.csv', hash: hex('p0') },
          { path: 'sub/part-1.csv', hash: hex('p1') },
        ]),
        files: 2,
        bytes: 4,
      },
    });
    expect(await stage('s3://b/data/train/')).toBe(path.join(bucket, 'data/train'));
  });

  it('a directory whose name is also a prefix of siblings brings the siblings too (S3 key-prefix semantics)', async () => {
    const staged = await stage('s3://b/data/train');
    expect(listTree(staged)).toEqual(['-extra/x.csv', '.csv', 'part-0.csv', 'sub/part-1.csv']);
    expect(staged).toBe(path.join(tmp.dir, 'stage'));
  });

  it('a directory with no sibling sharing its prefix is mounted as it is', async () => {
    expect(await stage('s3://b/data/test')).toBe(path.join(bucket, 'data/test'));
    const h = await store.hashInput('s3://b/data/test', []);
    expect(h.ok && h.value.hash).toBe(treeHash([{ path: 't.csv', hash: hex('t') }]));
  });

  it('exactly one file brings that file under its own name', async () => {
    const staged = await stage('s3://b/code/train.py');
    expect(listTree(staged)).toEqual(['train.py']);
    // data/train.csv is also a prefix of nothing else: only the file itself, even with siblings starting with it
    writeTree(bucket, { 'data/train.csv.bak': 'old' });
    expect(listTree(await stage('s3://b/data/train.csv', 'stage2'))).toEqual(['train.csv']);
  });

  it('a partial prefix brings every key starting with it, relative to the prefix string', async () => {
    const staged = await stage('s3://b/data/tr');
    expect(listTree(staged)).toEqual(['ain-extra/x.csv', 'ain.csv', 'ain/part-0.csv', 'ain/sub/part-1.csv']);
    const h = await store.hashInput('s3://b/data/tr', []);
    expect(h.ok && h.value.files).toBe(4);
  });

  it('a whole bucket is a directory', async () => {
    expect(await stage('s3://b')).toBe(bucket);
    const h = await store.hashInput('s3://b/', []);
    expect(h.ok && h.value.files).toBe(6);
  });

  it('matching nothing is input-missing, naming the URI and the host path', async () => {
    for (const uri of ['s3://b/nothing', 's3://b/data/zz', 's3://nobucket/x', 's3://b/code/train.py/']) {
      const h = await store.hashInput(uri, []);
      expect(h.ok).toBe(false);
      if (h.ok) continue;
      expect(h.error).toMatchObject({ reason: 'input-missing', uri });
      expect(words(h.error, { name: '', type: '' })).toContain(uri);
      expect(words(h.error, { name: '', type: '' })).toContain(store.hostPath(uri).ok ? (store.hostPath(uri) as { value: string }).value : '');
      const s = await store.stageInput(uri, path.join(tmp.dir, 'never'), []);
      expect(s.ok).toBe(false);
    }
  });

  it('an existing empty directory is an empty input', async () => {
    mkdirSync(path.join(bucket, 'empty'));
    const h = await store.hashInput('s3://b/empty/', []);
    expect(h).toEqual({ ok: true, value: { hash: treeHash([]), files: 0, bytes: 0 } });
  });

  it('file:// URIs follow the same rules', async () => {
    const h = await store.hashInput(`file://${bucket}/data/test/`, []);
    expect(h.ok && h.value.hash).toBe(treeHash([{ path: 't.csv', hash: hex('t') }]));
    const bad = await store.hashInput('file://relative/x', []);
    expect(!bad.ok && bad.error.reason).toBe('invalid-arguments');
  });

  it('follows symlinks, staging their targets instead of mounting a tree that holds links', async () => {
    const outside = path.join(tmp.dir, 'outside');
    writeTree(outside, { 'real.csv': 'real' });
    symlinkSync(path.join(outside, 'real.csv'), path.join(bucket, 'data/test/link.csv'));
    const staged = await stage('s3://b/data/test/');
    expect(staged).toBe(path.join(tmp.dir, 'stage'));
    expect(listTree(staged)).toEqual(['link.csv', 't.csv']);
    const h = await store.hashInput('s3://b/data/test/', []);
    expect(h.ok && h.value.hash).toBe(
      treeHash([
        { path: 'link.csv', hash: hex('real') },
        { path: 't.csv', hash: hex('t') },
      ]),
    );
    symlinkSync(path.join(bucket, 'data'), path.join(bucket, 'data/test/loop'));
    const loop = await store.hashInput('s3://b/data/test/', []);
    expect(words(!loop.ok && loop.error, { name: '', type: '' })).toMatch(/loops back/);
  });

  it('reports keys that would collide after removing the prefix', () => {
    const r = applyPrefix([{ key: 'train/a', item: 1 }, { key: 'traina', item: 2 }], 'train', false);
    expect(r.ok).toBe(false);
  });
});
