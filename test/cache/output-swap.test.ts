import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { blobPath, moveIntoCas } from '../../cache/cas.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { makeTemp, writeTree } from './temp-home.js';

/** What happens right after the output was walked (a job, or anything else, swapping a file for a link). */
const afterWalk = vi.hoisted(() => ({ run: (): void => undefined }));
vi.mock('../../cache/output-walk.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../cache/output-walk.js')>();
  return {
    ...real,
    walkOutput: async (root: string) => {
      const tree = await real.walkOutput(root);
      afterWalk.run();
      return tree;
    },
  };
});

let tmp: ReturnType<typeof makeTemp>;
let home: string;
let secret: string;
beforeEach(() => {
  tmp = makeTemp();
  home = path.join(tmp.dir, 'home');
  secret = path.join(tmp.dir, 'host-secret');
  writeFileSync(secret, `secret-${Math.random()}`);
});
afterEach(() => {
  afterWalk.run = () => undefined;
  tmp.cleanup();
});

const hex = (s: string) => createHash('sha256').update(s).digest('hex');

describe('a file swapped for a link after the output was walked', () => {
  it('is never read through: the commit fails and the host file stays out of the store and in place', async () => {
    const out = path.join(tmp.dir, 'out');
    writeTree(out, { 'a.csv': 'a', 'sub/model.bin': 'weights' });
    afterWalk.run = () => {
      rmSync(path.join(out, 'sub', 'model.bin'));
      symlinkSync(secret, path.join(out, 'sub', 'model.bin'));
    };
    const store = new LocalArtifactStore(home, new MemoryHashCache());
    const r = await store.commitDirectory('clean', out, 's3://bk/o', '/opt/ml/processing/out');
    expect(!r.ok && r.error.reason).toBe('output-commit');
    expect(!r.ok && 'message' in r.error && r.error.message).toContain('replaced by a symbolic link');
    expect(existsSync(blobPath(home, hex(readFileSync(secret, 'utf8'))))).toBe(false);
    expect(existsSync(secret)).toBe(true);
  });

  it('a directory swapped for a link to a host directory is caught by the inode check', async () => {
    const out = path.join(tmp.dir, 'out');
    writeTree(out, { 'sub/host-secret': 'mine' });
    afterWalk.run = () => {
      renameSync(path.join(out, 'sub'), path.join(tmp.dir, 'moved-away'));
      symlinkSync(tmp.dir, path.join(out, 'sub')); // out/sub/host-secret is now the host's file
    };
    const store = new LocalArtifactStore(home, new MemoryHashCache());
    const r = await store.commitDirectory('clean', out, 's3://bk/o', '/opt/ml/processing/out');
    expect(!r.ok && 'message' in r.error && r.error.message).toContain('changed while it was committed');
    expect(existsSync(blobPath(home, hex(readFileSync(secret, 'utf8'))))).toBe(false);
    expect(existsSync(secret)).toBe(true);
  });
});

describe('moveIntoCas with the walked identity', () => {
  it('refuses to move a path that is no longer the walked file (nothing moved, the link target untouched)', async () => {
    const dir = path.join(tmp.dir, 'o');
    mkdirSync(dir);
    const file = path.join(dir, 'f');
    symlinkSync(secret, file);
    const walked = { dev: 1, ino: 1 };
    await expect(moveIntoCas(home, file, hex('x'), walked)).rejects.toThrow(/changed while it was committed/);
    expect(existsSync(secret)).toBe(true);
    expect(existsSync(blobPath(home, hex('x')))).toBe(false);
  });
});
