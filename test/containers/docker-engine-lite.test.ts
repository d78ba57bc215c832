import { randomUUID } from 'node:crypto';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { engineLite, localEngineSocket } from '../../containers/docker-engine-lite.js';
import { DockerRuntime } from '../../containers/docker-runtime.js';

const IMAGE = 'cairn-local/debian:bookworm';
const SOCKET = localEngineSocket() ?? '/var/run/docker.sock';

describe('ping and image inspect without dockerode (the real engine)', () => {
  it('inspects an image as dockerode does, and a missing one is undefined for both', async () => {
    const lite = new DockerRuntime(); // no options, local socket: the lite path
    const full = new DockerRuntime({ socketPath: SOCKET }); // options: dockerode
    expect(await lite.ping()).toEqual({ ok: true, value: undefined });
    const viaLite = await lite.inspectImage(IMAGE);
    expect(viaLite?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(viaLite).toEqual(await full.inspectImage(IMAGE));
    expect(await lite.inspectImage('cairn-local/no-such-image:never')).toBeUndefined();
    expect(await full.inspectImage('cairn-local/no-such-image:never')).toBeUndefined();
  });

  it('lists the containers with a label as dockerode does (reconcile\'s query)', async () => {
    const label = { 'cairn.test.lite': randomUUID() };
    const docker = new Docker({ socketPath: SOCKET });
    const made = await docker.createContainer({ Image: IMAGE, Cmd: ['/bin/true'], Labels: label });
    try {
      const viaLite = await new DockerRuntime().listContainers(label);
      expect(viaLite).toEqual([{ id: made.id, labels: label, state: 'created' }]);
      expect(viaLite).toEqual(await new DockerRuntime({ socketPath: SOCKET }).listContainers(label));
      expect(await new DockerRuntime().listContainers({ 'cairn.test.lite': randomUUID() })).toEqual([]);
    } finally {
      await made.remove({ force: true });
    }
  });

  it('an engine error other than 404 carries the status and the engine\'s message, as dockerode\'s does', async () => {
    const e = await engineLite(SOCKET).getImage('UPPER/Case:bad').inspect().then(() => undefined, (x: unknown) => x);
    expect(e).toMatchObject({ statusCode: expect.any(Number) as number, json: { message: expect.any(String) as string } });
    expect(localEngineSocket({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toBeUndefined();
    expect(localEngineSocket({})).toBe('/var/run/docker.sock');
    expect(localEngineSocket({ DOCKER_HOST: 'unix:///run/x.sock' })).toBe('/run/x.sock');
  });
});
