import { get, listen } from './api.js';
import { clear, duration, el, enc, link, time } from './dom.js';

interface RunRow {
  runId: string; pipeline: string; status: string; startedAt: number; endedAt?: number;
  parameters: Record<string, unknown>; steps: { total: number; reused: number; ran: number; failed: number; running: number };
}
interface Page { runs: RunRow[]; total: number; pipelines: string[] }

const PAGE = 50;

/** #/runs?pipeline=&status=&param=&q=&offset=: every run, filtered and paged by the server; ticked runs go to compare. */
export function runsPage(root: HTMLElement, q: URLSearchParams): () => void {
  const chosen = new Set<string>();
  const table = el('tbody');
  const info = el('span', { class: 'muted' });
  const compare = el('button', { type: 'button', disabled: true, onclick: () => { location.hash = `#/compare?runs=${[...chosen].map(enc).join(',')}`; } }, 'Compare selected');
  const field = (name: string, placeholder: string): HTMLInputElement => el('input', { name, placeholder, value: q.get(name) ?? '' });
  const pipeline = el('select', { name: 'pipeline' }, el('option', { value: '' }, 'all pipelines'));
  const status = el('select', { name: 'status' }, ...['', 'running', 'succeeded', 'failed', 'stopped'].map((s) => el('option', { value: s, selected: q.get('status') === s }, s === '' ? 'any status' : s)));
  const search = field('q', 'run id');
  const param = field('param', 'Param=value');
  const offset = Number(q.get('offset') ?? '0') || 0;
  const apply = (): void => {
    const p = new URLSearchParams();
    for (const [k, v] of [['pipeline', pipeline.value], ['status', status.value], ['q', search.value], ['param', param.value]] as const) if (v !== '') p.set(k, v);
    location.hash = `#/runs?${p.toString()}`;
  };
  const form = el('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); apply(); } }, pipeline, status, search, param, el('button', {}, 'Filter'), compare, info);
  const pager = el('div', { class: 'pager' });
  clear(root, el('h2', {}, 'Runs'), form, el('table', { class: 'runs' },
    el('thead', {}, el('tr', {}, ...['', 'Run', 'Pipeline', 'Status', 'Started', 'Took', 'Steps (ran / reused / failed)', 'Parameters'].map((h) => el('th', {}, h)))), table), pager);

  const load = async (): Promise<void> => {
    const p = new URLSearchParams(q);
    p.set('offset', String(offset));
    p.set('limit', String(PAGE));
    const page = await get<Page>(`runs?${p.toString()}`);
    if (pipeline.options.length === 1) for (const name of page.pipelines) pipeline.append(el('option', { value: name, selected: q.get('pipeline') === name }, name));
    info.textContent = `${page.total} run${page.total === 1 ? '' : 's'}`;
    clear(table, ...page.runs.map((r) => el('tr', { 'data-run': r.runId, class: `status-${r.status}` },
      el('td', {}, el('input', { type: 'checkbox', checked: chosen.has(r.runId), onchange: (e) => {
        if ((e.target as HTMLInputElement).checked) chosen.add(r.runId); else chosen.delete(r.runId);
        compare.disabled = chosen.size < 2 || chosen.size > 10;
      } })),
      el('td', {}, link(`#/runs/${enc(r.runId)}`, r.runId)),
      el('td', {}, r.pipeline),
      el('td', {}, el('span', { class: `badge status-${r.status}` }, r.status)),
      el('td', {}, time(r.startedAt)),
      el('td', {}, duration(r.endedAt === undefined ? undefined : r.endedAt - r.startedAt)),
      el('td', {}, `${r.steps.ran} / ${r.steps.reused} / ${r.steps.failed}${r.steps.running > 0 ? ` (${r.steps.running} running)` : ''} of ${r.steps.total}`),
      el('td', { class: 'params' }, Object.entries(r.parameters).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ')),
    )));
    const nav = (o: number): string => { const n = new URLSearchParams(q); n.set('offset', String(o)); return `#/runs?${n.toString()}`; };
    clear(pager, offset > 0 ? link(nav(Math.max(0, offset - PAGE)), '‹ newer') : '', ` ${offset + 1}–${Math.min(offset + PAGE, page.total)} of ${page.total} `,
      offset + PAGE < page.total ? link(nav(offset + PAGE), 'older ›') : '');
  };
  load().catch((e: Error) => clear(table, el('tr', {}, el('td', { class: 'error' }, e.message))));
  return listen<string>('events', 'runs', () => { load().catch(() => undefined); });
}
