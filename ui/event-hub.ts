import type { ServerResponse } from 'node:http';
import { changeMark } from '../cache/run-page.js';
import type { Store } from '../cache/store.js';

/** One server-sent-events subscriber: what it watches, and the last payload it was sent (only changes are pushed). */
interface Client {
  res: ServerResponse;
  event: string;
  payload: () => unknown;
  last?: string;
}

/**
 * Pushes store changes to the pages as server-sent events. Every `intervalMs` it reads SQLite's `data_version`
 * (which changes when another connection, such as a running `cairn run`, commits); only then does it rebuild each
 * subscriber's payload, and it sends one only when it differs from what that subscriber last got.
 */
export class EventHub {
  private readonly clients = new Set<Client>();
  private mark: number;
  private readonly timer: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly store: Store, private readonly onChange: () => void, intervalMs = 250) {
    this.mark = changeMark(store.db);
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.heartbeat = setInterval(() => { for (const c of this.clients) c.res.write(': keep-alive\n\n'); }, 15_000);
    this.timer.unref();
    this.heartbeat.unref();
  }

  subscribe(res: ServerResponse, event: string, payload: () => unknown): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    const client: Client = { res, event, payload };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    this.send(client);
  }

  /** Re-reads now (after the server's own write, which does not move `data_version` for its own connection). */
  poke(): void {
    for (const c of this.clients) this.send(c);
  }

  private tick(): void {
    let mark: number;
    try {
      mark = changeMark(this.store.db);
    } catch {
      return; // a busy or briefly unreadable database: the next tick tries again
    }
    if (mark === this.mark) return;
    this.mark = mark;
    this.onChange();
    this.poke();
  }

  private send(c: Client): void {
    let text: string;
    try {
      text = JSON.stringify(c.payload());
    } catch (e) {
      text = JSON.stringify({ error: (e as Error).message });
    }
    if (text === c.last) return;
    c.last = text;
    c.res.write(`event: ${c.event}\ndata: ${text}\n\n`);
  }

  close(): void {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  get size(): number {
    return this.clients.size;
  }
}
