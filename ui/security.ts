import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Whether a bind address is the loopback interface (the default: only this machine can reach the UI). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

const COOKIE = 'cairn_ui_token';

function sameToken(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token a request carries: the `x-cairn-token` header, the UI's cookie, or `?token=` (the printed URL). */
export function requestToken(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers['x-cairn-token'];
  if (typeof header === 'string') return header;
  const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${COOKIE}=`));
  if (cookie !== undefined) return cookie.slice(COOKIE.length + 1);
  return url.searchParams.get('token') ?? undefined;
}

export function tokenCookie(token: string): string {
  return `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

export interface Gate {
  /** The token every request needs when the UI listens beyond loopback, and a state change needs without same-origin. */
  token: string;
  /** True when bound to loopback: reads need no token, but the Host header must name this machine. */
  loopback: boolean;
  port(): number;
}

/** Host names a loopback UI answers to: a page on another site that resolves its own name to 127.0.0.1 does not pass. */
function loopbackHost(hostHeader: string | undefined, port: number): boolean {
  if (hostHeader === undefined) return false;
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(hostHeader.toLowerCase());
}

/**
 * Why a request may not read: a loopback UI refuses a foreign Host (DNS rebinding); a UI on another interface
 * refuses a request without the token. Undefined: it may.
 */
export function readRefusal(gate: Gate, req: IncomingMessage, url: URL): string | undefined {
  if (gate.loopback) return loopbackHost(req.headers.host, gate.port()) ? undefined : 'this UI answers only to 127.0.0.1, localhost or [::1]';
  return sameToken(requestToken(req, url), gate.token) ? undefined : 'this UI listens beyond loopback: open the URL with the token cairn printed';
}

/**
 * Why a state-changing request (an approval, a callback answer) is refused: it needs the token in `x-cairn-token`,
 * or to come from the UI's own pages (Sec-Fetch-Site same-origin, or an Origin equal to the Host it was sent to).
 */
export function writeRefusal(gate: Gate, req: IncomingMessage): string | undefined {
  if (sameToken(typeof req.headers['x-cairn-token'] === 'string' ? req.headers['x-cairn-token'] : undefined, gate.token)) return undefined;
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const host = req.headers.host;
  const sameOrigin = origin !== undefined && host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
  if (sameOrigin && (site === undefined || site === 'same-origin')) return undefined;
  return 'a change needs the UI token (x-cairn-token) or a request from the UI\'s own page (same origin)';
}
