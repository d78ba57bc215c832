import { request } from 'node:http';

/** How long a lite call waits for the engine before it gives up (dockerode's calls here have no timeout either way). */
const LITE_TIMEOUT_MS = 30_000;

/**
 * The read-only engine calls that `plan` and a fully reused `run` make (ping, image inspect, the labelled containers
 * that reconcile looks for), over the engine's
 * unix socket with node:http, so those commands do not load dockerode (with ssh2, @grpc/grpc-js and protobufjs:
 * ~0.26 s of CPU). The shapes follow dockerode's (`ping()`, `getImage(ref).inspect()`, `listContainers(…)`), and so do its errors (an
 * Error with `statusCode` and the engine's `json` body), so DockerRuntime's error handling reads both alike.
 */
export interface EngineLite {
  ping(): Promise<unknown>;
  getImage(ref: string): { inspect(): Promise<LiteImageInspect> };
  listContainers(opts: { all: boolean; filters: { label: string[] } }): Promise<LiteContainer[]>;
}

export interface LiteContainer {
  Id: string;
  Labels?: Record<string, string> | null;
  State: string;
}

export interface LiteImageInspect {
  Id: string;
  RepoTags?: string[];
  RepoDigests?: string[];
  Size: number;
  Config?: { Labels?: Record<string, string> | null; Env?: string[]; Entrypoint?: string[] | string | null };
}

/** The engine's unix socket when it is local: DOCKER_HOST unset (/var/run/docker.sock) or unix://…; else undefined. */
export function localEngineSocket(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env.DOCKER_HOST;
  if (host === undefined || host === '') return '/var/run/docker.sock';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

class EngineError extends Error {
  constructor(message: string, readonly statusCode: number, readonly json: unknown) {
    super(message);
  }
}

function get(socketPath: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', timeout: LITE_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) { resolve(body); return; }
        let json: unknown = body;
        try { json = JSON.parse(body); } catch { /* the engine's text as it came */ }
        reject(new EngineError(`(HTTP code ${status}) GET ${path} - ${body.trim()}`, status, json));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`the Docker engine did not answer GET ${path} within ${LITE_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

export function engineLite(socketPath: string): EngineLite {
  return {
    ping: () => get(socketPath, '/_ping'),
    getImage: (ref) => ({ inspect: async () => JSON.parse(await get(socketPath, `/images/${ref}/json`)) as LiteImageInspect }),
    listContainers: async ({ all, filters }) =>
      JSON.parse(await get(socketPath, `/containers/json?all=${all ? 1 : 0}&filters=${encodeURIComponent(JSON.stringify(filters))}`)) as LiteContainer[],
  };
}
