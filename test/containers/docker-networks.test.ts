import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../containers/docker-runtime.js';
import { containerLabels, LABEL_RUN } from '../../containers/labels.js';
import type { ContainerSpec } from '../../contracts/container-runtime.js';

const IMAGE = 'cairn-local/python:3.11-numpy';
const runtime = new DockerRuntime();
const runId = `net-${process.pid}-${Date.now()}`;
const labels = containerLabels({ home: '/tmp/cairn-test-home', runId, step: 'S', attempt: 1 });
const created: string[] = [];

afterAll(async () => {
  for (const id of created) await runtime.removeNetwork(id);
});

function py(script: string, extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return { image: IMAGE, entrypoint: ['python3', '-u', '-c', script], env: {}, mounts: [], labels, ...extra };
}

describe('DockerRuntime networks', () => {
  it('creates a labelled network whose containers reach each other by hostname and the host at its gateway', async () => {
    const net = await runtime.createNetwork({ name: `cairn-${runId}`, labels: { [LABEL_RUN]: runId } });
    if (!net.ok) throw new Error(net.error);
    created.push(net.value.id);
    expect(net.value.gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await runtime.listNetworks({ [LABEL_RUN]: runId })).toEqual([{ id: net.value.id, name: `cairn-${runId}`, labels: { [LABEL_RUN]: runId } }]);

    // A server on the host side of the network, bound to the gateway address only.
    const server = createServer((_req, res) => res.end('from-host'));
    await new Promise<void>((r) => server.listen(0, net.value.gateway, r));
    const port = (server.address() as AddressInfo).port;
    try {
      const lines: string[] = [];
      const peer = py('import socket,time\ns=socket.socket(); s.bind(("0.0.0.0", 7000)); s.listen(1); c,_=s.accept(); c.send(b"peer-ok"); c.close()', { hostname: 'algo-2', network: net.value.name });
      const waitPeer = runtime.run(peer);
      const client = py(
        [
          'import socket,time,urllib.request',
          `print(urllib.request.urlopen("http://${net.value.gateway}:${port}/").read().decode())`,
          'for i in range(100):',
          '    try:',
          '        s=socket.create_connection(("algo-2", 7000), timeout=1); print(s.recv(16).decode()); break',
          '    except OSError: time.sleep(0.1)',
          'print(socket.gethostname())',
        ].join('\n'),
        { hostname: 'algo-1', network: net.value.name },
      );
      const r = await runtime.run(client, { onLine: (l) => lines.push(l) });
      expect(r.ok && r.value.exitCode).toBe(0);
      expect(lines).toEqual(['from-host', 'peer-ok', 'algo-1']);
      const p = await waitPeer;
      expect(p.ok && p.value.exitCode).toBe(0);
    } finally {
      server.close();
    }
    await runtime.removeNetwork(net.value.id);
    expect(await runtime.listNetworks({ [LABEL_RUN]: runId })).toEqual([]);
    await runtime.removeNetwork(net.value.id); // already gone: not an error
  });

  it('an isolated container on a network has no network at all', async () => {
    const net = await runtime.createNetwork({ name: `cairn-${runId}-iso`, labels: { [LABEL_RUN]: runId } });
    if (!net.ok) throw new Error(net.error);
    created.push(net.value.id);
    const lines: string[] = [];
    const r = await runtime.run(py('import socket\nprint(sorted(n for _, n in socket.if_nameindex()))', { network: net.value.name, networkIsolated: true }), { onLine: (l) => lines.push(l) });
    expect(r.ok && r.value.exitCode).toBe(0);
    expect(lines).toEqual(["['lo']"]);
  });
});
