import { get } from './api.js';
import { clear, el, enc, link, time } from './dom.js';

interface Experiments {
  experiments: { name: string; trials: { trialName: string; runId: string; status: string; startedAt: string }[] }[];
  withoutExperiment: { runId: string; message: string }[];
}

/** #/experiments: experiment → trial (run) → trial components (steps), as `cairn experiments` derives them. */
export function experimentsPage(root: HTMLElement): () => void {
  const box = el('div');
  clear(root, el('h2', {}, 'Experiments'), box);
  get<Experiments>('experiments').then((x) => clear(box, x.experiments.length === 0 ? el('p', { class: 'muted' }, 'no experiments yet') : '',
    ...x.experiments.map((e) => {
      const ids = e.trials.map((t) => t.runId);
      return el('section', { class: 'experiment' }, el('h3', {}, e.name, ' ', ids.length >= 2 ? link(`#/compare?runs=${ids.slice(0, 10).map(enc).join(',')}`, 'compare trials') : ''),
        el('ul', {}, ...e.trials.map((t) => {
          const components = el('ul', { class: 'components', 'data-trial': t.runId });
          get<{ components: { name: string; type: string; status: string }[] }>(`experiments/trials/${enc(t.runId)}`).then((d) => clear(components,
            ...d.components.map((c) => el('li', {}, link(`#/runs/${enc(t.runId)}/steps/${enc(c.name)}`, c.name), ` ${c.type} · ${c.status}`))), () => undefined);
          return el('li', {}, `trial ${t.trialName}: `, link(`#/runs/${enc(t.runId)}`, t.runId), ` ${t.status} `, time(Date.parse(t.startedAt)), components);
        })));
    }), x.withoutExperiment.length === 0 ? '' : el('p', { class: 'muted' }, `${x.withoutExperiment.length} run(s) in no experiment.`)), (e: Error) => clear(box, el('p', { class: 'error' }, e.message)));
  return () => undefined;
}

type Preview =
  | { kind: 'table'; rows: string[][]; truncated: boolean }
  | { kind: 'json'; text: string }
  | { kind: 'text'; text: string; truncated: boolean }
  | { kind: 'binary' };

/** #/artifacts/<run>/<step>/<output>?path=: a preview of a file the store recorded (by its manifest entry). */
export function artifactPage(root: HTMLElement, runId: string, step: string, output: string, q: URLSearchParams): () => void {
  const box = el('div');
  clear(root, el('h2', {}, link(`#/runs/${enc(runId)}/steps/${enc(step)}`, `${runId} / ${step}`), ` / ${output}`), box);
  const path = q.get('path');
  get<{ path: string; hash: string; size: number; preview: Preview }>(`artifacts/${enc(runId)}/${enc(step)}/${enc(output)}${path === null ? '' : `?path=${enc(path)}`}`).then((a) => {
    const p = a.preview;
    const body = p.kind === 'table'
      ? el('table', { class: 'preview' }, ...p.rows.map((r, i) => el('tr', {}, ...r.map((c) => el(i === 0 ? 'th' : 'td', {}, c)))))
      : p.kind === 'binary' ? el('p', { class: 'muted' }, 'binary file: no preview') : el('pre', { class: 'preview' }, p.text);
    clear(box, el('p', {}, el('b', {}, a.path), ` · ${a.size} bytes · `, el('code', {}, a.hash)), body,
      'truncated' in p && p.truncated ? el('p', { class: 'muted' }, '(first part only)') : '');
  }, (e: Error) => clear(box, el('p', { class: 'error' }, e.message)));
  return () => undefined;
}

