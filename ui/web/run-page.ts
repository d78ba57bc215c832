import { listen } from './api.js';
import { renderDag, type DagEdge, type DagNode } from './dag.js';
import { clear, duration, el, enc, link, time } from './dom.js';
import { stepPanel } from './step-panel.js';

interface RunView {
  run: { runId: string; pipeline: string; status: string; startedAt: number; endedAt?: number; parameters: Record<string, unknown>; definitionFile: string };
  live: boolean;
  experiment?: { experiment: string; trial: string };
  steps: (DagNode & { decision?: { action: string; words: string }; failure?: string; waitingToken?: string })[];
  edges: DagEdge[];
}

/** #/runs/<id>[/steps/<step>]: the run's DAG, live (server-sent events), and the picked step's detail beside it. */
export function runPage(root: HTMLElement, runId: string, step: string | undefined): () => void {
  const head = el('div', { class: 'run-head' });
  const dag = el('div', { class: 'dag-box' });
  const panel = el('div', { class: 'step-panel' }, step === undefined ? el('p', { class: 'muted' }, 'Click a step for its detail.') : '');
  clear(root, head, dag, panel);
  let stopPanel: (() => void) | undefined;
  let panelKey = '';
  let view: RunView | undefined;
  const pick = (name: string): void => { location.hash = `#/runs/${enc(runId)}/steps/${enc(name)}`; };
  const showPanel = (): void => {
    if (step === undefined || view === undefined) return;
    const s = view.steps.find((x) => x.name === step);
    const key = JSON.stringify(s);
    if (key === panelKey) return;
    panelKey = key;
    stopPanel?.();
    stepPanel(panel, runId, step, s?.waitingToken, () => undefined).then((stop) => { stopPanel = stop; }, (e: Error) => clear(panel, el('p', { class: 'error' }, e.message)));
  };
  const render = (v: RunView & { error?: string }): void => {
    if (v.error !== undefined) { clear(head, el('p', { class: 'error' }, v.error)); return; }
    view = v;
    const r = v.run;
    clear(head,
      el('h2', {}, `Run ${r.runId} `, el('span', { class: `badge status-${r.status}`, 'data-run-status': r.status }, r.status), v.live ? el('span', { class: 'live' }, ' ● live') : ''),
      el('p', {}, 'pipeline ', el('b', {}, r.pipeline), ' · started ', time(r.startedAt), r.endedAt === undefined ? '' : ` · took ${duration(r.endedAt - r.startedAt)}`,
        v.experiment === undefined ? '' : ` · experiment ${v.experiment.experiment} / trial ${v.experiment.trial}`, ' · ', link(`#/compare?runs=${enc(r.runId)}`, 'compare…')),
      el('p', { class: 'params' }, Object.entries(r.parameters).map(([k, val]) => `${k}=${typeof val === 'string' ? val : JSON.stringify(val)}`).join(' · ') || 'no parameters'),
    );
    clear(dag, renderDag(v.steps, v.edges, step, pick));
    showPanel();
  };
  const stop = listen<RunView & { error?: string }>(`events?run=${enc(runId)}`, 'run', render);
  return () => { stop(); stopPanel?.(); };
}
