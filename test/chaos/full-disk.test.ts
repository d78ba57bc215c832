import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace, type RunJson } from '../e2e/harness.js';
import { chaosDefinition, chaosInput, cleanRunBytes, doctorReport, homeContainers, recordedBytes, startRun, stepRunning } from './chaos-pipeline.js';

/**
 * The cairn home on a small file system (a 16 MiB tmpfs) that fills up while Train runs: the run ends failed with a
 * clear message (no "internal error", no step left `running`), read-only commands still answer on the full disk,
 * and once space is freed `cairn resume` finishes with the bytes of a clean run and `cairn doctor` finds nothing.
 */
let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  mkdirSync(ws.home, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', ws.home]);
  ws.putS3('chaos', 'input/data.csv', chaosInput());
  ws.write('pipeline.json', chaosDefinition());
});
afterEach(() => {
  execFileSync('umount', ['-l', ws.home]);
  ws.dispose();
});

/** Writes a file until the file system says ENOSPC. */
function fillUp(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 7);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
}

describe('a full disk under the cairn home', () => {
  it('fails the run cleanly, keeps read-only commands working, and resumes once space is freed', async () => {
    const reference = await cleanRunBytes();

    const run = await startRun(ws, ['--param', 'TrainSleep=4']);
    await stepRunning(ws, run.id, 'Train');
    const filler = join(ws.home, 'filler');
    fillUp(filler);
    const ended = await run.done;
    expect(ended.stderr).not.toContain('internal error');
    expect(ended.code).toBe(1);

    const shown = await ws.run(['show', run.id, '--json']);
    expect(shown.stderr).not.toContain('internal error');
    expect(shown.code).toBe(0);
    const steps = (JSON.parse(shown.stdout) as RunJson).steps;
    expect(steps.filter((s) => s.status === 'running')).toEqual([]);
    expect((await ws.run(['runs'])).code).toBe(0);
    const full = await ws.run(['doctor', '--json']);
    expect(full.stderr).not.toContain('internal error');
    expect([0, 1]).toContain(full.code);

    rmSync(filler);
    const resumed = await ws.json<RunJson>(['resume', run.id, '--json']);
    expect(resumed.json.status, resumed.result.stderr).toBe('succeeded');
    expect(recordedBytes(ws.home, run.id)).toEqual(reference);
    expect(homeContainers(ws)).toEqual([]);
    const doctor = await doctorReport(ws);
    expect(doctor.remaining, JSON.stringify(doctor.remaining, null, 1)).toEqual([]);
  });
});
