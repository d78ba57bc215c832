import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fanDefinition } from './fixtures.js';
import { summary, Workspace } from './harness.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.putS3('test-bucket', 'input/data.txt', 'cache me\n');
});
afterEach(() => ws.dispose());

type Step = { Name: string; CacheConfig?: unknown };

describe('cache controls', () => {
  it('--rerun forces a step and its downstream; --no-cache forces everything', async () => {
    ws.write('p.json', fanDefinition());
    await ws.json(['run', 'p.json', '--json']);
    const rerun = await ws.json(['run', 'p.json', '--rerun', 'B', '--json']);
    expect(summary(rerun.json)).toEqual({ A: 'succeeded (reused)', B: 'succeeded', C: 'succeeded (reused)', D: 'succeeded' });
    const plan = await ws.run(['plan', 'p.json', '--no-cache']);
    expect(plan.stdout).toMatch(/A\s+run\s+--no-cache/);
    const all = await ws.json(['run', 'p.json', '--no-cache', '--json']);
    expect(Object.values(summary(all.json))).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });

  it('honours CacheConfig.Enabled=false and ExpireAfter', async () => {
    const def = fanDefinition();
    const steps = def.Steps as Step[];
    steps[1]!.CacheConfig = { Enabled: false };
    steps[2]!.CacheConfig = { Enabled: true, ExpireAfter: 'PT1H' };
    ws.write('p.json', def);
    await ws.json(['run', 'p.json', '--json']);
    const soon = await ws.json(['run', 'p.json', '--json']);
    expect(summary(soon.json)).toEqual({ A: 'succeeded (reused)', B: 'succeeded', C: 'succeeded (reused)', D: 'succeeded (reused)' });
    // CacheConfig is not part of the fingerprint: shortening ExpireAfter makes the entries of both runs stale.
    steps[2]!.CacheConfig = { Enabled: true, ExpireAfter: 'PT1S' };
    ws.write('p.json', def);
    await new Promise((r) => setTimeout(r, 1100));
    const plan = await ws.run(['plan', 'p.json']);
    expect(plan.stdout).toMatch(/B\s+run\s+caching disabled by CacheConfig\.Enabled=false/);
    expect(plan.stdout).toMatch(/C\s+run\s+earlier execution in run [a-z0-9]{12} expired/);
    const later = await ws.json(['run', 'p.json', '--json']);
    expect(summary(later.json)).toEqual({ A: 'succeeded (reused)', B: 'succeeded', C: 'succeeded', D: 'succeeded (reused)' });
  });

  it('explains a parameter change and prints step logs', async () => {
    ws.write('p.json', fanDefinition());
    const first = await ws.json(['run', 'p.json', '--json']);
    const second = await ws.json(['run', 'p.json', '--param', 'SleepB=0.1', '--json']);
    expect(summary(second.json).B).toBe('succeeded');
    const explain = await ws.run(['explain', second.json.runId, 'B']);
    expect(explain.stdout.split('\n').slice(1, 3)).toEqual([
      `  compared with run ${first.json.runId}, 1 change(s):`,
      '    arguments.AppSpecification.ContainerArguments[0]: "0" → "0.1"',
    ]);
    const logs = await ws.run(['logs', first.json.runId, 'A']);
    expect(logs.stdout).toBe('A read 9 bytes\n');
    const reusedLogs = await ws.run(['logs', second.json.runId, 'A']);
    expect(reusedLogs.code).toBe(2);
    expect(reusedLogs.stderr).toContain('it was reused or never ran');
    const runs = await ws.json<{ runId: string; pipeline: string; status: string }[]>(['runs', '--json']);
    expect(runs.json.map((r) => [r.runId, r.pipeline, r.status])).toEqual([
      [second.json.runId, 'p', 'succeeded'], [first.json.runId, 'p', 'succeeded'],
    ]);
  });
});
