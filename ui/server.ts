import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runPage } from '../cache/run-page.js';
import { runIsLive } from '../cache/run-lock.js';
import { Store } from '../cache/store.js';
import { markInterrupted } from '../engine/run/reconcile.js';
import { handleApi, type ApiContext } from './api.js';
import { EventHub } from './event-hub.js';
import { HttpError, sendJson } from './http-error.js';
import { DagCache } from './run-view.js';
import { isLoopback, newToken, readRefusal, tokenCookie, writeRefusal, type Gate } from './security.js';
import { defaultAssetsDir, loadAssets } from './static-assets.js';
import type { AnswerCallback, UiWords } from './ui-words.js';

export interface UiOptions {
  /** The cairn home's root and database file. */
  home: { root: string; db: string };
  host?: string;
  port?: number;
  words: UiWords;
  answerCallback?: AnswerCallback;
  /** The built front end (default: dist/ui/app). */
  assetsDir?: string;
  /** How often the store is polled for changes (default 250 ms). */
  pollMs?: number;
  /** A fixed token (tests); default: a fresh random one. */
  token?: string;
  /** Whether every request needs the token (default: when `host` is not loopback). */
  tokenForReads?: boolean;
}

export interface UiServer {
  url: string;
  token: string;
  loopback: boolean;
  server: Server;
  /** The server's store connection (the callers' writes go through it, so the pages see them at once). */
  store: Store;
  close(): Promise<void>;
}

const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** Marks runs whose owner died as stopped (what `cairn runs` does before it lists), so a killed run does not look live. */
function settleDeadRuns(store: Store): void {
  for (const r of runPage(store.db, { status: 'running' }, 0, 200).runs) {
    if (!runIsLive(store, r.runId)) markInterrupted(store, r.runId);
  }
}

/**
 * `cairn ui`'s web server: the built pages, a JSON API over the store (read through the same report, registry and
 * store functions as the CLI), server-sent events for live changes, and the two writes the CLI also makes (model
 * approvals, callback answers). Binds 127.0.0.1 unless told otherwise.
 */
export async function startUiServer(opts: UiOptions): Promise<UiServer> {
  const host = opts.host ?? '127.0.0.1';
  const loopback = isLoopback(host) && opts.tokenForReads !== true;
  const token = opts.token ?? newToken();
  const store = Store.open(opts.home.db);
  const gate: Gate = { token, loopback, port: () => (server.address() as AddressInfo | null)?.port ?? 0 };
  try { settleDeadRuns(store); } catch { /* a full disk: shown as recorded */ }
  const hub = new EventHub(store, () => undefined, opts.pollMs ?? 250);
  const settle = setInterval(() => {
    try { settleDeadRuns(store); } catch { /* retried on the next tick */ }
  }, 2000);
  settle.unref();
  const ctx: ApiContext = { store, home: opts.home.root, words: opts.words, dags: new DagCache(), hub, ...(opts.answerCallback ? { answerCallback: opts.answerCallback } : {}) };
  const assets = loadAssets(opts.assetsDir ?? defaultAssetsDir());

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://ui.invalid');
    } catch {
      throw new HttpError(400, 'the request URL cannot be parsed');
    }
    const refusal = readRefusal(gate, req, url);
    if (refusal !== undefined) throw new HttpError(loopback ? 421 : 401, refusal);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const w = writeRefusal(gate, req);
      if (w !== undefined) throw new HttpError(403, w);
    }
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return handleApi(ctx, req, res, url);
    const asset = req.method === 'GET' || req.method === 'HEAD' ? assets.get(url.pathname) : undefined;
    if (asset === undefined) throw new HttpError(404, `nothing at ${url.pathname.slice(0, 120)}`);
    const headers: Record<string, string> = { 'content-type': asset.type, 'x-content-type-options': 'nosniff', 'content-security-policy': CSP, 'referrer-policy': 'no-referrer' };
    if (url.pathname === '/' && url.searchParams.get('token') === token) headers['set-cookie'] = tokenCookie(token);
    headers['cache-control'] = url.pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store';
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      const message = e instanceof HttpError ? e.message : `internal error: ${(e as Error).message}`;
      if (res.headersSent) { res.end(); return; }
      sendJson(res, status, { error: message });
    });
  });
  server.on('clientError', (_e, socket) => { if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'); });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => resolve());
    });
  } catch (e) {
    clearInterval(settle);
    hub.close();
    store.close();
    throw e;
  }
  const port = gate.port();
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`, token, loopback, server, store,
    close: async () => {
      clearInterval(settle);
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}
