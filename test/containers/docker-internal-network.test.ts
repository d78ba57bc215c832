import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../containers/docker-runtime.js';
import { containerLabels, LABEL_RUN } from '../../containers/labels.js';
import type { ContainerSpec } from '../../contracts/container-runtime.js';

/** An internal network (a multi-instance job with EnableNetworkIsolation): its hosts reach each other, nothing else. */
const IMAGE = 'cairn-local/python:3.11-numpy';
const runtime = new DockerRuntime();
const runId = `inet-${process.pid}-${Date.now()}`;
const labels = containerLabels({ home: '/tmp/cairn-test-home', runId, step: 'S', attempt: 1 });
const created: string[] = [];
afterAll(async () => {
  for (const id of created) await runtime.removeNetwork(id);
});

describe('DockerRuntime internal networks', () => {
  it('lets the hosts of an internal network reach each other by name, and nothing outside', async () => {
    const net = await runtime.createNetwork({ name: `cairn-${runId}`, labels: { [LABEL_RUN]: runId }, internal: true });
    if (!net.ok) throw new Error(net.error);
    created.push(net.value.id);
    const py = (hostname: string, script: string): ContainerSpec => ({ image: IMAGE, entrypoint: ['python3', '-u', '-c', script], env: {}, mounts: [], labels, hostname, network: net.value.name });
    const peer = runtime.run(py('algo-2', 'import socket\ns=socket.socket(); s.bind(("0.0.0.0", 7000)); s.listen(1); c,_=s.accept(); c.send(b"peer-ok"); c.close()'));
    const lines: string[] = [];
    const r = await runtime.run(py('algo-1', [
      'import socket,time',
      'for i in range(100):',
      '    try:',
      '        s=socket.create_connection(("algo-2", 7000), timeout=1); print(s.recv(16).decode()); break',
      '    except OSError: time.sleep(0.1)',
      'try:',
      '    socket.create_connection(("1.1.1.1", 53), timeout=2); print("egress")',
      'except OSError: print("no-egress")',
    ].join('\n')), { onLine: (l) => lines.push(l) });
    expect(r.ok && r.value.exitCode).toBe(0);
    expect(lines).toEqual(['peer-ok', 'no-egress']);
    const p = await peer;
    expect(p.ok && p.value.exitCode).toBe(0);
  });
});
