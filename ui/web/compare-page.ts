import { get } from './api.js';
import { lineChart } from './chart.js';
import { clear, el, enc, link, time } from './dom.js';

interface Row { name: string; step?: string; values: Record<string, unknown>; differs: boolean; best?: string[] }
interface Comparison {
  runs: { runId: string; pipeline: string; status: string; startedAt: number; experiment?: string; trial?: string }[];
  parameters: Row[]; metrics: Row[];
  series: Record<string, { step: string; series: { name: string; values: { value: number; seq: number }[] }[] }[]>;
}

const cell = (v: unknown): string => (v === null || v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v));

/** #/compare?runs=a,b: parameters side by side (differences marked, "only differences"), final metrics (best marked), series overlaid. */
export function comparePage(root: HTMLElement, q: URLSearchParams): () => void {
  const ids = (q.get('runs') ?? '').split(',').filter((s) => s !== '');
  const input = el('input', { name: 'runs', value: ids.join(','), placeholder: 'run ids, comma-separated (2–10)', size: 60 });
  const only = el('input', { type: 'checkbox', name: 'only-differences', checked: q.get('diff') === '1' });
  const body = el('div');
  clear(root, el('h2', {}, 'Compare runs'),
    el('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); location.hash = `#/compare?runs=${enc(input.value.replace(/\s+/g, ''))}`; } }, input, el('button', {}, 'Compare'),
      el('label', {}, only, ' only differences')), body);
  if (ids.length === 0) { clear(body, el('p', { class: 'muted' }, 'Tick runs on the Runs page, or list their ids here.')); return () => undefined; }
  let data: Comparison | undefined;
  const draw = (): void => {
    if (data === undefined) return;
    const c = data;
    const runIds = c.runs.map((r) => r.runId);
    const table = (rows: Row[], label: (r: Row) => string, best: boolean): HTMLElement => el('table', { class: 'compare' },
      el('tr', {}, el('th', {}, ''), ...c.runs.map((r) => el('th', {}, link(`#/runs/${enc(r.runId)}`, r.runId), el('br'), time(r.startedAt)))),
      ...rows.filter((r) => !only.checked || r.differs).map((r) => {
        return el('tr', { class: r.differs ? 'differs' : '', 'data-row': label(r), 'data-differs': String(r.differs) }, el('td', {}, r.differs ? '≠ ' : '', label(r)),
          ...runIds.map((id) => el('td', { class: best && (r.best ?? []).includes(id) ? 'best' : '' }, cell(r.values[id]))));
      }));
    const charts = new Map<string, { label: string; values: { value: number; seq: number }[] }[]>();
    for (const id of runIds) for (const s of c.series[id] ?? []) for (const m of s.series) {
      const key = `${s.step} ${m.name}`;
      charts.set(key, [...(charts.get(key) ?? []), { label: id, values: m.values }]);
    }
    clear(body, el('h3', {}, 'Parameters'), table(c.parameters, (r) => r.name, false),
      el('h3', {}, 'Final metrics'), c.metrics.length === 0 ? el('p', { class: 'muted' }, 'no metrics') : table(c.metrics, (r) => `${r.step ?? ''} ${r.name}`.trim(), true),
      el('h3', {}, 'Metric series'), el('div', { class: 'charts' }, ...[...charts].map(([k, s]) => lineChart(k, s))));
  };
  only.addEventListener('change', draw);
  get<Comparison>(`compare?runs=${ids.map(enc).join(',')}`).then((c) => { data = c; draw(); }, (e: Error) => clear(body, el('p', { class: 'error' }, e.message)));
  return () => undefined;
}
