import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * What bench (i) needs to run the SageMaker Python SDK v2's local mode here: the SDK's venv (scripts/ensure-sagemaker-
 * sdk.sh), a Compose that local mode can call (it tries `docker compose`, then `docker-compose`; PyPI's docker-compose
 * no longer installs, so the setup installs Debian's `docker-compose` 1.29 with apt-get when neither is there), and
 * moto's server as its S3. `why` is a sentence saying what is missing, printed instead of a figure.
 */
export interface LocalModeTools {
  python: string;
  compose: string;
  /** Environment for the SDK's scripts: moto's endpoint, dummy credentials, telemetry off. */
  env: NodeJS.ProcessEnv;
  stop: () => void;
}

const VENV = join(homedir(), '.cache/cairn/sagemaker-sdk');

function works(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

/** `docker compose` or `docker-compose`, installing Debian's docker-compose when neither answers (root only). */
export function findCompose(log: (l: string) => void): string | undefined {
  if (works('docker', ['compose', 'version'])) return 'docker compose';
  if (works('docker-compose', ['version'])) return 'docker-compose';
  if (process.getuid?.() === 0 && works('apt-get', ['--version'])) {
    log('  setup: neither `docker compose` nor `docker-compose` answers; installing Debian\'s docker-compose (apt-get)');
    spawnSync('apt-get', ['install', '-y', '-q', 'docker-compose'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (works('docker-compose', ['version'])) return 'docker-compose';
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode} before answering`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`moto_server did not answer at ${url} within 20 s`);
}

/** The tools, or the sentence that says why local mode cannot run here. */
export async function setUpLocalMode(dir: string, log: (l: string) => void): Promise<LocalModeTools | { why: string }> {
  const python = join(VENV, 'bin/python');
  const moto = join(VENV, 'bin/moto_server');
  if (!existsSync(python) || !existsSync(moto)) {
    return { why: `the SageMaker Python SDK's venv (${VENV}, with moto) is missing: run bash scripts/ensure-sagemaker-sdk.sh` };
  }
  if (!works('docker', ['info'])) return { why: 'no Docker engine answers (`docker info` failed)' };
  const compose = findCompose(log);
  if (compose === undefined) return { why: 'local mode needs `docker compose` or `docker-compose`, and neither is installed (apt-get install docker-compose)' };
  const port = await freePort();
  const server = spawn(moto, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForHttp(endpoint, server);
  // The SDK's telemetry calls an AWS endpoint on every job; a config file turns it off (this machine is offline).
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'sagemaker-config.yaml');
  writeFileSync(config, 'SchemaVersion: "1.0"\nSageMaker:\n  PythonSDK:\n    Modules:\n      TelemetryOptOut: true\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1', SAGEMAKER_USER_CONFIG_OVERRIDE: config, SAGEMAKER_SUPPRESS_V2_WARNING: '1',
  };
  log(`  setup: ${compose}; moto_server at ${endpoint}; the SDK in ${VENV}`);
  return { python, compose, env, stop: () => { server.kill('SIGTERM'); } };
}
