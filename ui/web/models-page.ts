import { get, post } from './api.js';
import { renderDag } from './dag.js';
import type { DagEdge } from './dag-layout.js';
import { clear, el, enc, json, link, time } from './dom.js';
import { lineageGraph, type Lineage } from './lineage-graph.js';

interface Group { name: string; versions: number; latestVersion: number; byStatus: Record<string, number>; createdAt: number }
interface Approval { from?: string; to: string; who: string; at: number; note?: string }
interface Pkg { group: string; version: number; status: string; description?: string; runId?: string; step?: string; createdAt: number; approvals: Approval[]; modelData?: { url: string; hash: string }; statistics?: { uri: string; sha256: string } }
interface Comparison { versions: { version: number; status: string; metrics: Record<string, number> }[]; best: Record<string, { versions: number[]; lowerIsBetter: boolean }>; metrics: string[] }

const err = (box: HTMLElement) => (e: Error): void => clear(box, el('p', { class: 'error' }, e.message));

/** #/models: the groups. */
export function modelsPage(root: HTMLElement): () => void {
  const body = el('tbody');
  clear(root, el('h2', {}, 'Model registry'), el('table', {}, el('tr', {}, ...['group', 'versions', 'approved', 'pending', 'rejected', 'created'].map((h) => el('th', {}, h))), body));
  get<{ groups: Group[] }>('models').then(({ groups }) => clear(body, ...groups.map((g) => el('tr', {},
    el('td', {}, link(`#/models/${enc(g.name)}`, g.name)), el('td', {}, g.versions), el('td', {}, g.byStatus.Approved ?? 0),
    el('td', {}, g.byStatus.PendingManualApproval ?? 0), el('td', {}, g.byStatus.Rejected ?? 0), el('td', {}, time(g.createdAt))))), err(body));
  return () => undefined;
}

/** #/models/<group>: versions with their model-quality metrics side by side, the best per metric marked. */
export function groupPage(root: HTMLElement, group: string): () => void {
  const box = el('div');
  clear(root, el('h2', {}, link('#/models', 'Models'), ` / ${group}`), box);
  get<{ versions: Pkg[]; comparison: Comparison }>(`models/${enc(group)}`).then(({ versions, comparison: c }) => {
    clear(box, el('table', { class: 'compare' },
      el('tr', {}, ...['version', 'status', 'created', 'run', ...c.metrics].map((h) => el('th', {}, h))),
      ...versions.map((p) => {
        const m = c.versions.find((v) => v.version === p.version)?.metrics ?? {};
        return el('tr', { 'data-version': p.version }, el('td', {}, link(`#/models/${enc(group)}/${p.version}`, `v${p.version}`)),
          el('td', {}, el('span', { class: `badge approval-${p.status}`, 'data-approval': p.status }, p.status)), el('td', {}, time(p.createdAt)),
          el('td', {}, p.runId === undefined ? '' : link(`#/runs/${enc(p.runId)}`, p.runId)),
          ...c.metrics.map((name) => el('td', { class: c.best[name]?.versions.includes(p.version) ? 'best' : '' }, m[name] === undefined ? '-' : String(m[name]))));
      })), el('p', { class: 'muted' }, 'Best per metric marked (losses and errors: lower is better).'));
  }, err(box));
  return () => undefined;
}

/** The lineage drawn as a graph (the run page's DAG renderer); a click on the run or a step opens its page. */
function lineageView(l: Lineage, edges: DagEdge[]): HTMLElement {
  if (l.run === undefined) return el('p', { class: 'muted' }, 'no run recorded for this version');
  const g = lineageGraph(l, edges);
  const runId = l.run.runId;
  const open = (name: string): void => {
    const n = g.nodes.find((x) => x.name === name);
    if (n?.kind === 'run') location.hash = `#/runs/${enc(runId)}`;
    if (n?.kind === 'step') location.hash = `#/runs/${enc(runId)}/steps/${enc(n.ref)}`;
  };
  return el('div', { class: 'lineage' }, el('div', { class: 'dag-box lineage-graph' }, renderDag(g.nodes, g.edges, undefined, open)),
    el('details', {}, el('summary', {}, 'as a list'), lineageList(l)));
}

/** The lineage as nested lists: the run → its steps → their code, inputs and outputs, by content hash. */
function lineageList(l: Lineage): HTMLElement {
  if (l.run === undefined) return el('p', { class: 'muted' }, 'no run recorded for this version');
  const hashes = (o: Record<string, string>): HTMLElement => el('ul', {}, ...Object.entries(o).map(([k, h]) => el('li', {}, `${k} `, el('code', {}, h.slice(0, 23)))));
  return el('div', { class: 'lineage' }, el('p', {}, 'run ', link(`#/runs/${enc(l.run.runId)}`, l.run.runId), ` (${l.run.pipeline})`),
    el('ul', {}, ...l.steps.map((s) => el('li', {}, link(`#/runs/${enc(l.run!.runId)}/steps/${enc(s.name)}`, s.name), ` ${s.type}${s.name === l.step ? ' (registered this version)' : ''}`,
      s.image === undefined ? '' : el('div', {}, 'image ', el('code', {}, `${s.image.uri} ${s.image.id.slice(0, 19)}`)),
      Object.keys(s.code).length === 0 ? '' : el('div', {}, 'code', hashes(s.code)),
      el('div', {}, 'inputs', hashes(s.inputs)),
      el('div', {}, 'outputs', hashes(Object.fromEntries(s.outputs.map((o) => [o.name, o.hash]))))))));
}

/** #/models/<group>/<version>: one version, approve / reject with a note, the approval history and the lineage. */
export function versionPage(root: HTMLElement, group: string, version: string): () => void {
  const box = el('div');
  clear(root, el('h2', {}, link('#/models', 'Models'), ' / ', link(`#/models/${enc(group)}`, group), ` / v${version}`), box);
  const load = (): void => {
    get<{ package: Pkg; lineage: Lineage; edges: DagEdge[] }>(`models/${enc(group)}/${enc(version)}`).then(({ package: p, lineage, edges }) => {
      const note = el('input', { name: 'note', placeholder: 'note (why)', size: 40 });
      const msg = el('p', { class: 'msg' });
      const act = (action: 'approve' | 'reject'): void => {
        post(`models/${enc(group)}/${enc(version)}/${action}`, note.value === '' ? {} : { note: note.value }).then(load, (e: Error) => { msg.textContent = e.message; msg.className = 'msg error'; });
      };
      clear(box,
        el('p', {}, 'status ', el('span', { class: `badge approval-${p.status}`, 'data-approval': p.status }, p.status), p.description === undefined ? '' : ` · ${p.description}`),
        el('form', { class: 'approval', onsubmit: (e) => e.preventDefault() }, note,
          el('button', { type: 'button', name: 'approve', disabled: p.status === 'Approved', onclick: () => act('approve') }, 'Approve'),
          el('button', { type: 'button', name: 'reject', disabled: p.status === 'Rejected', onclick: () => act('reject') }, 'Reject'), msg),
        el('h3', {}, 'History'), el('table', { class: 'history' }, el('tr', {}, ...['when', 'who', 'change', 'note'].map((h) => el('th', {}, h))),
          ...p.approvals.map((a) => el('tr', {}, el('td', {}, time(a.at)), el('td', {}, a.who), el('td', {}, `${a.from ?? 'registered'} → ${a.to}`), el('td', {}, a.note ?? '')))),
        el('h3', {}, 'Lineage'), lineageView(lineage, edges),
        el('h3', {}, 'Files'), json({ modelData: p.modelData, statistics: p.statistics }));
    }, err(box));
  };
  load();
  return () => undefined;
}
