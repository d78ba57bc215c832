import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { err, ok, type Result } from '../kernel/result.js';
import type { Store } from './store.js';

/** Who holds a run: a process on this host, identified by pid and its kernel start time (so a reused pid is not mistaken for the owner). */
export interface LockOwner {
  pid: number;
  host: string;
  procStart: string;
}

export interface LockHeld {
  runId: string;
  owner: LockOwner;
  acquiredAt: number;
}

export function currentOwner(): LockOwner {
  return { pid: process.pid, host: hostname(), procStart: processStartTime(process.pid) ?? 'unknown' };
}

/** Field 22 of /proc/<pid>/stat: the process start time in clock ticks since boot. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** True when the owner process still exists (on another host we cannot tell, so we assume it does). */
export function ownerAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = processStartTime(owner.pid);
  return start === undefined || owner.procStart === 'unknown' || start === owner.procStart;
}

/** Takes the run's lock, unless a live process holds it. A lock whose owner died is taken over. */
export function acquireRunLock(store: Store, runId: string, owner: LockOwner = currentOwner()): Result<void, LockHeld> {
  return store.transaction(() => {
    const held = readLock(store, runId);
    if (held !== undefined && !(held.owner.pid === owner.pid && held.owner.host === owner.host) && ownerAlive(held.owner)) {
      return err(held);
    }
    store.db
      .prepare(`INSERT OR REPLACE INTO locks (run_id, pid, host, proc_start, acquired_at) VALUES (?, ?, ?, ?, ?)`)
      .run(runId, owner.pid, owner.host, owner.procStart, Date.now());
    return ok(undefined);
  });
}

export function releaseRunLock(store: Store, runId: string, owner: LockOwner = currentOwner()): void {
  // Through the store's write path: on a full disk it frees the disk reserve for this last write of a run.
  store.transaction(() => store.db.prepare(`DELETE FROM locks WHERE run_id = ? AND pid = ? AND host = ?`).run(runId, owner.pid, owner.host));
}

export function readLock(store: Store, runId: string): LockHeld | undefined {
  const r = store.db.prepare(`SELECT * FROM locks WHERE run_id = ?`).get(runId) as Record<string, unknown> | undefined;
  if (r === undefined) return undefined;
  return {
    runId,
    owner: { pid: Number(r.pid), host: String(r.host), procStart: String(r.proc_start) },
    acquiredAt: Number(r.acquired_at),
  };
}

/** True when some live process is executing the run right now. */
export function runIsLive(store: Store, runId: string): boolean {
  const held = readLock(store, runId);
  return held !== undefined && ownerAlive(held.owner);
}
