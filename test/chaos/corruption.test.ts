import { openSync, truncateSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { blobPath } from '../../cache/cas.js';
import type { RunJson, Workspace } from '../e2e/harness.js';
import { chaosWorkspace, cleanRunBytes, doctorReport, homeContainers, recordedBytes, startRun, stepRunning, viewFile } from './chaos-pipeline.js';

/**
 * Corruption of each kind while a run is stopped (kill -9 while Train runs) or after it: a truncated upstream output
 * in the s3/ view (the same inode as its CAS blob), a zeroed range, a deleted CAS blob. What runs next gets the
 * right bytes (the producing step re-runs when its output is lost), the run ends as a clean run does, and `cairn
 * doctor` finds nothing left.
 */
let reference: Record<string, string>;
beforeAll(async () => { reference = await cleanRunBytes(); });

function zeroRange(file: string, offset: number, length: number): void {
  const fd = openSync(file, 'r+');
  try { writeSync(fd, Buffer.alloc(length), 0, length, offset); } finally { closeSync(fd); }
}

async function expectRecovered(ws: Workspace, args: string[]): Promise<void> {
  const after = await ws.json<RunJson>(args);
  expect(after.json.status, after.result.stderr).toBe('succeeded');
  expect(recordedBytes(ws.home, after.json.runId)).toEqual(reference);
  expect(homeContainers(ws)).toEqual([]);
  const doctor = await doctorReport(ws);
  expect(doctor.remaining, JSON.stringify(doctor.remaining, null, 1)).toEqual([]);
}

/** Stops a run with kill -9 while Train sleeps (Prep's output is committed), then damages it with `damage`. */
async function stoppedThenDamaged(damage: (ws: Workspace, runId: string) => void): Promise<void> {
  const ws = chaosWorkspace();
  try {
    const run = await startRun(ws, ['--param', 'TrainSleep=6']);
    await stepRunning(ws, run.id, 'Train');
    run.child.kill('SIGKILL');
    await run.done;
    damage(ws, run.id);
    await expectRecovered(ws, ['resume', run.id, '--json']);
  } finally {
    ws.dispose();
  }
}

describe('corrupt upstream outputs, then resume or run', () => {
  it('truncate -s 10 of an upstream output in the s3/ view, then resume', () =>
    stoppedThenDamaged((ws, id) => truncateSync(viewFile(ws, id, 'Prep/clean/data.csv'), 10)));

  it('a deleted CAS blob of an upstream output, then resume', () =>
    stoppedThenDamaged((ws, id) => {
      const hash = recordedBytes(ws.home, id)['Prep/clean/data.csv']!;
      unlinkSync(blobPath(ws.home, hash));
    }));

  it('a zeroed range in an upstream output after a run, then a run that re-runs its consumer', async () => {
    const ws = chaosWorkspace();
    try {
      const first = await ws.json<RunJson>(['run', 'pipeline.json', '--json']);
      expect(first.json.status).toBe('succeeded');
      zeroRange(viewFile(ws, first.json.runId, 'Prep/clean/parts/p1.csv'), 100, 200);
      await expectRecovered(ws, ['run', 'pipeline.json', '--rerun', 'Eval', '--json']);
    } finally {
      ws.dispose();
    }
  });
});
