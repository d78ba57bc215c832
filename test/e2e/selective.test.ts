import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanDefinition } from './fixtures.js';
import { summary, Workspace, type RunJson } from './harness.js';

// A → {B, C} → D (test/e2e/fixtures.ts). Selective execution as SageMaker's SelectiveExecutionConfig does it.
let ws: Workspace;
let ref: RunJson;
let failedRef: RunJson;

async function runCount(): Promise<number> {
  const r = await ws.run(['runs', '--json']);
  return (JSON.parse(r.stdout) as unknown[]).length;
}

beforeAll(async () => {
  ws = new Workspace();
  ws.putS3('test-bucket', 'input/data.txt', 'hello cairn\n');
  ws.write('pipeline.json', fanDefinition());
  ref = (await ws.json(['run', 'pipeline.json', '--json'])).json;
  expect(ref.status).toBe('succeeded');
  failedRef = (await ws.json(['run', 'pipeline.json', '--param', 'FailB=yes', '--max-parallel', '1', '--no-cache', '--json'])).json;
  expect(summary(failedRef)).toEqual({ A: 'succeeded', B: 'failed', C: 'not-run', D: 'not-run' });
});
afterAll(() => ws.dispose());

describe('selective execution (--steps, --from-run)', () => {
  it('runs only the selected step, reuses its upstream from the reference run and leaves the rest not-run', async () => {
    const { result, json } = await ws.json(['run', 'pipeline.json', '--steps', 'B', '--from-run', ref.runId, '--no-cache', '--json']);
    expect(result.code).toBe(0);
    expect(json.status).toBe('succeeded');
    expect(summary(json)).toEqual({ A: 'succeeded (reused)', B: 'succeeded', C: 'not-run', D: 'not-run' });
    expect(json.steps.map((s) => s.attempts)).toEqual([0, 1, 0, 0]);
    expect(result.stderr).toContain(`selective execution of B: upstream step(s) A reused from run ${ref.runId} (--from-run)`);
    // B read A's output as the reference run recorded it.
    const b = readFileSync(join(ws.home, 's3/test-bucket/runs', json.runId, 'B/b/b.txt'), 'utf8');
    expect(b).toBe('HELLO CAIRN\n|B');
    const show = await ws.run(['show', json.runId]);
    expect(show.stdout).toMatch(new RegExp(`A\\s+reused \\(run ${ref.runId}\\)`));
  });

  it('without --from-run, reuses the newest run in which every upstream step succeeded, and says which', async () => {
    // Upstream of {B, D}: A and C. The failed run (newest) has no succeeded C, so the first run is the reference.
    const { result, json } = await ws.json(['run', 'pipeline.json', '--steps', 'B,D', '--no-cache', '--json']);
    expect(result.code).toBe(0);
    expect(summary(json)).toEqual({ A: 'succeeded (reused)', B: 'succeeded', C: 'succeeded (reused)', D: 'succeeded' });
    expect(result.stderr).toContain(
      `selective execution of B, D: upstream step(s) A, C reused from run ${ref.runId} (the newest run of pipeline "pipeline" in which they succeeded; name another with --from-run)`,
    );
    const d = readFileSync(join(ws.home, 's3/test-bucket/runs', json.runId, 'D/d/d.txt'), 'utf8');
    expect(d).toBe('HELLO CAIRN\n|B\n\nNRIAC OLLEH');
  });

  it('accepts a failed reference run when the steps it needs succeeded in it', async () => {
    const { result, json } = await ws.json(['run', 'pipeline.json', '--steps', 'B,C,D', '--from-run', failedRef.runId, '--no-cache', '--json']);
    expect(result.code).toBe(0);
    expect(summary(json)).toEqual({ A: 'succeeded (reused)', B: 'succeeded', C: 'succeeded', D: 'succeeded' });
  });

  it('refuses invalid selections with exit 2 and records nothing', async () => {
    const before = await runCount();
    const cases: [string[], string][] = [
      [['--steps', 'A,D'], '--steps: "B", "C" lie on a path between selected steps but are not selected; as in SageMaker, every step on a path between two selected steps must be selected (add "B", "C").'],
      [['--steps', 'B,C'], '--steps: the selected steps are not connected ("B" and "C" share no dependency); as in SageMaker, select steps that are connected in the pipeline\'s graph.'],
      [['--steps', 'B,Nope'], '--steps names step(s) that the definition does not have: "Nope".'],
      [['--steps', 'B', '--from-run', 'nosuchrun'], '--from-run: there is no run "nosuchrun" in this cairn home (see `cairn runs`).'],
      [['--steps', 'D', '--from-run', failedRef.runId], [
        `--from-run ${failedRef.runId}: its step "B", which is upstream of the selected steps, did not succeed (failed).`,
        `--from-run ${failedRef.runId}: its step "C", which is upstream of the selected steps, did not succeed (not-run).`,
      ].join('\n')],
      [['--from-run', ref.runId], '--from-run names the reference run of a selective execution; give the steps to run with --steps too.'],
    ];
    for (const [args, message] of cases) {
      const r = await ws.run(['run', 'pipeline.json', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim()).toBe(message);
    }
    expect(await runCount()).toBe(before);
  });

  it('plan shows "reuse (from run X)" upstream and "not-run" outside the selection', async () => {
    const r = await ws.run(['plan', 'pipeline.json', '--steps', 'B', '--from-run', ref.runId, '--no-cache']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`1\\. A\\s+reuse\\s+\\(from run ${ref.runId}\\) upstream of the selected steps`));
    expect(r.stdout).toMatch(/2\. B\s+run\s+--no-cache/);
    expect(r.stdout).toMatch(/3\. C\s+not-run\s+not selected by --steps and not upstream of a selected step/);
    expect(r.stdout).toMatch(/4\. D\s+not-run\s+not selected by --steps and not upstream of a selected step/);
  });

  it('resume of a selective run keeps the selection and the reference', async () => {
    const failed = (await ws.json(['run', 'pipeline.json', '--steps', 'B', '--from-run', ref.runId, '--param', 'FailB=yes', '--json'])).json;
    expect(summary(failed)).toEqual({ A: 'succeeded (reused)', B: 'failed', C: 'not-run', D: 'not-run' });
    const resumed = await ws.json(['resume', failed.runId, '--json']);
    expect(resumed.result.code).toBe(1);
    expect(summary(resumed.json)).toEqual({ A: 'succeeded (reused)', B: 'failed', C: 'not-run', D: 'not-run' });
    expect(resumed.json.steps.find((s) => s.name === 'B')!.attempts).toBe(2);
    const show = await ws.run(['show', failed.runId]);
    expect(show.stdout).toMatch(new RegExp(`A\\s+reused \\(run ${ref.runId}\\)`));
  });
});
