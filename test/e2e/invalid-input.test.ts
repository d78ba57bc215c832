import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../containers/docker-runtime.js';
import { LABEL_HOME, homeLabel } from '../../containers/labels.js';
import { fanDefinition, pyStep } from './fixtures.js';
import { Workspace } from './harness.js';

let ws: Workspace;
beforeEach(() => { ws = new Workspace(); });
afterEach(() => ws.dispose());

/** Nothing was recorded (no run in the store, which may not even exist) and no container of this home was started. */
async function noRuns(): Promise<void> {
  expect(await new DockerRuntime().listContainers({ [LABEL_HOME]: homeLabel(ws.home) })).toEqual([]);
  expect(existsSync(join(ws.home, 'runs'))).toBe(false);
  if (!existsSync(join(ws.home, 'cairn.db'))) return;
  const r = await ws.run(['runs', '--json']);
  expect(JSON.parse(r.stdout)).toEqual([]);
}

describe('bad input gets a clear error and changes nothing', () => {
  it('reports every problem of a definition at once, with file:line:col, JSON path and step', async () => {
    const def = {
      Version: '2020-12-01',
      Parameters: [{ Name: 'Epochs', Type: 'Integer', DefaultValue: 'three' }],
      Steps: [
        { ...pyStep('A', 'pass', [], ['o']), DependsOn: ['C'] },
        { ...pyStep('B', 'pass', [['x', { Get: 'Parameters.Missing' }]], []), DependsOn: ['Nope'] },
        { ...pyStep('C', 'pass', [['a', { Get: "Steps.A.ProcessingOutputConfig.Outputs['o'].S3Output.S3Uri" }]], []) },
        { ...pyStep('B', 'pass', [], []) },
        { Name: 'Cluster', Type: 'EMR', Arguments: {} },
      ],
    };
    ws.write('bad.json', def);
    const r = await ws.run(['run', 'bad.json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      'bad.json:7:23 Parameters[0].DefaultValue: parameter "Epochs" is Integer but its DefaultValue is "three"',
      'bad.json:11:5 Steps[0] (step "A"): steps form a cycle: A → C → A',
      'bad.json:87:24 Steps[1].Arguments.ProcessingInputs[0].S3Input.S3Uri (step "B"): Get "Parameters.Missing" names unknown parameter "Missing" (known: Epochs)',
      'bad.json:101:9 Steps[1].DependsOn[0] (step "B"): DependsOn names unknown step "Nope"',
      'bad.json:144:15 Steps[3].Name (step "B"): step name "B" is also used at Steps[1]',
      'bad.json:171:15 Steps[4].Type (step "Cluster"): step type "EMR" is not supported yet (supported: Processing, Training, Transform, Model, RegisterModel, Condition, Fail, Lambda, Callback, Tuning)',
    ]);
    await noRuns();
  });

  it('refuses unknown and ill-typed parameters, and unknown --rerun steps', async () => {
    ws.write('p.json', fanDefinition());
    const unknown = await ws.run(['run', 'p.json', '--param', 'SleepX=1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown parameter "SleepX"');
    const typed = await ws.run(['run', 'p.json', '--param', 'SleepB=soon']);
    expect(typed.code).toBe(2);
    expect(typed.stderr).toMatch(/SleepB.*Float/);
    const enumed = await ws.run(['run', 'p.json', '--param', 'FailB=maybe']);
    expect(enumed.code).toBe(2);
    expect(enumed.stderr).toContain('FailB');
    const rerun = await ws.run(['run', 'p.json', '--rerun', 'Z']);
    expect(rerun.code).toBe(2);
    expect(rerun.stderr).toContain('--rerun names unknown step(s): Z');
    const flag = await ws.run(['run', 'p.json', '--frobnicate']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--frobnicate'");
    await noRuns();
  });

  it('refuses a missing image before anything runs, naming the step and the fix', async () => {
    const def = fanDefinition();
    const steps = def.Steps as { Arguments: { AppSpecification: { ImageUri: string } } }[];
    steps[2]!.Arguments.AppSpecification.ImageUri = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/nothing-here:1.0';
    ws.write('p.json', def);
    const r = await ws.run(['run', 'p.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('p.json: step "C": image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/nothing-here:1.0" is not present locally and cannot be pulled');
    expect(r.stderr).toContain('cairn.json');
    await noRuns();
    const plan = await ws.run(['plan', 'p.json']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/C\s+blocked\s+image "123456789012/);
  });

  it('answers --help on every command and refuses unknown commands', async () => {
    for (const c of ['plan', 'run', 'resume', 'runs', 'show', 'logs', 'explain']) {
      const r = await ws.run([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`usage: cairn ${c}`);
    }
    const bad = await ws.run(['frob']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown command "frob"');
    const missing = await ws.run(['show', 'nosuchrun']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no run "nosuchrun"');
  });
});
