import { createServer, type Server } from 'node:http';

/** One request that went through the proxy: the operation (X-Amz-Target) and the JSON body as sent. */
export interface Recorded {
  target: string;
  body: string;
}

/**
 * A loopback HTTP proxy in front of moto that records each request the real SDK client sends, then forwards it
 * unchanged; for what moto accepts but does not keep (SelectiveExecutionConfig).
 */
export class RecordingProxy {
  readonly requests: Recorded[] = [];
  private server: Server | undefined;
  private upstream = '';
  port = 0;

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens on a free loopback port, forwarding to `upstream` (e.g. moto's endpoint). */
  async start(upstream: string): Promise<void> {
    this.upstream = upstream;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        this.requests.push({ target: String(req.headers['x-amz-target'] ?? ''), body: body.toString() });
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && k !== 'host' && k !== 'content-length')) as Record<string, string>;
        const init: RequestInit = { method: req.method ?? 'GET', headers, ...(body.length > 0 ? { body } : {}) };
        fetch(`${this.upstream}${req.url ?? '/'}`, init).then(async (up) => {
          const out = Buffer.from(await up.arrayBuffer());
          res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
          res.end(out);
        }, (e: unknown) => { res.writeHead(502); res.end(String(e)); });
      });
    });
    this.server = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address();
    this.port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  }

  /** The bodies of the requests for one operation (e.g. "StartPipelineExecution"), parsed. */
  bodies(operation: string): Record<string, unknown>[] {
    return this.requests.filter((r) => r.target.endsWith(`.${operation}`)).map((r) => JSON.parse(r.body) as Record<string, unknown>);
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s !== undefined) await new Promise<void>((r) => s.close(() => r()));
  }
}
