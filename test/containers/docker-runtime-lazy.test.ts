import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');

/**
 * In a fresh node process (the built dist/, as the CLI runs it): which of dockerode's heavy packages are loaded after
 * making a DockerRuntime, and after a ping and an image inspect of an engine that is not there.
 */
const PROBE = `
import { createRequire } from 'node:module';
const { DockerRuntime } = await import(process.argv[1]);
const loaded = () => ['dockerode', 'ssh2', '@grpc/grpc-js'].filter((m) => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/node_modules/' + m + '/')));
const runtime = new DockerRuntime(process.argv[2] === 'options' ? { socketPath: '/nonexistent/cairn-lazy-probe.sock' } : undefined);
const made = loaded();
const ping = await runtime.ping();
const image = await runtime.inspectImage('cairn-local/debian:bookworm').then(() => 'found', (e) => e.message);
console.log(JSON.stringify({ made, pinged: loaded(), ping, image }));
`;

function probe(how: 'options' | 'env'): unknown {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, resolve(REPO, 'dist/containers/docker-runtime.js'), how], {
    encoding: 'utf8', env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/cairn-lazy-probe.sock' },
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

const DOWN = 'connect ENOENT /nonexistent/cairn-lazy-probe.sock';

describe('DockerRuntime loads dockerode on first use, and not at all for ping and image inspect of a local engine', () => {
  it('made with options: making it loads none of dockerode, ssh2, grpc; its first call loads them', () => {
    expect(probe('options')).toEqual({ made: [], pinged: ['dockerode', 'ssh2', '@grpc/grpc-js'], ping: { ok: false, error: DOWN }, image: DOWN });
  });

  it('on DOCKER_HOST=unix://…: ping and inspect go over the socket without dockerode, failing with the same words', () => {
    expect(probe('env')).toEqual({ made: [], pinged: [], ping: { ok: false, error: DOWN }, image: DOWN });
  });
});
