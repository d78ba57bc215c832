import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedOutput } from '../../contracts/artifacts.js';
import type { StepFailure } from '../../contracts/step-failure.js';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { blobPath } from '../../cache/cas.js';
import { MemoryHashCache, treeHash } from '../../cache/hasher.js';
import { checkOutputLinks } from '../../cache/output-commit.js';
import { listTree, makeTemp, writeTree } from './temp-home.js';
import { words } from '../failure-words.js';

let tmp: ReturnType<typeof makeTemp>;
let home: string;
let store: LocalArtifactStore;
let secret: string;
beforeEach(() => {
  tmp = makeTemp();
  home = path.join(tmp.dir, 'home');
  store = new LocalArtifactStore(home, new MemoryHashCache());
  // a host file no output may ever bring into the store
  secret = path.join(tmp.dir, 'host', 'shadow');
  mkdirSync(path.dirname(secret), { recursive: true });
  writeFileSync(secret, `root:secret-${Math.random()}:19000::::::\n`);
});
afterEach(() => tmp.cleanup());

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const s3 = (rel: string) => path.join(home, 's3', rel);

/** An output directory with `files` and `links` (path → target as written). */
function outputDir(files: Record<string, string>, links: Record<string, string>): string {
  const out = path.join(tmp.dir, `out-${Math.random().toString(36).slice(2)}`);
  mkdirSync(out, { recursive: true });
  writeTree(out, files);
  for (const [rel, target] of Object.entries(links)) {
    mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
    symlinkSync(target, path.join(out, rel));
  }
  return out;
}

async function commit(files: Record<string, string>, links: Record<string, string>, dest = 's3://bk/o'): Promise<RecordedOutput> {
  const r = await store.commitDirectory('clean', outputDir(files, links), dest, '/opt/ml/processing/out');
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

async function refused(files: Record<string, string>, links: Record<string, string>): Promise<StepFailure> {
  const r = await store.commitDirectory('clean', outputDir(files, links), 's3://bk/o', '/opt/ml/processing/out');
  if (r.ok) throw new Error(`committed: ${JSON.stringify(r.value.files)}`);
  return r.error;
}

function secretInStore(): boolean {
  return existsSync(blobPath(home, hex(readFileSync(secret, 'utf8'))));
}

describe('links inside an output', () => {
  it('are kept as links: a manifest entry with the target, a blob of its text, a symlink in the s3/ view', async () => {
    const rec = await commit({ 'model-3.bin': 'weights', 'data/a.csv': 'a' }, { 'latest.bin': 'model-3.bin', 'alias': 'data', 'data/self': '../data/a.csv' });
    expect(rec.files).toEqual([
      { path: 'alias', hash: hex('data'), size: 4, link: 'data' },
      { path: 'data/a.csv', hash: hex('a'), size: 1 },
      { path: 'data/self', hash: hex('../data/a.csv'), size: 13, link: '../data/a.csv' },
      { path: 'latest.bin', hash: hex('model-3.bin'), size: 11, link: 'model-3.bin' },
      { path: 'model-3.bin', hash: hex('weights'), size: 7 },
    ]);
    expect(lstatSync(s3('bk/o/latest.bin')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(s3('bk/o/latest.bin'))).toBe('model-3.bin');
    expect(readlinkSync(s3('bk/o/alias'))).toBe('data');
    expect(readFileSync(s3('bk/o/alias/a.csv'), 'utf8')).toBe('a');
    expect(readFileSync(blobPath(home, hex('model-3.bin')), 'utf8')).toBe('model-3.bin');
    expect(listTree(path.join(home, 's3')).filter((f) => f.includes('.cairn-tmp-'))).toEqual([]);
  });

  it('count in the tree hash with their target, and never hash like a file holding the target text', async () => {
    const a = await commit({ 'm.bin': 'w', 'n.bin': 'w' }, { latest: 'm.bin' }, 's3://bk/a');
    const b = await commit({ 'm.bin': 'w', 'n.bin': 'w' }, { latest: 'n.bin' }, 's3://bk/b');
    const c = await commit({ 'm.bin': 'w', 'n.bin': 'w', latest: 'm.bin' }, {}, 's3://bk/c');
    expect(a.hash).toBe(treeHash(a.files));
    expect(a.hash).not.toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
    expect(a.hash).not.toBe(treeHash(a.files.map(({ link: _l, ...e }) => e)));
  });

  it('are staged as links; a link leading out of a sub-prefix is staged as the file it resolves to', async () => {
    const rec = await commit({ 'm/w.bin': 'w', 'm/sub/x': 'x' }, { 'm/latest': 'w.bin', 'm/sub/up': '../w.bin' });
    const whole = await store.stageInput('s3://bk/o/m/', path.join(tmp.dir, 'stage-whole'), [rec]);
    expect(whole.ok).toBe(true);
    expect(readlinkSync(path.join(tmp.dir, 'stage-whole', 'latest'))).toBe('w.bin');
    expect(readFileSync(path.join(tmp.dir, 'stage-whole', 'latest'), 'utf8')).toBe('w');
    const part = await store.stageInput('s3://bk/o/m/sub/', path.join(tmp.dir, 'stage-part'), [rec]);
    expect(part.ok).toBe(true);
    expect(lstatSync(path.join(tmp.dir, 'stage-part', 'up')).isFile()).toBe(true);
    expect(readFileSync(path.join(tmp.dir, 'stage-part', 'up'), 'utf8')).toBe('w');
    // the input's hash sees the link as a link, the materialised one as the file
    const h = await store.hashInput('s3://bk/o/m/', [rec]);
    expect(h.ok && h.value.hash).toBe(
      treeHash([
        { path: 'latest', hash: hex('w.bin'), link: 'w.bin' },
        { path: 'sub/up', hash: hex('../w.bin'), link: '../w.bin' },
        { path: 'sub/x', hash: hex('x') },
        { path: 'w.bin', hash: hex('w') },
      ]),
    );
  });
});

describe('links leading outside an output', () => {
  const step = { name: 'Clean', type: 'Processing' };

  it('an absolute link fails the step naming the output, the link as the job saw it and its target; nothing is read', async () => {
    const f = await refused({ 'ok.csv': 'fine' }, { shadow: secret });
    expect(f).toMatchObject({ reason: 'output-link', output: 'clean', link: '/opt/ml/processing/out/shadow', target: secret, why: 'absolute' });
    const text = words(f, step);
    expect(text).toContain('Processing step "Clean"');
    expect(text).toContain('output "clean"');
    expect(text).toContain(`/opt/ml/processing/out/shadow -> ${secret}`);
    expect(secretInStore()).toBe(false);
    expect(existsSync(s3('bk/o'))).toBe(false);
    expect(existsSync(blobPath(home, hex('fine')))).toBe(false);
  });

  it('a link to a host directory is refused too', async () => {
    const f = await refused({}, { etc: path.dirname(secret) });
    expect(f).toMatchObject({ reason: 'output-link', link: '/opt/ml/processing/out/etc', why: 'absolute' });
    expect(secretInStore()).toBe(false);
  });

  it('a relative link climbing above the output with ".." is refused', async () => {
    const out = outputDir({}, {});
    const rel = path.relative(path.join(out, 'sub'), secret);
    mkdirSync(path.join(out, 'sub'));
    symlinkSync(rel, path.join(out, 'sub', 'shadow'));
    const r = await store.commitDirectory('clean', out, 's3://bk/o', '/opt/ml/processing/out');
    expect(!r.ok && r.error).toMatchObject({ reason: 'output-link', link: '/opt/ml/processing/out/sub/shadow', target: rel, why: 'escapes' });
    expect(secretInStore()).toBe(false);
  });

  it('a link that escapes through another link to a directory (kernel rules, not lexical) is refused', async () => {
    // sub/up -> .. is the output's root; x -> sub/up/../y reads "sub/y" lexically but is ../y for the kernel
    const f = await refused({ 'sub/k': 'k' }, { 'sub/up': '..', x: 'sub/up/../y' });
    expect(f).toMatchObject({ reason: 'output-link', link: '/opt/ml/processing/out/x', target: 'sub/up/../y', why: 'escapes' });
  });

  it('a dangling link to outside is refused; one dangling inside is kept', async () => {
    expect(await refused({}, { gone: '../../nothing-here' })).toMatchObject({ reason: 'output-link', why: 'escapes' });
    const rec = await commit({}, { later: 'not-yet' });
    expect(rec.files).toEqual([{ path: 'later', hash: hex('not-yet'), size: 7, link: 'not-yet' }]);
  });

  it('a loop of links is refused', async () => {
    expect(await refused({}, { a: 'b', b: 'a' })).toMatchObject({ reason: 'output-link', why: 'loop' });
  });

  it('without a container path the link is named by its host path', async () => {
    const out = outputDir({}, { shadow: secret });
    const r = await store.commitDirectory('output', out, 's3://bk/o');
    expect(!r.ok && r.error).toMatchObject({ reason: 'output-link', link: path.join(out, 'shadow') });
  });

  it('Training outputs (packed, not committed file by file) are checked the same way', async () => {
    const out = outputDir({ 'model.pt': 'w' }, { 'weights.pt': 'model.pt' });
    expect(await checkOutputLinks('model', out, '/opt/ml/model')).toEqual({ ok: true, value: undefined });
    symlinkSync('/etc/shadow', path.join(out, 'shadow'));
    const r = await checkOutputLinks('model', out, '/opt/ml/model');
    expect(!r.ok && r.error).toMatchObject({ reason: 'output-link', output: 'model', link: '/opt/ml/model/shadow', target: '/etc/shadow' });
  });

  it('an output directory the job replaced by a link (/opt/ml/output/data -> /etc) is refused, not walked', async () => {
    const data = path.join(tmp.dir, 'output', 'data');
    mkdirSync(path.dirname(data), { recursive: true });
    symlinkSync(path.dirname(secret), data);
    const r = await checkOutputLinks('output', data, '/opt/ml/output/data');
    expect(!r.ok && r.error).toMatchObject({ reason: 'output-link', output: 'output', link: '/opt/ml/output/data', target: path.dirname(secret), why: 'absolute' });
    const c = await store.commitDirectory('output', data, 's3://bk/o', '/opt/ml/output/data');
    expect(!c.ok && c.error).toMatchObject({ reason: 'output-link', link: '/opt/ml/output/data' });
    expect(secretInStore()).toBe(false);
  });
});
