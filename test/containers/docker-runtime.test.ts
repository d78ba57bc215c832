import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime, sortMounts } from '../../containers/docker-runtime.js';
import { containerLabels, LABEL_RUN, LABEL_STEP } from '../../containers/labels.js';
import type { ContainerSpec } from '../../contracts/container-runtime.js';

const IMAGE = 'cairn-local/python:3.11-numpy';
const runtime = new DockerRuntime();
const runId = `rt-${process.pid}-${Date.now()}`;
const labels = containerLabels({ home: '/tmp/cairn-test-home', runId, step: 'S', attempt: 1 });
const tmp = mkdtempSync(join(tmpdir(), 'cairn-rt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function spec(script: string, extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return { image: IMAGE, entrypoint: ['python3', '-u', '-c', script], env: {}, mounts: [], labels, ...extra };
}

async function leftovers(): Promise<number> {
  return (await runtime.listContainers({ [LABEL_RUN]: runId })).length;
}

describe('DockerRuntime', () => {
  it('pings the engine and inspects a local image', async () => {
    expect((await runtime.ping()).ok).toBe(true);
    const info = await runtime.inspectImage(IMAGE);
    expect(info?.id).toMatch(/^sha256:/);
    expect(await runtime.inspectImage('cairn-local/does-not-exist:1')).toBeUndefined();
  });

  it('streams stdout/stderr as lines, joining partial lines across writes, and removes the container', async () => {
    const lines: [string, string][] = [];
    const script = [
      'import sys, time',
      'sys.stdout.write("hel"); sys.stdout.flush(); time.sleep(0.2)',
      'sys.stdout.write("lo\\nwor"); sys.stdout.flush(); time.sleep(0.2)',
      'sys.stdout.write("ld\\r\\n"); sys.stdout.flush()',
      'sys.stderr.write("err line\\n"); sys.stderr.flush()',
      'sys.stdout.write("\\r10%\\r20%\\n\\nünïcode\\nno newline at end")',
    ].join('\n');
    const ends: string[] = [];
    const r = await runtime.run(spec(script), { onLine: (l, s, end) => { lines.push([l, s]); if (s === 'stdout') ends.push(end ?? '?'); } });
    expect(r.ok && r.value.exitCode).toBe(0);
    expect(lines.filter(([, s]) => s === 'stdout').map(([l]) => l)).toEqual(['hello', 'world', '10%', '20%', '', 'ünïcode', 'no newline at end']);
    expect(ends).toEqual(['\n', '\n', '\r', '\n', '\n', '\n', '\n']); // how each ended: 10% by a lone \r
    expect(lines.filter(([, s]) => s === 'stderr').map(([l]) => l)).toEqual(['err line']);
    expect(await leftovers()).toBe(0);
  });

  it('reports a non-zero exit code, applies env and mounts, and removes the container', async () => {
    const dir = join(tmp, 'm');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'ro'), { recursive: true });
    mkdirSync(join(dir, 'rw'), { recursive: true });
    writeFileSync(join(dir, 'ro', 'in.txt'), 'input');
    const script = [
      'import os',
      'print(open("/data/in/in.txt").read() + os.environ["GREETING"])',
      'open("/data/out/o.txt", "w").write("written")',
      'try:\n  open("/data/in/x", "w")\nexcept OSError as e:\n  print("readonly", e.errno)',
      'raise SystemExit(3)',
    ].join('\n');
    const lines: string[] = [];
    const r = await runtime.run(
      spec(script, {
        env: { GREETING: ' hi' },
        mounts: [
          { hostPath: join(dir, 'rw'), containerPath: '/data/out', readOnly: false },
          { hostPath: join(dir, 'ro'), containerPath: '/data/in', readOnly: true },
        ],
      }),
      { onLine: (l) => lines.push(l) },
    );
    expect(r.ok && r.value.exitCode).toBe(3);
    expect(r.ok && r.value.oomKilled).toBe(false);
    expect(lines).toEqual(['input hi', 'readonly 30']);
    expect(readFileSync(join(dir, 'rw', 'o.txt'), 'utf8')).toBe('written');
    expect(await leftovers()).toBe(0);
  });

  it('carries the labels while running, and an abort stops and removes the container', async () => {
    const ac = new AbortController();
    let created: string | undefined;
    const started = Date.now();
    let seen: Awaited<ReturnType<typeof runtime.listContainers>> = [];
    const pending = runtime.run(spec('import time\nprint("up", flush=True)\ntime.sleep(60)'), {
      signal: ac.signal,
      onCreated: (id) => (created = id),
      onLine: async (line) => {
        if (line !== 'up') return;
        try {
          // The engine's state can lag the process's first output under load: look again until it says running.
          for (let i = 0; i < 50; i++) {
            seen = await runtime.listContainers({ [LABEL_RUN]: runId });
            if (seen[0]?.state === 'running') break;
            await new Promise((res) => setTimeout(res, 100));
          }
        } finally {
          ac.abort();
        }
      },
    });
    const r = await pending;
    expect(seen.map((c) => c.id)).toEqual([created]);
    expect(seen[0]?.labels).toMatchObject(labels);
    expect(seen[0]?.state).toBe('running');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ reason: 'stopped', containerId: created });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await leftovers()).toBe(0);
  });

  it('returns stopped without creating anything when already aborted', async () => {
    const r = await runtime.run(spec('print(1)'), { signal: AbortSignal.abort() });
    expect(!r.ok && r.error.reason).toBe('stopped');
  });

  it('reports a missing image as image-missing', async () => {
    const r = await runtime.run({ ...spec('print(1)'), image: 'cairn-local/does-not-exist:1' });
    expect(!r.ok && r.error.reason).toBe('image-missing');
  });

  it('reports an OOM kill', async () => {
    const r = await runtime.run(spec('x = bytearray(200 * 1024 * 1024)\nx[::4096] = b"1" * len(x[::4096])', { memoryBytes: 32 * 1024 * 1024 }));
    expect(r.ok && r.value.oomKilled).toBe(true);
    expect(await leftovers()).toBe(0);
  });

  it('lists containers that are not running by label, and removeContainer ignores a missing one', async () => {
    const c = await new Docker().createContainer({ Image: IMAGE, Cmd: ['true'], Labels: labels });
    const listed = await runtime.listContainers({ [LABEL_RUN]: runId });
    expect(listed).toEqual([{ id: c.id, labels: expect.objectContaining(labels), state: 'created' }]);
    expect(await runtime.listContainers({ [LABEL_RUN]: runId, [LABEL_STEP]: 'other' })).toEqual([]);
    await runtime.removeContainer(c.id);
    await runtime.removeContainer(c.id);
    expect(await leftovers()).toBe(0);
  });

  it('sorts mounts parents first', () => {
    const m = (p: string) => ({ hostPath: '/h', containerPath: p, readOnly: true });
    const sorted = sortMounts([m('/opt/ml/output/data'), m('/opt/ml/input/data/a'), m('/opt/ml/output'), m('/opt/ml')]);
    expect(sorted.map((x) => x.containerPath)).toEqual(['/opt/ml', '/opt/ml/output', '/opt/ml/output/data', '/opt/ml/input/data/a']);
  });

  it('canPull fails quickly with a cause when no registry is reachable', async () => {
    const t0 = Date.now();
    const r = await runtime.canPull('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
    console.log('canPull cause:', r.ok ? '' : r.error);
    expect(Date.now() - t0).toBeLessThan(8_000);
  });

  it('pullImage fails with the error message when the registry is unreachable', async () => {
    const progress: string[] = [];
    const r = await runtime.pullImage('cairn-unreachable.invalid/none:1', (p) => progress.push(p.status));
    expect(r.ok).toBe(false);
    // The engine's own sentence (which request, which host), without dockerode's "(HTTP code 500) … -" wrapper.
    if (!r.ok) {
      expect(r.error).toMatch(/^Get "https:\/\/cairn-unreachable\.invalid\/v2\/": \S.*cairn-unreachable\.invalid/);
      expect(r.error).not.toMatch(/HTTP code|^Error/);
    }
    expect(progress).toEqual([]);
  });

  // The time a no-op container takes is measured by `npm run bench` (a) (its direct-dockerode baseline); here only
  // what must hold: each run exits 0 and removes its container.
  it('runs a no-op container again and again, each to exit code 0, leaving no container behind', async () => {
    const noop: ContainerSpec = { image: IMAGE, entrypoint: ['/bin/true'], env: {}, mounts: [], labels };
    for (let i = 0; i < 3; i++) {
      const r = await runtime.run(noop);
      expect(r.ok && r.value.exitCode).toBe(0);
      expect(await leftovers()).toBe(0);
    }
    expect(await leftovers()).toBe(0);
  });
});
