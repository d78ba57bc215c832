import { beforeAll, describe, expect, it } from 'vitest';
import type { RunJson, Workspace } from '../e2e/harness.js';
import {
  chaosWorkspace, cleanRunBytes, doctorReport, homeContainers, printedRunId, recordedBytes, runUnderStrace, startRun, stepRunning,
} from './chaos-pipeline.js';

/**
 * kill -9 at a spread of points of `cairn run` (strace sends SIGKILL at the N-th call of a system call; one libuv
 * thread, so the N-th call of the file system pool is the same point every time), then `cairn resume` (or a new
 * `run` when the kill came before the run was recorded): the run succeeds with exactly the bytes of a clean run, no
 * container of the home is left, and `cairn doctor` finds nothing.
 */
let reference: Record<string, string>;
beforeAll(async () => { reference = await cleanRunBytes(); });

async function killThenRecover(syscall: string, when: number): Promise<void> {
  const ws = chaosWorkspace();
  try {
    const killed = await runUnderStrace(ws, syscall, when, ['run', 'pipeline.json']);
    expect(killed.signal === 'SIGKILL' || killed.code === 137, `not killed at ${syscall} #${when}:\n${killed.stdout}${killed.stderr}`).toBe(true);
    const runs = await ws.json<{ runId: string }[]>(['runs', '--json']);
    await recover(ws, printedRunId(killed.stdout) ?? runs.json[0]?.runId);
  } finally {
    ws.dispose();
  }
}

/** `cairn resume` (or `run` when no run was recorded), then: the bytes of a clean run, no container, doctor clean. */
async function recover(ws: Workspace, runId: string | undefined): Promise<void> {
  const after = await ws.json<RunJson>(runId === undefined ? ['run', 'pipeline.json', '--json'] : ['resume', runId, '--json']);
  expect(after.json.status, after.result.stderr).toBe('succeeded');
  expect(after.result.code).toBe(0);
  expect(recordedBytes(ws.home, after.json.runId)).toEqual(reference);
  expect(homeContainers(ws)).toEqual([]);
  const doctor = await doctorReport(ws);
  expect(doctor.remaining, JSON.stringify(doctor.remaining, null, 1)).toEqual([]);
  expect(doctor.clean).toBe(true);
}

// Start-up, definition load, Docker ping and image checks, staging, SQLite writes and syncs (a linear pipeline: no
// other step commits meanwhile). These depend on no other fix.
const OUTSIDE_COMMIT: [string, number][] = [
  ['openat', 30], ['openat', 400], ['pwrite64', 1], ['pwrite64', 120], ['fsync', 1], ['fsync', 8], ['write', 20], ['write', 120],
];
// Inside the output commit: moving files into the CAS, placing them in the s3/ view (link to a temp name, rename),
// recording their hashes (SQLite). A kill here leaves `.cairn-tmp-*` files in the s3/ view unless the commit writes
// them elsewhere first and a start or resume sweeps them (issue 10's "Leftovers").
const INSIDE_COMMIT: [string, number][] = [['rename', 1], ['rename', 9], ['link', 6], ['pwrite64', 250]];

describe('kill -9 while a container runs, then resume', () => {
  it('at Train (its container is left behind by the dead process)', async () => {
    const ws = chaosWorkspace();
    try {
      const run = await startRun(ws, ['--param', 'TrainSleep=3']);
      await stepRunning(ws, run.id, 'Train');
      run.child.kill('SIGKILL');
      await run.done;
      expect(homeContainers(ws)).toHaveLength(1);
      await recover(ws, run.id);
    } finally {
      ws.dispose();
    }
  });
});

describe('kill -9 outside the output commit, then resume', () => {
  for (const [syscall, when] of OUTSIDE_COMMIT) it(`at ${syscall} #${when}`, () => killThenRecover(syscall, when));
});

describe('kill -9 inside the output commit, then resume', () => {
  for (const [syscall, when] of INSIDE_COMMIT) it(`at ${syscall} #${when}`, () => killThenRecover(syscall, when));
});
