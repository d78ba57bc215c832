import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pyStep } from './fixtures.js';
import { Workspace, type RunJson } from './harness.js';

/** A fresh home: the step's cache decision (`show --json` / `run --json` field `decision`). */
const NO_EARLIER = { action: 'run', reason: { kind: 'no-earlier-execution' } };

let ws: Workspace;
beforeEach(() => { ws = new Workspace(); });
afterEach(() => ws.dispose());

/** Prints the container's CPU quota (in CPUs) and memory limit, from cgroup v1 or v2. */
const PRINT_LIMITS = [
  'def r(p):',
  '    try:',
  '        return open(p).read().strip()',
  '    except OSError:',
  '        return None',
  "quota, period = r('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'), r('/sys/fs/cgroup/cpu/cpu.cfs_period_us')",
  "mem = r('/sys/fs/cgroup/memory/memory.limit_in_bytes')",
  'if quota is None:',
  "    quota, period = r('/sys/fs/cgroup/cpu.max').split()",
  "    mem = r('/sys/fs/cgroup/memory.max')",
  "cpus = 'unlimited' if quota in ('-1', 'max') else int(quota) / int(period)",
  "print(f'cpus={cpus} memory={mem}')",
].join('\n');

function step(name: string, instanceType: string): Record<string, unknown> {
  const s = pyStep(name, PRINT_LIMITS, [], []) as { Arguments: { ProcessingResources: { ClusterConfig: { InstanceType: string } } } };
  s.Arguments.ProcessingResources.ClusterConfig.InstanceType = instanceType;
  return s;
}

const pipeline = (...steps: Record<string, unknown>[]): object => ({ Version: '2020-12-01', Metadata: {}, Parameters: [], Steps: steps });
const engine = JSON.parse(execFileSync('docker', ['info', '--format', '{{json .}}']).toString()) as { NCPU: number; MemTotal: number; Runtimes: Record<string, unknown> };
const GiB = 1024 ** 3;

describe('instance types', () => {
  it('limits CPU and memory to the instance size, scaled down to this machine with a notice', async () => {
    ws.write('p.json', pipeline(step('T3', 'ml.t3.medium'), step('M5', 'ml.m5.large'), step('Big', 'ml.m5.4xlarge'), step('Local', 'local')));
    const r = await ws.run(['run', 'p.json', '--max-parallel', '1']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const runId = /run ([a-z0-9]{12}) /.exec(r.stdout)![1]!;
    const limits = async (s: string): Promise<string> => (await ws.run(['logs', runId, s])).stdout.trim();
    const gib = (bytes: number): string => String(Math.round((bytes / GiB) * 10) / 10);
    // The rule of containers/instance-types.ts, computed for this host: the instance's size, each of CPUs and memory
    // capped at the engine's; a notice names both sides exactly when either was capped, and is absent otherwise.
    const expectSized = async (name: string, type: string, vcpus: number, memGiB: number): Promise<void> => {
      const cpus = Math.min(vcpus, engine.NCPU);
      const mem = Math.min(memGiB * GiB, engine.MemTotal);
      expect(await limits(name)).toBe(`cpus=${cpus}.0 memory=${mem}`);
      const notice = `${name}: ${type} has ${vcpus} vCPUs and ${memGiB} GiB of memory but this machine has ${engine.NCPU} CPUs and ${gib(engine.MemTotal)} GiB: the container gets ${cpus} CPUs and ${gib(mem)} GiB\n`;
      if (cpus < vcpus || mem < memGiB * GiB) expect(r.stdout).toContain(notice);
      else expect(r.stdout).not.toContain(`${name}: ${type} has`);
    };
    await expectSized('T3', 'ml.t3.medium', 2, 4);
    await expectSized('M5', 'ml.m5.large', 2, 8);
    await expectSized('Big', 'ml.m5.4xlarge', 16, 64);
    expect(await limits('Local')).toMatch(/^cpus=unlimited memory=(\d{16,}|max)$/);
  });

  // Meaningful only where the engine has no GPU runtime (every machine of this project so far); with one, the GPU
  // request would succeed and there is no refusal to check.
  it.skipIf('nvidia' in engine.Runtimes)('fails a GPU instance type clearly when the engine has no GPU runtime', async () => {
    ws.write('p.json', pipeline(step('Gpu', 'ml.g4dn.xlarge')));
    const r = await ws.json<RunJson>(['run', 'p.json', '--json']);
    expect(r.result.code).toBe(1);
    expect(r.json.steps).toEqual([{ name: 'Gpu', status: 'failed', reused: false, attempts: 1, decision: NO_EARLIER }]);
    expect(r.result.stderr).toContain('step "Gpu" failed: Processing step "Gpu": instance type ml.g4dn.xlarge '
      + '(ProcessingResources.ClusterConfig.InstanceType) asks for 1 GPU, but the Docker engine has no GPU runtime '
      + '(could not select device driver "" with capabilities: [[gpu]]). Use a CPU instance type such as ml.m5.xlarge');
  });

  it('refuses an unknown ml. instance type, naming the field and close matches', async () => {
    ws.write('p.json', pipeline(step('Typo', 'ml.m5.larg')));
    const plan = await ws.run(['plan', 'p.json']);
    expect(plan.stdout + plan.stderr).toContain('Processing step "Typo": Arguments.ProcessingResources.ClusterConfig.InstanceType is "ml.m5.larg", '
      + 'which is not a SageMaker instance type cairn knows; use a known type (close matches: ml.m5.large, ml.m5.xlarge, ml.c5.large)');
  });
});
