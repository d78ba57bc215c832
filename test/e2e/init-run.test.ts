import { spawnSync } from 'node:child_process';
import { lstatSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summary, Workspace, type RunJson } from './harness.js';

const REPO = resolve(import.meta.dirname, '../..');
const TSC = join(REPO, 'node_modules/.bin/tsc');

function sh(cmd: string, args: string[], cwd: string): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('cairn init in an empty directory, then cairn plan and cairn run (the local stand-in images)', () => {
  let ws: Workspace;
  beforeEach(() => { ws = new Workspace(); });
  afterEach(() => ws.dispose());

  it('minimal: plans before npm install (cairn/sdk is this cairn), npm install links it for tsc, runs, and reruns reused', async () => {
    expect((await ws.run(['init', '--template', 'minimal'])).code).toBe(0);
    const plan = await ws.run(['plan', 'pipeline.ts']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`pipeline ${ws.dir.split('/').at(-1)?.replace(/[^A-Za-z0-9-]+/g, '-')} (pipeline.ts): 2 step(s)`);
    // The package.json init wrote depends on this checkout (file:): npm links it without the network.
    expect(sh('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel', 'error'], ws.dir).code).toBe(0);
    expect(lstatSync(join(ws.dir, 'node_modules/cairn')).isSymbolicLink()).toBe(true);
    expect(resolve(ws.dir, 'node_modules', readlinkSync(join(ws.dir, 'node_modules/cairn')))).toBe(REPO);
    expect(sh(TSC, ['-p', '.'], ws.dir)).toEqual({ code: 0, out: '' });
    const run = await ws.json(['run', 'pipeline.ts', '--json']);
    expect(run.result.code).toBe(0);
    expect(summary(run.json)).toEqual({ Prepare: 'succeeded', Summarize: 'succeeded' });
    const again = await ws.json(['run', 'pipeline.ts', '--json']);
    expect(summary(again.json)).toEqual({ Prepare: 'succeeded (reused)', Summarize: 'succeeded (reused)' });
  });

  it('retrain: type-checks, runs Preprocess → Train → Evaluate → Register into the model registry; the gate (a Condition on the evaluation property file, else a Fail step) stops a weak model', async () => {
    expect((await ws.run(['init', 'proj'])).code).toBe(0);
    const dir = join(ws.dir, 'proj');
    expect(sh('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel', 'error'], dir).code).toBe(0);
    expect(sh(TSC, ['-p', '.'], dir)).toEqual({ code: 0, out: '' });
    const cli = (args: string[]) => spawnSync(process.execPath, [join(REPO, 'dist/cli/main.js'), ...args], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, CAIRN_HOME: join(dir, '.cairn'), FORCE_COLOR: '0' },
    });
    const run = cli(['run', 'pipeline.ts', '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(summary(JSON.parse(run.stdout))).toEqual({
      Preprocess: 'succeeded', Train: 'succeeded', Evaluate: 'succeeded', AccuracyGate: 'succeeded', Register: 'succeeded', AccuracyTooLow: 'skipped',
    });
    const models = cli(['models', 'list', 'proj']);
    expect(models.stdout).toMatch(/^\s+1\s+PendingManualApproval\s/m);
    // The gate: the jobs are reused (MinAccuracy is not Evaluate's input), Register is skipped, the Fail step ends the run.
    const gated = cli(['run', 'pipeline.ts', '--param', 'MinAccuracy=1.01', '--json']);
    expect(gated.status).toBe(1);
    const gatedJson = JSON.parse(gated.stdout) as RunJson;
    expect(summary(gatedJson)).toEqual({
      Preprocess: 'succeeded (reused)', Train: 'succeeded (reused)', Evaluate: 'succeeded (reused)', AccuracyGate: 'succeeded',
      Register: 'skipped', AccuracyTooLow: 'failed',
    });
    expect(gatedJson.steps.find((s) => s.name === 'AccuracyTooLow')?.failureReason)
      .toMatch(/^the model has a test accuracy of (0\.\d+|1(\.0)?), below MinAccuracy 1\.01: it was not registered$/);
    expect(cli(['models', 'list', 'proj']).stdout).not.toMatch(/^\s+2\s/m);
  });
});
