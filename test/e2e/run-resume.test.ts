import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fanDefinition } from './fixtures.js';
import { collect, summary, waitFor, Workspace, type RunJson } from './harness.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.putS3('test-bucket', 'input/data.txt', 'hello cairn\n');
  ws.write('pipeline.json', fanDefinition());
});
afterEach(() => ws.dispose());

function containersOf(runId: string): string[] {
  const out = execFileSync('docker', ['ps', '-aq', '--filter', `label=org.cairn.run=${runId}`]).toString().trim();
  return out === '' ? [] : out.split('\n');
}

async function runningStep(runId: string, step: string): Promise<boolean> {
  const r = await ws.run(['show', runId, '--json']);
  if (r.code !== 0) return false;
  const j = JSON.parse(r.stdout) as RunJson;
  return j.steps.find((s) => s.name === step)?.status === 'running' && containersOf(runId).length > 0;
}

/** The run id printed first by `run` (plain mode): `run <id> (<pipeline>) started`. */
async function runIdFromOutput(child: ReturnType<Workspace['spawn']>): Promise<{ id: string; done: ReturnType<typeof collect> }> {
  const done = collect(child);
  let seen = '';
  const id = await waitFor('the run id', () => {
    return new Promise<string | undefined>((res) => {
      child.stdout?.once('data', (d: Buffer) => { seen += d.toString(); res(/run ([a-z0-9]{12}) /.exec(seen)?.[1]); });
      setTimeout(() => res(/run ([a-z0-9]{12}) /.exec(seen)?.[1]), 200);
    });
  });
  return { id, done };
}

describe('run, cache and resume on the real Docker engine', () => {
  it('runs a fan-out/fan-in definition, then reuses every step on a rerun', async () => {
    const first = await ws.json(['run', 'pipeline.json', '--json']);
    expect(first.result.code).toBe(0);
    expect(first.json.status).toBe('succeeded');
    expect(summary(first.json)).toEqual({ A: 'succeeded', B: 'succeeded', C: 'succeeded', D: 'succeeded' });
    expect(first.json.steps.map((s) => s.attempts)).toEqual([1, 1, 1, 1]);
    const d = readFileSync(join(ws.home, 's3/test-bucket/runs', first.json.runId, 'D/d/d.txt'), 'utf8');
    expect(d).toBe('HELLO CAIRN\n|B\n\nNRIAC OLLEH');

    const second = await ws.json(['run', 'pipeline.json', '--json']);
    expect(second.result.code).toBe(0);
    expect(summary(second.json)).toEqual({ A: 'succeeded (reused)', B: 'succeeded (reused)', C: 'succeeded (reused)', D: 'succeeded (reused)' });
    expect(second.json.steps.map((s) => s.attempts)).toEqual([0, 0, 0, 0]);

    const explain = await ws.run(['explain', second.json.runId, 'D']);
    expect(explain.stdout).toContain(`was reused from run ${first.json.runId}`);
  });

  it('fails a step with its exit code and failure file, then resumes from it', async () => {
    const failed = await ws.json(['run', 'pipeline.json', '--param', 'FailB=yes', '--json']);
    expect(failed.result.code).toBe(1);
    expect(failed.json.status).toBe('failed');
    const b = failed.json.steps.find((s) => s.name === 'B')!;
    expect(b).toMatchObject({ status: 'failed', exitCode: 3, failureReason: 'B was told to fail', attempts: 1, reused: false });
    expect(failed.json.steps.find((s) => s.name === 'D')!.status).toBe('not-run');
    expect(failed.result.stderr).toContain('/opt/ml/output/failure: B was told to fail');

    // The failure is in the data this run was given; resume re-runs B (and D) with the run's own parameters.
    const resumed = await ws.json(['resume', failed.json.runId, '--json']);
    expect(resumed.json.runId).toBe(failed.json.runId);
    expect(resumed.json.status).toBe('failed');
    expect(summary(resumed.json).A).toBe('succeeded (reused)');
    expect(resumed.json.steps.find((s) => s.name === 'B')!.attempts).toBe(2);

    // A new run with the fix reuses A and C from the cache and runs B and D.
    const fixed = await ws.json(['run', 'pipeline.json', '--json']);
    expect(summary(fixed.json)).toEqual({ A: 'succeeded (reused)', B: 'succeeded', C: 'succeeded (reused)', D: 'succeeded' });
  });

  it('invalidates exactly the steps downstream of a changed input file', async () => {
    await ws.json(['run', 'pipeline.json', '--json']);
    ws.putS3('test-bucket', 'input/data.txt', 'changed input\n');
    const plan = await ws.run(['plan', 'pipeline.json']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/A\s+run\s+changed since run [a-z0-9]{12}: inputs\.data/);
    const again = await ws.json(['run', 'pipeline.json', '--json']);
    expect(summary(again.json)).toEqual({ A: 'succeeded', B: 'succeeded', C: 'succeeded', D: 'succeeded' });
    const explain = await ws.run(['explain', again.json.runId, 'A']);
    expect(explain.stdout).toMatch(/inputs\.data: "sha256:[0-9a-f]{64}" → "sha256:[0-9a-f]{64}"/);
  });

  it('survives kill -9 mid-step: resume removes the orphan container and re-runs only what was unfinished', async () => {
    const child = ws.spawn(['run', 'pipeline.json', '--param', 'SleepB=4', '--max-parallel', '1']);
    const { id, done } = await runIdFromOutput(child);
    await waitFor('B running in a container', () => runningStep(id, 'B'));
    child.kill('SIGKILL');
    await done;
    expect(containersOf(id).length).toBe(1); // the orphan

    const shown = await ws.json(['show', id, '--json']);
    expect(shown.json.status).toBe('stopped');
    const resumed = await ws.json(['resume', id, '--json']);
    expect(resumed.result.code).toBe(0);
    expect(containersOf(id)).toEqual([]);
    expect(summary(resumed.json)).toEqual({ A: 'succeeded (reused)', B: 'succeeded', C: 'succeeded', D: 'succeeded' });
    expect(resumed.json.steps.find((s) => s.name === 'B')!.attempts).toBe(2);
    const shownText = await ws.run(['show', id]);
    expect(shownText.stdout).toMatch(/B\s+succeeded\s+attempts 2[^\n]*\n\s+attempt 1: interrupted[^\n]*\n\s+attempt 2: succeeded \(exit 0\)/);

    const clean = await ws.json(['run', 'pipeline.json', '--param', 'SleepB=4', '--no-cache', '--json']);
    const d = (r: string): string => readFileSync(join(ws.home, 's3/test-bucket/runs', r, 'D/d/d.txt'), 'utf8');
    expect(d(id)).toBe(d(clean.json.runId));
  });

  it('stops on Ctrl-C, leaves no container, and a second resumer is refused while one runs', async () => {
    const child = ws.spawn(['run', 'pipeline.json', '--param', 'SleepB=30', '--max-parallel', '1']);
    const { id, done } = await runIdFromOutput(child);
    await waitFor('B running in a container', () => runningStep(id, 'B'));
    const t0 = Date.now();
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(1);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(containersOf(id)).toEqual([]);
    const shown = await ws.json(['show', id, '--json']);
    expect(shown.json.status).toBe('stopped');
    expect(shown.json.steps.find((s) => s.name === 'B')!.status).toBe('stopped');

    const first = ws.spawn(['resume', id]);
    const firstDone = collect(first);
    await waitFor('B running again', () => runningStep(id, 'B'));
    const second = await ws.run(['resume', id]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`run ${id} is being executed by another cairn process \\(pid ${String(first.pid)} on `));
    first.kill('SIGINT');
    expect((await firstDone).code).toBe(1);
  });
});
