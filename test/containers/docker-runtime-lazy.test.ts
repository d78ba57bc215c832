import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');

/**
 * In a fresh node process (the built dist/, as the CLI runs it): which of dockerode's heavy packages are loaded after
 * making a DockerRuntime, and after its first call (a ping of an engine that is not there).
 */
const PROBE = `
import { createRequire } from 'node:module';
const { DockerRuntime } = await import(process.argv[1]);
const loaded = () => ['dockerode', 'ssh2', '@grpc/grpc-js'].filter((m) => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/node_modules/' + m + '/')));
const runtime = new DockerRuntime({ socketPath: '/nonexistent/cairn-lazy-probe.sock' });
const made = loaded();
const ping = await runtime.ping();
console.log(JSON.stringify({ made, pinged: loaded(), ping: ping.ok }));
`;

describe('DockerRuntime loads dockerode on first use', () => {
  it('making the runtime loads none of dockerode, ssh2, grpc; its first call loads them and works', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, resolve(REPO, 'dist/containers/docker-runtime.js')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ made: [], pinged: ['dockerode', 'ssh2', '@grpc/grpc-js'], ping: false });
  });
});
