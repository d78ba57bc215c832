import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock, currentOwner, ownerAlive, processStartTime, readLock, releaseRunLock, runIsLive } from '../../cache/run-lock.js';
import { Store } from '../../cache/store.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-lock-owner-'));
  store = Store.open(join(dir, 'cairn.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
/** Field 22 of /proc/<pid>/stat, read independently (the command may contain spaces and parentheses). */
const field22 = (pid: number): string => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[19] as string;

describe('lock owners', () => {
  it('a process start time is field 22 of /proc/<pid>/stat; a process that is gone has none', () => {
    expect(processStartTime(process.pid)).toBe(field22(process.pid));
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
    expect(processStartTime(process.ppid)).toBe(field22(process.ppid));
    expect(processStartTime(deadPid())).toBeUndefined();
    expect(currentOwner()).toEqual({ pid: process.pid, host: hostname(), procStart: field22(process.pid) });
  });

  it('alive: another host (cannot tell), a live pid with its start time or an unknown one; not: a dead pid, a reused pid', () => {
    const me = currentOwner();
    expect(ownerAlive(me)).toBe(true);
    expect(ownerAlive({ ...me, procStart: 'unknown' })).toBe(true);
    expect(ownerAlive({ ...me, procStart: `${me.procStart}0` })).toBe(false);
    expect(ownerAlive({ ...me, pid: deadPid() })).toBe(false);
    expect(ownerAlive({ pid: deadPid(), host: `${hostname()}-elsewhere`, procStart: '1' })).toBe(true);
  });
});

describe('acquire, read, release', () => {
  it('records who holds the run and when; the same owner may take it again', () => {
    const before = Date.now();
    expect(acquireRunLock(store, 'r1')).toEqual({ ok: true, value: undefined });
    const held = readLock(store, 'r1');
    expect(held).toEqual({ runId: 'r1', owner: currentOwner(), acquiredAt: expect.any(Number) });
    expect(held!.acquiredAt).toBeGreaterThanOrEqual(before);
    expect(held!.acquiredAt).toBeLessThanOrEqual(Date.now());
    expect(acquireRunLock(store, 'r1').ok).toBe(true);
    expect(runIsLive(store, 'r1')).toBe(true);
    expect(readLock(store, 'r2')).toBeUndefined();
    expect(runIsLive(store, 'r2')).toBe(false);
  });

  it('a lock held on another host, or by another live process, is refused with the holder', () => {
    const far = { pid: 1, host: `${hostname()}-elsewhere`, procStart: '7' };
    expect(acquireRunLock(store, 'r1', far).ok).toBe(true);
    expect(acquireRunLock(store, 'r1')).toEqual({ ok: false, error: { runId: 'r1', owner: far, acquiredAt: expect.any(Number) } });
    const parent = { pid: process.ppid, host: hostname(), procStart: processStartTime(process.ppid) ?? 'unknown' };
    expect(acquireRunLock(store, 'r2', parent).ok).toBe(true);
    const refused = acquireRunLock(store, 'r2');
    expect(refused.ok).toBe(false);
    expect(readLock(store, 'r2')?.owner).toEqual(parent);
    // Same pid on another host is another owner.
    expect(acquireRunLock(store, 'r1', { ...far, host: hostname() === 'x' ? 'y' : 'x' }).ok).toBe(false);
  });

  it('release removes only the owner\'s own lock', () => {
    expect(acquireRunLock(store, 'r1').ok).toBe(true);
    releaseRunLock(store, 'r1', { ...currentOwner(), pid: process.ppid });
    releaseRunLock(store, 'r1', { ...currentOwner(), host: `${hostname()}-elsewhere` });
    expect(readLock(store, 'r1')?.owner).toEqual(currentOwner());
    releaseRunLock(store, 'r1');
    expect(readLock(store, 'r1')).toBeUndefined();
  });
});
