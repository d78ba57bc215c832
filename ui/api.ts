import type { IncomingMessage, ServerResponse } from 'node:http';
import { runPage, type RunFilter } from '../cache/run-page.js';
import type { Store } from '../cache/store.js';
import { isJsonObject } from '../kernel/json.js';
import { compareRuns } from '../engine/reports/compare-runs.js';
import { listExperiments, trialDetail } from '../engine/reports/experiments.js';
import { lowerIsBetter } from '../registry/views.js';
import { artifactPreview } from './artifact-preview.js';
import type { EventHub } from './event-hub.js';
import { HttpError, intParam, readJsonBody, sendJson } from './http-error.js';
import { changeApproval, modelGroup, modelGroups, modelVersion } from './models-api.js';
import { getRunOr404, runView, type DagCache } from './run-view.js';
import { logChunk, stepDetail } from './step-view.js';
import type { AnswerCallback, UiWords } from './ui-words.js';

export interface ApiContext {
  store: Store;
  home: string;
  words: UiWords;
  dags: DagCache;
  hub: EventHub;
  answerCallback?: AnswerCallback;
}

type Handler = (ctx: ApiContext, p: string[], q: URLSearchParams, req: IncomingMessage, res: ServerResponse) => unknown;

interface Route { method: 'GET' | 'POST'; pattern: string[]; handler: Handler }

const STATUSES = new Set(['running', 'succeeded', 'failed', 'stopped']);

function runFilter(q: URLSearchParams): RunFilter {
  const f: RunFilter = {};
  const pipeline = q.get('pipeline'); if (pipeline !== null && pipeline !== '') f.pipeline = pipeline;
  const status = q.get('status');
  if (status !== null && status !== '') {
    if (!STATUSES.has(status)) throw new HttpError(400, `query parameter "status" must be one of ${[...STATUSES].join(', ')}, not "${status.slice(0, 40)}"`);
    f.status = status;
  }
  const search = q.get('q'); if (search !== null && search !== '') f.search = search;
  const param = q.get('param');
  if (param !== null && param !== '') {
    const eq = param.indexOf('=');
    if (eq < 1) throw new HttpError(400, 'query parameter "param" must be name=value');
    f.parameter = { name: param.slice(0, eq), value: param.slice(eq + 1) };
  }
  return f;
}

function runIds(q: URLSearchParams): string[] {
  const ids = (q.get('runs') ?? '').split(',').filter((s) => s !== '');
  if (ids.length < 1 || ids.length > 10) throw new HttpError(400, 'query parameter "runs" must list 1 to 10 run ids, comma-separated');
  return ids;
}

const ROUTES: Route[] = [
  { method: 'GET', pattern: ['runs'], handler: (c, _p, q) => runPage(c.store.db, runFilter(q), intParam(q, 'offset', 0, 1e9), intParam(q, 'limit', 50, 500)) },
  { method: 'GET', pattern: ['runs', ':run'], handler: (c, [id]) => runView(c.store, c.dags, c.words, id!) },
  { method: 'GET', pattern: ['runs', ':run', 'steps', ':step'], handler: (c, [id, step]) => stepDetail(c.store, c.words, id!, step!) },
  {
    method: 'GET', pattern: ['runs', ':run', 'steps', ':step', 'log'],
    handler: (c, [id, step], q) => logChunk(c.store, id!, step!, q.has('attempt') ? intParam(q, 'attempt', 0, 1e6) : undefined, intParam(q, 'offset', 0, 2 ** 50)),
  },
  {
    method: 'GET', pattern: ['events'],
    handler: (c, _p, q, _req, res) => {
      const run = q.get('run');
      if (run === null) {
        c.hub.subscribe(res, 'runs', () => runPage(c.store.db, {}, 0, 1).total + ':' + JSON.stringify(runPage(c.store.db, { status: 'running' }, 0, 50).runs.map((r) => [r.runId, r.steps])));
      } else {
        getRunOr404(c.store, run);
        c.hub.subscribe(res, 'run', () => runView(c.store, c.dags, c.words, run));
      }
      return undefined;
    },
  },
  {
    method: 'GET', pattern: ['compare'],
    handler: (c, _p, q) => {
      const ids = runIds(q);
      const r = compareRuns(c.store, ids);
      if (!r.ok) throw new HttpError(404, r.error);
      const series = Object.fromEntries(ids.map((id) => [id, c.store.getSteps(id).flatMap((s) => {
        const a = c.store.latestMetricAttempt(s.reused && s.reusedFrom !== undefined ? s.reusedFrom : id, s.name);
        return a === undefined ? [] : [{ step: s.name, series: c.store.readMetrics(s.reused && s.reusedFrom !== undefined ? s.reusedFrom : id, s.name, a) }];
      })]));
      const best = r.value.metrics.map((m) => {
        const values = ids.flatMap((id) => (typeof m.values[id] === 'number' ? [m.values[id]] : []));
        const target = lowerIsBetter(m.name) ? Math.min(...values) : Math.max(...values);
        return values.length < 2 ? [] : ids.filter((id) => m.values[id] === target);
      });
      return { ...r.value, metrics: r.value.metrics.map((m, i) => ({ ...m, best: best[i] ?? [] })), series };
    },
  },
  { method: 'GET', pattern: ['experiments'], handler: (c) => listExperiments(c.store) },
  { method: 'GET', pattern: ['experiments', 'trials', ':run'], handler: (c, [id]) => trialDetail(c.store, getRunOr404(c.store, id!)) },
  { method: 'GET', pattern: ['models'], handler: (c) => modelGroups(c.store) },
  { method: 'GET', pattern: ['models', ':group'], handler: (c, [g]) => modelGroup(c.store, g!) },
  { method: 'GET', pattern: ['models', ':group', ':version'], handler: (c, [g, v]) => modelVersion(c.store, c.dags, g!, v!) },
  {
    method: 'POST', pattern: ['models', ':group', ':version', ':action'],
    handler: async (c, [g, v, action], _q, req) => {
      const out = await changeApproval(c.store, c.home, g!, v!, action!, await readJsonBody(req));
      c.hub.poke();
      return out;
    },
  },
  {
    method: 'GET', pattern: ['artifacts', ':run', ':step', ':output'],
    handler: (c, [id, step, output], q) => artifactPreview(c.store, c.home, id!, step!, output!, q.get('path')),
  },
  {
    method: 'POST', pattern: ['callbacks', ':token'],
    handler: async (c, [token], _q, req) => {
      if (c.answerCallback === undefined) throw new HttpError(501, 'this server takes no callback answers');
      const body = await readJsonBody(req);
      const answer = body.success !== undefined && body.failure === undefined && isJsonObject(body.success as never)
        ? { success: body.success as never }
        : body.failure !== undefined && body.success === undefined && typeof body.failure === 'string' ? { failure: body.failure } : undefined;
      if (answer === undefined) throw new HttpError(400, 'send exactly one of {"success": {name: value, …}} or {"failure": "reason"}');
      const r = c.answerCallback(token!, answer);
      if (!r.ok) throw new HttpError(409, r.error);
      c.hub.poke();
      return r.value;
    },
  },
];

function decodeSegments(pathname: string): string[] {
  return pathname.split('/').filter((s) => s !== '').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new HttpError(400, `the path segment "${s.slice(0, 40)}" is not valid percent-encoding`);
    }
  });
}

/** Answers `/api/…`: finds the route, runs it, and sends its value as JSON (an `HttpError` as `{"error"}`). */
export async function handleApi(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const segments = decodeSegments(url.pathname).slice(1);
  let allowed: string | undefined;
  for (const r of ROUTES) {
    if (r.pattern.length !== segments.length || !r.pattern.every((p, i) => p.startsWith(':') || p === segments[i])) continue;
    if (r.method !== req.method) { allowed = r.method; continue; }
    const params = r.pattern.flatMap((p, i) => (p.startsWith(':') ? [segments[i]!] : []));
    const value = await r.handler(ctx, params, url.searchParams, req, res);
    if (value !== undefined) sendJson(res, 200, value);
    return;
  }
  if (allowed !== undefined) throw new HttpError(405, `${req.method ?? '?'} is not allowed here (use ${allowed})`);
  throw new HttpError(404, `no such API path: ${url.pathname.slice(0, 120)}`);
}
