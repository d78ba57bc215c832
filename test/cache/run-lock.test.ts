import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock, currentOwner, readLock, releaseRunLock, runIsLive } from '../../cache/run-lock.js';
import { Store } from '../../cache/store.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-lock-'));
  store = Store.open(join(dir, 'cairn.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('run locks', () => {
  it('refuses a second live owner and names the holder', () => {
    const other = { pid: process.ppid, host: hostname(), procStart: 'unknown' };
    expect(acquireRunLock(store, 'r1', other).ok).toBe(true);
    const second = acquireRunLock(store, 'r1');
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.error.owner.pid).toBe(process.ppid);
    expect(runIsLive(store, 'r1')).toBe(true);
  });

  it('takes over a lock whose owner died, and one whose pid was reused by another process', () => {
    expect(acquireRunLock(store, 'r1', { pid: deadPid(), host: hostname(), procStart: '1' }).ok).toBe(true);
    expect(runIsLive(store, 'r1')).toBe(false);
    expect(acquireRunLock(store, 'r1').ok).toBe(true);
    expect(readLock(store, 'r1')?.owner.pid).toBe(process.pid);
    releaseRunLock(store, 'r1');
    expect(readLock(store, 'r1')).toBeUndefined();
    // Our own pid, but a different start time: a reused pid, so not the owner.
    expect(acquireRunLock(store, 'r2', { ...currentOwner(), pid: process.ppid, procStart: 'not-the-start-time' }).ok).toBe(true);
    expect(acquireRunLock(store, 'r2').ok).toBe(true);
  });
});
