import { appendFileSync, chmodSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedOutput } from '../../contracts/artifacts.js';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { checkBlob } from '../../cache/blob-check.js';
import { blobPath } from '../../cache/cas.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { readStepFailure } from '../../contracts/read-step-failure.js';
import { makeTemp, writeTree } from './temp-home.js';
import { words } from '../failure-words.js';

let tmp: ReturnType<typeof makeTemp>;
let home: string;
let cache: MemoryHashCache;
let store: LocalArtifactStore;
beforeEach(() => {
  tmp = makeTemp('cairn-stage-');
  home = path.join(tmp.dir, 'home');
  cache = new MemoryHashCache();
  store = new LocalArtifactStore(home, cache);
});
afterEach(() => tmp.cleanup());

const s3 = (rel: string) => path.join(home, 's3', rel);
const stage = (name: string) => path.join(tmp.dir, 'attempt', 'inputs', name);

async function commit(files: Record<string, string>, dest: string): Promise<RecordedOutput> {
  const out = path.join(tmp.dir, `out-${Math.random().toString(36).slice(2)}`);
  writeTree(out, files);
  const r = await store.commitDirectory('clean', out, dest);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

async function staged(uri: string, dir: string, upstream: RecordedOutput[], inPlace?: boolean): Promise<string> {
  const r = await store.stageInput(uri, dir, upstream, inPlace === undefined ? {} : { inPlace });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value.hostPath;
}

/** Every blob of `rec` still verifies, through a fresh stat cache (so its bytes are hashed again). */
async function verified(rec: RecordedOutput): Promise<string[]> {
  const fresh = new MemoryHashCache();
  return Promise.all(rec.files.map(async (f) => (await checkBlob(home, f.hash, f.size, fresh)).state));
}

describe('stageInput stages private copies', () => {
  it('an upstream output is staged on new inodes; a job writing to them changes neither the blob nor the s3/ view', async () => {
    const rec = await commit({ 'train.csv': 'a,b\n1,2\n', 'sub/extra.csv': 'x' }, 's3://bk/prep/train');
    const dir = await staged('s3://bk/prep/train', stage('train'), [rec]);
    expect(dir).toBe(stage('train'));
    const copy = path.join(dir, 'train.csv');
    const entry = rec.files.find((f) => f.path === 'train.csv');
    if (entry === undefined) throw new Error('no manifest entry');
    const blob = blobPath(home, entry.hash);
    expect(statSync(copy).ino).not.toBe(statSync(blob).ino);
    expect(statSync(copy).ino).not.toBe(statSync(s3('bk/prep/train/train.csv')).ino);
    expect(statSync(copy).mode & 0o200).toBe(0o200); // writable, as SageMaker's downloaded inputs are
    appendFileSync(copy, 'appended by the job\n');
    writeFileSync(path.join(dir, 'sub/extra.csv'), 'rewritten');
    expect(readFileSync(blob, 'utf8')).toBe('a,b\n1,2\n');
    expect(readFileSync(s3('bk/prep/train/train.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect(readFileSync(s3('bk/prep/train/sub/extra.csv'), 'utf8')).toBe('x');
    expect(statSync(blob).mode & 0o777).toBe(0o444);
    expect(await verified(rec)).toEqual(['ok', 'ok']);
  });

  it("a user's code file and a user's directory staged as a copy never share its inode; the source stays as it was", async () => {
    const code = path.join(tmp.dir, 'src', 'process.py');
    writeTree(path.join(tmp.dir, 'src'), { 'process.py': 'print(1)\n', 'lib/util.py': 'X = 1\n' });
    chmodSync(code, 0o755);
    const one = await staged(`file://${code}`, stage('code'), []);
    expect(statSync(path.join(one, 'process.py')).ino).not.toBe(statSync(code).ino);
    expect(statSync(path.join(one, 'process.py')).mode & 0o777).toBe(0o755); // still executable
    appendFileSync(path.join(one, 'process.py'), 'import os; os.remove("/")\n');
    expect(readFileSync(code, 'utf8')).toBe('print(1)\n');

    // A directory must be copied when another input is mounted inside it (inPlace: false).
    const dir = await staged(`file://${tmp.dir}/src/`, stage('src'), [], false);
    expect(dir).toBe(stage('src'));
    expect(statSync(path.join(dir, 'lib/util.py')).ino).not.toBe(statSync(path.join(tmp.dir, 'src/lib/util.py')).ino);
    writeFileSync(path.join(dir, 'lib/util.py'), 'X = 2\n');
    expect(readFileSync(path.join(tmp.dir, 'src/lib/util.py'), 'utf8')).toBe('X = 1\n');
  });

  it("a user's directory is served in place unless a copy is asked for (the caller mounts it read-only)", async () => {
    writeTree(path.join(tmp.dir, 'src'), { 'a.py': 'a' });
    expect(await staged(`file://${tmp.dir}/src/`, stage('src'), [])).toBe(path.join(tmp.dir, 'src'));
  });

  it('a staged copy of a host file keeps no setuid bit of the source', async () => {
    const f = path.join(tmp.dir, 'tool');
    writeFileSync(f, '#!/bin/sh\n');
    chmodSync(f, 0o4755);
    const dir = await staged(`file://${f}`, stage('tool'), []);
    expect(statSync(path.join(dir, 'tool')).mode & 0o7777).toBe(0o755);
  });
});

describe('stageInput verifies every blob it stages (input-lost)', () => {
  const damage = {
    truncated: (blob: string) => truncateSync(blob, 3),
    'rewritten with the same size': (blob: string) => writeFileSync(blob, 'A,B\n1,2\n'),
    deleted: (blob: string) => rmSync(blob),
  };
  for (const [how, hurt] of Object.entries(damage)) {
    it(`refuses a blob that was ${how}, staging nothing`, async () => {
      const rec = await commit({ 'ok.csv': 'fine', 'train.csv': 'a,b\n1,2\n' }, 's3://bk/prep/train');
      const entry = rec.files.find((f) => f.path === 'train.csv');
      if (entry === undefined) throw new Error('no manifest entry');
      const blob = blobPath(home, entry.hash);
      // the stat cache knows the intact blob (as after an earlier staging): damage must still be seen
      expect((await checkBlob(home, entry.hash, entry.size, cache)).state).toBe('ok');
      chmodSync(blob, 0o644);
      hurt(blob);
      const r = await store.stageInput('s3://bk/prep/train/', stage('train'), [rec]);
      if (r.ok) throw new Error('a damaged blob was staged');
      const blobState = how === 'deleted'
        ? { state: 'missing', path: blob }
        : how === 'truncated'
          ? { state: 'damaged', path: blob, detail: { kind: 'size', expected: 8, actual: 3 } }
          : { state: 'damaged', path: blob, detail: { kind: 'content', actualHash: expect.stringMatching(/^[0-9a-f]{64}$/) } };
      expect(r.error).toEqual({
        v: 2, retryable: false, reason: 'input-lost', input: '', uri: 's3://bk/prep/train/', output: 'clean',
        outputUri: 's3://bk/prep/train', file: 'train.csv', hash: entry.hash, blob: blobState,
      });
      expect(() => statSync(path.join(stage('train'), 'ok.csv'))).toThrow(/ENOENT/);
      const said = words(r.error, { name: 'Fit', type: 'Training' });
      expect(said).toContain('Training step "Fit"');
      expect(said).toContain('output "clean"');
      expect(said).toContain(`file train.csv (sha256 ${entry.hash}) is lost from the content store: ${blob}`);
      expect(readStepFailure(JSON.stringify(r.error))).toEqual(r.error);
    });
  }

  it('an input that names one file of the output checks only that blob', async () => {
    const rec = await commit({ 'ok.csv': 'fine', 'bad.csv': 'gone soon' }, 's3://bk/o');
    const bad = rec.files.find((f) => f.path === 'bad.csv');
    if (bad === undefined) throw new Error('no manifest entry');
    rmSync(blobPath(home, bad.hash));
    const dir = await staged('s3://bk/o/ok.csv', stage('one'), [rec]);
    expect(readFileSync(path.join(dir, 'ok.csv'), 'utf8')).toBe('fine');
  });
});

describe('read-step-failure of input-lost', () => {
  it('a stored input-lost record without its blob reads back as unreadable', () => {
    const rec = { v: 2, retryable: false, reason: 'input-lost', input: 'i', uri: 'u', output: 'o', outputUri: 'ou', file: 'f', hash: 'h' };
    expect(readStepFailure(JSON.stringify(rec))).toMatchObject({ reason: 'legacy', was: 'unreadable' });
    expect(readStepFailure(JSON.stringify({ ...rec, blob: { state: 'missing', path: '/p' } }))).toMatchObject({ reason: 'input-lost' });
  });
});
