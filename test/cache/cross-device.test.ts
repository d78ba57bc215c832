import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { describeIoError } from '../../cache/input-selection.js';
import { listTree, makeTemp, writeTree } from './temp-home.js';

// A second filesystem: /dev/shm is a tmpfs on Linux hosts and CI runners (it is here); without one there is no
// cross-device case to exercise, and the copy fallback cannot be reached.
const otherFs = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(os.tmpdir()).dev ? '/dev/shm' : undefined;

let tmp: ReturnType<typeof makeTemp>;
let other: string;
beforeEach(() => {
  tmp = makeTemp();
  other = otherFs === undefined ? '' : mkdtempSync(path.join(otherFs, 'cairn-xdev-'));
});
afterEach(() => {
  tmp.cleanup();
  if (other !== '') rmSync(other, { recursive: true, force: true });
});

describe.skipIf(otherFs === undefined)('across filesystems', () => {
  it('commits from and stages to another filesystem by copying', async () => {
    const store = new LocalArtifactStore(path.join(tmp.dir, 'home'), new MemoryHashCache());
    writeTree(path.join(other, 'out'), { 'a.csv': 'aa', 'd/b.csv': 'bb' });
    const rec = await store.commitDirectory('o', path.join(other, 'out'), 's3://bk/o');
    if (!rec.ok) throw new Error(JSON.stringify(rec.error));
    expect(listTree(path.join(other, 'out'))).toEqual([]);
    expect(readFileSync(path.join(tmp.dir, 'home/s3/bk/o/d/b.csv'), 'utf8')).toBe('bb');
    const staged = await store.stageInput('s3://bk/o', path.join(other, 'stage'), [rec.value]);
    if (!staged.ok) throw new Error(JSON.stringify(staged.error));
    expect(listTree(staged.value.hostPath)).toEqual(['a.csv', 'd/b.csv']);
    expect(readFileSync(path.join(staged.value.hostPath, 'a.csv'), 'utf8')).toBe('aa');
  });
});

describe('describeIoError', () => {
  it('turns node:fs errors into plain causes', () => {
    const e = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(describeIoError(e)).toBe('no space left on device (write)');
    expect(describeIoError(new Error('other'))).toBe('other');
  });
});
