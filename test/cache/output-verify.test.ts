import { existsSync, lstatSync, mkdirSync, symlinkSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { blobPath } from '../../cache/cas.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import type { RecordedOutput } from '../../contracts/artifacts.js';
import { makeTemp, writeTree } from './temp-home.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function committed(): Promise<{ store: LocalArtifactStore; home: string; dir: RecordedOutput; file: RecordedOutput }> {
  const t = makeTemp('cairn-verify-');
  cleanups.push(t.cleanup);
  const store = new LocalArtifactStore(path.join(t.dir, 'home'), new MemoryHashCache());
  writeTree(path.join(t.dir, 'out'), { 'a.txt': 'alpha\n', 'sub/b.txt': 'beta\n' });
  writeFileSync(path.join(t.dir, 'model.tar.gz'), 'not really a tarball');
  const dir = await store.commitDirectory('data', path.join(t.dir, 'out'), 's3://bucket/data');
  const file = await store.commitFile('model', path.join(t.dir, 'model.tar.gz'), 's3://bucket/m/model.tar.gz');
  if (!dir.ok || !file.ok) throw new Error('commit failed');
  return { store, home: store.home, dir: dir.value, file: file.value };
}

const viewOf = (home: string, rel: string): string => path.join(home, 's3/bucket', rel);
const blobOf = (home: string, o: RecordedOutput, i = 0): string => blobPath(home, o.files[i]?.hash ?? '');

describe('verifyOutputs and discardDamaged', () => {
  it('lists every missing or damaged file by output and manifest path; drops only the damaged blobs', async () => {
    const { store, home, dir, file } = await committed();
    expect(await store.verifyOutputs([dir, file])).toEqual([]);
    rmSync(blobOf(home, dir, 0));
    truncateSync(viewOf(home, 'data/sub/b.txt'), 2); // the view is a hard link of the blob
    const lost = await store.verifyOutputs([dir, file]);
    expect(lost).toEqual([
      { output: 'data', file: 'a.txt', hash: dir.files[0]?.hash, state: 'missing' },
      { output: 'data', file: 'sub/b.txt', hash: dir.files[1]?.hash, state: 'damaged' },
    ]);
    await store.discardDamaged([...lost, { output: 'model', file: 'model.tar.gz', hash: file.files[0]?.hash ?? '', state: 'damaged' }]);
    expect(existsSync(blobOf(home, dir, 1))).toBe(false);
    expect(existsSync(blobOf(home, file))).toBe(true); // intact: kept, whatever the caller claims
    expect(await store.verifyOutputs([file])).toEqual([]);
  });
});

describe('restoreDestinations', () => {
  it('puts back a removed file, a replaced one and a one-file output, as the blob itself; leaves intact places alone', async () => {
    const { store, home, dir, file } = await committed();
    expect(await store.restoreDestinations([dir, file])).toEqual({ ok: true, value: [] });
    rmSync(viewOf(home, 'data/a.txt'));
    rmSync(viewOf(home, 'data/sub/b.txt'));
    writeFileSync(viewOf(home, 'data/sub/b.txt'), 'BETA\n');
    rmSync(viewOf(home, 'm/model.tar.gz'));
    mkdirSync(viewOf(home, 'm'), { recursive: true });
    const r = await store.restoreDestinations([dir, file]);
    expect(r).toEqual({ ok: true, value: [viewOf(home, 'data/a.txt'), viewOf(home, 'data/sub/b.txt'), viewOf(home, 'm/model.tar.gz')] });
    expect(readFileSync(viewOf(home, 'data/sub/b.txt'), 'utf8')).toBe('beta\n');
    expect(statSync(viewOf(home, 'm/model.tar.gz')).ino).toBe(statSync(blobOf(home, file)).ino);
    expect(await store.restoreDestinations([dir, file])).toEqual({ ok: true, value: [] });
  });

  it('a copy with the recorded bytes (another inode) is left; a failure names the output and the path', async () => {
    const { store, home, dir } = await committed();
    rmSync(viewOf(home, 'data/a.txt'));
    writeFileSync(viewOf(home, 'data/a.txt'), 'alpha\n');
    expect(await store.restoreDestinations([dir])).toEqual({ ok: true, value: [] });
    rmSync(viewOf(home, 'data/sub'), { recursive: true });
    writeFileSync(viewOf(home, 'data/sub'), 'a file where a directory belongs');
    const r = await store.restoreDestinations([dir]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ reason: 'output-commit', output: 'data' });
    expect(JSON.stringify(r.error)).toContain(`Could not restore output \\"data\\" at s3://bucket/data (${viewOf(home, 'data/sub/b.txt')}) from the content store`);
  });

  it('a manifest entry kept as a symbolic link is never replaced by a file holding its text', async () => {
    const { store, home, dir } = await committed();
    const entry = dir.files[0];
    if (entry === undefined) throw new Error('no entry');
    const asLink = { ...dir, files: [{ ...entry, link: 'sub/b.txt' }] };
    rmSync(viewOf(home, 'data/a.txt'));
    symlinkSync('sub/b.txt', viewOf(home, 'data/a.txt'));
    expect(await store.restoreDestinations([asLink])).toEqual({ ok: true, value: [] });
    expect(lstatSync(viewOf(home, 'data/a.txt')).isSymbolicLink()).toBe(true);
  });
});

describe('a commit over a damaged blob', () => {
  it('replaces the blob with the fresh bytes (directory and file outputs), and remembers the blobs it verified', async () => {
    const { store, home, dir, file } = await committed();
    // Damage both blobs through the s3/ view (same inode), as a user editing the view would.
    writeFileSync(viewOf(home, 'data/a.txt'), 'ALPHA\n');
    writeFileSync(viewOf(home, 'm/model.tar.gz'), 'different bytes of another size');
    expect((await store.verifyOutputs([dir, file])).map((l) => l.state)).toEqual(['damaged', 'damaged']);
    const t = makeTemp('cairn-recommit-');
    cleanups.push(t.cleanup);
    writeTree(path.join(t.dir, 'out'), { 'a.txt': 'alpha\n', 'sub/b.txt': 'beta\n' });
    writeFileSync(path.join(t.dir, 'model.tar.gz'), 'not really a tarball');
    const again = await store.commitDirectory('data', path.join(t.dir, 'out'), 's3://bucket/data2');
    const againFile = await store.commitFile('model', path.join(t.dir, 'model.tar.gz'), 's3://bucket/m2/model.tar.gz');
    expect(again.ok && againFile.ok).toBe(true);
    expect(await store.verifyOutputs([dir, file])).toEqual([]);
    expect(readFileSync(blobOf(home, dir, 0), 'utf8')).toBe('alpha\n');
    expect(readFileSync(viewOf(home, 'm2/model.tar.gz'), 'utf8')).toBe('not really a tarball');
  });
});
