import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { ensureReserve, releaseReserve, RESERVE_BYTES, reservePath } from '../../cache/disk-reserve.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { StoreFault } from '../../cache/store-fault.js';
import { Store } from '../../cache/store.js';
import type { RunRecord } from '../../contracts/records.js';
import { storeFaultText } from '../../cli/store-fault-words.js';
import { SmallFs } from '../support/small-fs.js';

const CLI = path.resolve(import.meta.dirname, '../../dist/cli/main.js');

/** Every case on its own small ext4 disk that really fills up (root; tests/support/small-fs.ts). */
let fs: SmallFs;
beforeAll(() => { fs = new SmallFs(24); });
afterAll(() => fs.unmount());

let n = 0;
/** A fresh cairn home on the small disk, the disk emptied of earlier cases' files first. */
function freshHome(): string {
  for (const e of ['home', 'filler']) rmSync(path.join(fs.dir, e), { recursive: true, force: true });
  const home = path.join(fs.dir, 'home', String(++n));
  mkdirSync(home, { recursive: true });
  return home;
}

const run = (runId: string, definition = 'd'): RunRecord => ({
  runId, pipeline: 'p', definitionFile: 'p.json', definition, parameters: {}, execution: {}, options: { noCache: false, rerun: [] }, status: 'running', startedAt: 1,
});

describe('a full disk at output commit', () => {
  it('is a disk-full failure naming the output, its URI, the destination and the free space; the reserve is given back', async () => {
    const home = freshHome();
    const out = path.join(home, 'runs', 'r', 'steps', 'S', 'attempt-1', 'outputs', 'big');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'big.bin'), Buffer.alloc(1 << 20, 1));
    expect(ensureReserve(home)).toBe(true);
    fs.fill();
    const r = await new LocalArtifactStore(home, new MemoryHashCache()).commitDirectory('big', out, 's3://b/out/big');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({
      reason: 'disk-full', during: 'output-commit', code: 'ENOSPC', output: 'big', uri: 's3://b/out/big',
      path: path.join(home, 's3', 'b', 'out', 'big'), retryable: false,
    });
    expect(r.error.reason === 'disk-full' && r.error.freeBytes).toBeLessThan(64 * 1024);
    expect(existsSync(reservePath(home))).toBe(false);
    expect(fs.free()).toBeGreaterThanOrEqual(RESERVE_BYTES);
  });
});

describe('the store on a full disk', () => {
  it('a write that meets SQLITE_FULL frees the reserve and lands', () => {
    const home = freshHome();
    const s = Store.open(path.join(home, 'cairn.db'));
    try {
      s.createRun(run('r0'), []);
      expect(ensureReserve(home)).toBe(true);
      fs.fill();
      // Larger than what the WAL holds already: it needs new blocks.
      s.createRun(run('r1', 'x'.repeat(400_000)), [{ name: 'A', type: 'Processing' }]);
      s.setRunStatus('r1', 'failed', 2);
      expect(existsSync(reservePath(home))).toBe(false);
      expect(s.getRun('r1')?.status).toBe('failed');
    } finally {
      s.close();
    }
  });

  it('without a reserve it is a StoreFault of kind full naming the database and the free space', () => {
    const home = freshHome();
    const db = path.join(home, 'cairn.db');
    const s = Store.open(db);
    try {
      s.createRun(run('r0'), []);
      releaseReserve(home);
      fs.fill();
      let fault: unknown;
      try {
        s.createRun(run('r1', 'x'.repeat(400_000)), []);
      } catch (e) {
        fault = e;
      }
      expect(fault).toBeInstanceOf(StoreFault);
      const p = (fault as StoreFault).problem;
      expect(p).toMatchObject({ kind: 'full', file: db, sqliteCode: 'SQLITE_FULL' });
      expect(p.kind === 'full' && p.freeBytes).toBeLessThan(64 * 1024);
      expect(storeFaultText(p)).toMatch(new RegExp(`^cairn: the disk holding ${db} is full \\(\\d+(\\.\\d)? (bytes|KiB) free\\), so cairn could not record its state \\(SQLite: database or disk is full\\)`));
    } finally {
      s.close();
    }
  });

  it('hash-cache hints that do not fit are dropped, not thrown (plan and the commands that hash still work)', () => {
    const home = freshHome();
    const s = Store.open(path.join(home, 'cairn.db'));
    try {
      s.createRun(run('r0'), []);
      fs.fill();
      const entry = { size: 1, mtimeMs: 1, ctimeMs: 1, ino: 1, hash: 'h'.repeat(64) };
      for (let i = 0; i < 3000; i++) s.putFileHash(`/data/${'p'.repeat(200)}/${i}`, entry);
      expect(s.getRun('r0')?.runId).toBe('r0');
    } finally {
      s.close();
    }
  });

  it('a read-only open works where SQLite cannot create its -shm file; a writing open says the disk is full', () => {
    const home = freshHome();
    const db = path.join(home, 'cairn.db');
    const s = Store.open(db);
    s.createRun(run('r0'), []);
    s.close(); // the last connection: the WAL is checkpointed, -wal and -shm are removed
    expect(existsSync(`${db}-shm`)).toBe(false);
    fs.fill();
    let fault: unknown;
    try {
      Store.open(db).close();
    } catch (e) {
      fault = e;
    }
    expect(fault).toBeInstanceOf(StoreFault);
    expect((fault as StoreFault).problem).toMatchObject({ kind: 'full', file: db });
    const ro = Store.open(db, { readOnly: true });
    try {
      expect(ro.listRuns().map((r) => r.runId)).toEqual(['r0']);
      // What a read-only command writes (a reconcile's marks, hash hints) stays in its private copy.
      ro.setRunStatus('r0', 'stopped', 3);
      ro.putFileHash('/x', { size: 1, mtimeMs: 1, ctimeMs: 1, ino: 1, hash: 'h' });
    } finally {
      ro.close();
    }
  });
});

describe('the CLI on a full disk', () => {
  it('read-only commands answer; a command that must write exits 1 with the full-disk message, never "internal error"', () => {
    const home = freshHome();
    const db = path.join(home, 'cairn.db');
    const s = Store.open(db);
    s.createRun(run('r0'), [{ name: 'A', type: 'Processing' }]);
    s.close();
    fs.fill();
    const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, CAIRN_HOME: home }, encoding: 'utf8' });
    for (const args of [['runs'], ['show', 'r0'], ['explain', 'r0', 'A'], ['metrics', 'r0'], ['experiments'], ['models', 'groups']]) {
      const r = cli(args);
      expect({ args, code: r.status, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    // Settled in the private copy: a run whose owner is gone reads as stopped (the next run or resume records it).
    expect(cli(['runs']).stdout).toMatch(/^r0 +stopped/m);
    const w = cli(['callback', 'tok', '--failure', 'x']);
    expect(w.status).toBe(1);
    expect(w.stderr).toMatch(new RegExp(`^cairn: the disk holding ${db} is full \\((\\d+ bytes|[\\d.]+ KiB) free\\), so cairn could not record its state \\(SQLite: `));
    expect(w.stderr).not.toContain('internal error');
  });
});

describe('the disk reserve', () => {
  it('is made only where there is room for it twice over, and released once', () => {
    const home = freshHome();
    expect(ensureReserve(home)).toBe(true);
    expect(ensureReserve(home)).toBe(true);
    expect(releaseReserve(home)).toBe(true);
    expect(releaseReserve(home)).toBe(false);
    fs.fill();
    expect(ensureReserve(home)).toBe(false);
    expect(existsSync(reservePath(home))).toBe(false);
  });
});
