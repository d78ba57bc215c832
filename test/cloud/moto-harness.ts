import { afterAll, beforeAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { cloudClients, type CloudClients } from '../../cloud/clients.js';

/**
 * A moto server on loopback for tests of the cloud commands: real @aws-sdk v3 clients talk to it through the
 * standard endpoint variables. `start()` once per file (beforeAll), `reset()` between tests, `stop()` after.
 */
export const MOTO_REGION = 'us-east-1';
export const MOTO_ACCOUNT = '123456789012';
/** A role ARN moto accepts (it does not check that the role exists). */
export const MOTO_ROLE_ARN = `arn:aws:iam::${MOTO_ACCOUNT}:role/cairn-test`;
const DUMMY = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' } as const;

export class MotoServer {
  private child: ChildProcess | undefined;
  private output = '';
  port = 0;

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Environment for the clients and for spawned CLIs: dummy credentials, the region and the endpoint. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...DUMMY,
      AWS_REGION: MOTO_REGION,
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...extra,
    };
  }

  async start(): Promise<void> {
    const found = spawnSync('moto_server', ['--help'], { stdio: 'ignore' });
    if (found.error !== undefined) {
      throw new Error(`moto_server is not installed or not on PATH (${found.error.message}). Install it with: pip install 'moto[server]'`);
    }
    this.port = await freePort();
    const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(this.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => { this.output = (this.output + d.toString()).slice(-4000); });
    child.stderr?.on('data', (d: Buffer) => { this.output = (this.output + d.toString()).slice(-4000); });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}:\n${this.output}`);
      try {
        const res = await fetch(`${this.endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
        if (res.ok || res.status < 500) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    await this.stop();
    throw new Error(`moto_server did not answer on ${this.endpoint} within 30 seconds:\n${this.output}`);
  }

  /** Forgets every resource (buckets, pipelines …) moto holds. */
  async reset(): Promise<void> {
    const res = await fetch(`${this.endpoint}/moto-api/reset`, { method: 'POST' });
    if (!res.ok) throw new Error(`moto reset failed with HTTP ${res.status}`);
  }

  /** S3 and SageMaker clients pointed at this server with dummy credentials. */
  clients(): CloudClients {
    const c = cloudClients({ region: MOTO_REGION, env: this.env(), credentials: { accessKeyId: DUMMY.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY.AWS_SECRET_ACCESS_KEY } });
    if (!c.ok) throw new Error(c.error);
    return c.value;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * One moto server for a test file: started before its tests (the process environment pointed at it, so the CLI the
 * tests spawn talks to it), stopped after, with the environment restored. `clients()` are real SDK v3 clients on it.
 */
export function useMotoServer(): { moto: MotoServer; clients: () => CloudClients } {
  const moto = new MotoServer();
  const saved = { ...process.env };
  let c: CloudClients | undefined;
  beforeAll(async () => {
    await moto.start();
    Object.assign(process.env, moto.env());
    c = moto.clients();
  });
  afterAll(async () => {
    c?.destroy();
    process.env = saved;
    await moto.stop();
  });
  return {
    moto,
    clients: () => {
      if (c === undefined) throw new Error('useMotoServer: the clients exist once the beforeAll hook has run');
      return c;
    },
  };
}
