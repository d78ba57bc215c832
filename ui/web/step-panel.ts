import { get, post } from './api.js';
import { lineChart } from './chart.js';
import { clear, duration, el, enc, json, link, time } from './dom.js';
import { logView } from './log-view.js';

interface Series { name: string; values: { value: number; at: number; seq: number }[] }
interface Attempt { attempt: number; status: string; startedAt: number; endedAt?: number; exitCode?: number; exceptionType?: string; failure?: string[]; metrics: Series[] }
interface Detail {
  runId: string; name: string; type: string; status: string; reused: boolean; reusedFrom?: string;
  arguments?: unknown; properties?: unknown; decision?: { action: string; words: string; changes?: { path: string; before?: unknown; after?: unknown }[] };
  failure?: string[]; attempts: Attempt[];
  outputs: { name: string; uri: string; hash: string; isFile: boolean; files: { path: string; hash: string; size: number }[] }[];
  metrics: { attempt: number; reusedFrom?: string; series: Series[] };
}

const section = (title: string, ...body: (Node | string)[]): HTMLElement => el('section', {}, el('h3', {}, title), ...body);

/** The step's charts: each metric one chart, its attempts overlaid (the newest attempt that logged it first). */
function metricCharts(d: Detail): HTMLElement {
  const attempts = d.metrics.reusedFrom === undefined ? d.attempts.filter((a) => a.metrics.length > 0) : [];
  const names = d.metrics.series.map((s) => s.name);
  if (names.length === 0) return el('p', { class: 'muted' }, 'no metrics');
  return el('div', { class: 'charts' }, ...names.map((m) => {
    const latest = d.metrics.series.find((s) => s.name === m)!;
    const older = attempts.filter((a) => a.attempt !== d.metrics.attempt).flatMap((a) => a.metrics.filter((s) => s.name === m).map((s) => ({ label: `attempt ${a.attempt}`, values: s.values })));
    return lineChart(m, [{ label: `attempt ${d.metrics.attempt}${d.metrics.reusedFrom ? ` (run ${d.metrics.reusedFrom})` : ''}`, values: latest.values }, ...older]);
  }));
}

function callbackForm(token: string, onDone: () => void): HTMLElement {
  const values = el('textarea', { name: 'success', rows: 3, placeholder: '{"name": "value"}' });
  const reason = el('input', { name: 'failure', placeholder: 'failure reason' });
  const msg = el('p', { class: 'msg' });
  const send = (body: unknown): void => {
    post<{ status: string }>(`callbacks/${enc(token)}`, body).then((r) => { msg.textContent = `recorded: ${r.status}`; onDone(); }, (e: Error) => { msg.textContent = e.message; msg.className = 'msg error'; });
  };
  return el('form', { class: 'callback', onsubmit: (e) => e.preventDefault() },
    el('p', {}, 'This Callback step waits for an answer (as `cairn callback` sends).'),
    values, el('button', { type: 'button', onclick: () => {
      let v: unknown;
      try { v = JSON.parse(values.value || '{}'); } catch (e) { msg.textContent = `not JSON: ${(e as Error).message}`; return; }
      send({ success: v });
    } }, 'Send success'),
    reason, el('button', { type: 'button', onclick: () => send({ failure: reason.value }) }, 'Send failure'), msg);
}

/** The panel of one step: status, decision, failure, attempts, arguments, outputs (with previews), metrics and the log. */
export async function stepPanel(box: HTMLElement, runId: string, step: string, waitingToken: string | undefined, refresh: () => void): Promise<() => void> {
  const d = await get<Detail>(`runs/${enc(runId)}/steps/${enc(step)}`);
  const last = d.attempts.at(-1);
  const log = last === undefined ? undefined : logView(runId, step, last.attempt);
  clear(box,
    el('h2', {}, `${d.name} `, el('span', { class: `badge status-${d.status}`, 'data-step-status': d.status }, d.reused ? 'reused' : d.status), el('span', { class: 'muted' }, ` ${d.type}`)),
    d.reusedFrom === undefined ? null : el('p', {}, 'outputs from run ', link(`#/runs/${enc(d.reusedFrom)}/steps/${enc(step)}`, d.reusedFrom)),
    waitingToken === undefined ? null : callbackForm(waitingToken, refresh),
    d.failure === undefined ? null : el('div', { class: 'failure', 'data-failure': '' }, el('pre', {}, d.failure.join('\n'))),
    d.decision === undefined ? null : section('Cache decision', el('p', { 'data-decision': d.decision.action }, `${d.decision.action}: ${d.decision.words}`),
      ...(d.decision.changes ?? []).map((c) => el('div', { class: 'change' }, el('code', {}, c.path), ` ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`))),
    section('Attempts', el('table', {}, el('tr', {}, ...['#', 'status', 'started', 'took', 'exit', 'exception'].map((h) => el('th', {}, h))),
      ...d.attempts.map((a) => el('tr', {}, el('td', {}, a.attempt), el('td', {}, a.status), el('td', {}, time(a.startedAt)),
        el('td', {}, duration(a.endedAt === undefined ? undefined : a.endedAt - a.startedAt)), el('td', {}, a.exitCode ?? ''), el('td', {}, a.exceptionType ?? ''))))),
    section('Metrics', metricCharts(d)),
    section('Outputs', d.outputs.length === 0 ? el('p', { class: 'muted' }, 'none recorded') : el('table', {},
      el('tr', {}, ...['output', 'file', 'size', 'hash'].map((h) => el('th', {}, h))),
      ...d.outputs.flatMap((o) => o.files.map((f) => el('tr', {}, el('td', {}, o.name),
        el('td', {}, link(`#/artifacts/${enc(runId)}/${enc(step)}/${enc(o.name)}?path=${enc(f.path)}`, f.path)), el('td', {}, f.size), el('td', {}, el('code', {}, f.hash.slice(0, 19)))))))),
    section('Log', log?.element ?? el('p', { class: 'muted' }, 'no container log (reused or never ran)')),
    section('Arguments', json(d.arguments ?? null)),
    d.properties === undefined ? null : section('Properties', json(d.properties)),
  );
  return () => log?.stop();
}
