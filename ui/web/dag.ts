import { H, layout, W, type DagEdge, type DagNode } from './dag-layout.js';
import { duration } from './dom.js';

export type { DagEdge, DagNode };

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function nodeLabel(n: DagNode): string {
  const badge = n.status === 'succeeded' ? (n.reused ? 'reused' : 'ran') : n.status;
  const took = n.startedAt !== undefined && n.endedAt !== undefined ? ` · ${duration(n.endedAt - n.startedAt)}` : '';
  const outcome = n.outcome === undefined ? '' : ` · ${n.outcome ? 'true' : 'false'}`;
  return `${badge}${took}${outcome}`;
}

/**
 * The DAG as SVG: one `g.node[data-step][data-status]` per step (the status also as its colour and badge), edges
 * as paths (branch edges dashed, labelled with the branch). `onPick` gets the clicked step's name.
 */
export function renderDag(nodes: readonly DagNode[], edges: readonly DagEdge[], selected: string | undefined, onPick: (name: string) => void): SVGSVGElement {
  const l = layout(nodes, edges);
  const root = svg('svg', { class: 'dag', width: Math.max(l.width, 200), height: Math.max(l.height, 80), viewBox: `0 0 ${Math.max(l.width, 200)} ${Math.max(l.height, 80)}` });
  const defs = svg('defs', {});
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }));
  defs.append(marker);
  root.append(defs);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const { e, points } of l.edges) {
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
    const to = byName.get(e.to);
    const skipped = to?.status === 'skipped' || to?.status === 'not-run';
    root.append(svg('path', { d, class: `edge ${e.kind}${skipped ? ' skipped' : ''}`, 'marker-end': 'url(#arrow)' }));
    if (e.kind === 'branch' && to?.branchOf !== undefined) {
      const mid = points[Math.floor(points.length / 2)]!;
      const t = svg('text', { x: mid.x, y: mid.y - 4, class: 'edge-label' });
      t.textContent = to.branchOf.branch === 'IfSteps' ? 'if true' : 'else';
      root.append(t);
    }
  }
  for (const n of nodes) {
    const p = l.pos.get(n.name)!;
    const g = svg('g', { class: `node status-${n.status}${n.reused ? ' reused' : ''}${n.name === selected ? ' selected' : ''}`, 'data-step': n.name, 'data-status': n.status, transform: `translate(${(p.x - W / 2).toFixed(1)},${(p.y - H / 2).toFixed(1)})`, tabindex: 0 });
    g.append(svg('rect', { width: W, height: H, rx: 6 }));
    const title = svg('text', { x: 10, y: 20, class: 'node-name' });
    const name = n.label ?? n.name;
    title.textContent = name.length > 22 ? `${name.slice(0, 21)}…` : name;
    const sub = svg('text', { x: 10, y: 40, class: 'node-sub' });
    sub.textContent = n.sub ?? `${n.type} · ${nodeLabel(n)}`;
    const tip = svg('title', {});
    tip.textContent = n.tip ?? `${n.name} (${n.type}): ${n.status}${n.attempts > 1 ? `, ${n.attempts} attempts` : ''}`;
    g.append(title, sub, tip);
    g.addEventListener('click', () => onPick(n.name));
    g.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') onPick(n.name); });
    root.append(g);
  }
  return root;
}
