import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { blobPath, placeAtomically } from '../../cache/cas.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { processStartTime } from '../../cache/run-lock.js';
import { listTempLeftovers, processTempDir, sweepTempLeftovers, tempRoot } from '../../cache/temp-area.js';
import { listTree, makeTemp, writeTree } from './temp-home.js';

let tmp: ReturnType<typeof makeTemp>;
let home: string;
beforeEach(() => {
  tmp = makeTemp();
  home = path.join(tmp.dir, 'home');
  mkdirSync(home);
});
afterEach(() => tmp.cleanup());

/** The temp directory a process that is gone would have left: this pid with another start time is not this process. */
function deadProcessDir(): string {
  const start = Number(processStartTime(process.pid) ?? '0') + 12345;
  const dir = path.join(tempRoot(home), `p${process.pid}-${start}-${hostname()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('temp files of a commit', () => {
  it('are written under <home>/tmp, never beside the target in the s3/ view', async () => {
    const out = path.join(tmp.dir, 'out');
    writeTree(out, { 'a.csv': 'a', 'deep/b.csv': 'b' });
    const store = new LocalArtifactStore(home, new MemoryHashCache());
    const r = await store.commitDirectory('o', out, 's3://bk/o');
    expect(r.ok).toBe(true);
    expect(listTree(path.join(home, 's3'))).toEqual(['bk/o/a.csv', 'bk/o/deep/b.csv']);
    // this process's temp directory exists and holds nothing once the commit is done
    const mine = await processTempDir(home);
    expect(readdirSync(mine)).toEqual([]);
    // with no temp directory to write in, nothing is placed at all (a temp beside the target would have worked)
    rmSync(mine, { recursive: true });
    writeFileSync(mine, 'in the way');
    writeTree(out, { 'c.csv': 'c' });
    const again = await store.commitDirectory('o', out, 's3://bk/p');
    expect(again.ok).toBe(false);
    expect(existsSync(path.join(home, 's3', 'bk', 'p', 'c.csv'))).toBe(false);
    rmSync(mine);
  });

  it('a commit killed part-way (its temp file left behind) leaves nothing in the s3/ view after the sweep', async () => {
    // the state a kill -9 between "link to temp" and "rename into place" leaves: a temp file in the dead process's dir
    const dead = deadProcessDir();
    writeFileSync(path.join(dead, '0123456789abcdef'), 'half a model');
    // and what an earlier cairn left beside its targets
    writeTree(path.join(home, 's3'), { 'bk/job/output/model.tar.gz': 'm', 'bk/job/output/.cairn-tmp-a1b2c3-model.tar.gz': 'm' });
    const blob = blobPath(home, 'ab'.repeat(32));
    writeTree(path.dirname(blob), { '.cairn-tmp-d4e5f6-x': 'partial' });
    const mine = await processTempDir(home);
    writeFileSync(path.join(mine, 'in-flight'), 'a live commit of this process');

    expect(await listTempLeftovers(home)).toEqual({
      deadDirs: [dead],
      legacy: [path.join(path.dirname(blob), '.cairn-tmp-d4e5f6-x'), path.join(home, 's3', 'bk/job/output/.cairn-tmp-a1b2c3-model.tar.gz')].sort(),
    });
    const removed = await sweepTempLeftovers(home);
    expect(removed).toHaveLength(3);
    expect(existsSync(dead)).toBe(false);
    expect(listTree(path.join(home, 's3'))).toEqual(['bk/job/output/model.tar.gz']);
    expect(readdirSync(path.dirname(blob))).toEqual([]);
    expect(existsSync(path.join(mine, 'in-flight'))).toBe(true); // a live process's temp files stay
    expect(await listTempLeftovers(home)).toEqual({ deadDirs: [], legacy: [] });
  });

  it('a failed placement removes its temp file and leaves the target untouched', async () => {
    writeTree(path.join(home, 's3'), { 'bk/sub': 'a file where a directory is needed' });
    const blob = path.join(tmp.dir, 'blob');
    writeFileSync(blob, 'x');
    await expect(placeAtomically(home, blob, path.join(home, 's3', 'bk', 'sub', 'x'))).rejects.toThrow();
    expect(readdirSync(await processTempDir(home))).toEqual([]);
    expect(listTree(path.join(home, 's3'))).toEqual(['bk/sub']);
  });

  it('the sweep never creates a home that does not exist', async () => {
    const nowhere = path.join(tmp.dir, 'no-home');
    expect(await sweepTempLeftovers(nowhere)).toEqual([]);
    expect(existsSync(nowhere)).toBe(false);
  });
});
