import { describe, expect, it } from 'vitest';
import { DAGRE_MAX_NODES, layout, type DagEdge, type DagNode } from '../../ui/web/dag-layout.js';

const node = (name: string): DagNode => ({ name, type: 'Processing', status: 'succeeded', reused: false, attempts: 1 });

function check(nodes: DagNode[], edges: DagEdge[]): void {
  const l = layout(nodes, edges);
  expect(l.pos.size).toBe(nodes.length);
  for (const e of edges) expect(l.pos.get(e.to)!.x, `${e.from} → ${e.to}`).toBeGreaterThan(l.pos.get(e.from)!.x); // left to right
  expect(l.edges).toHaveLength(edges.length);
  const seen = new Set([...l.pos.values()].map((p) => `${Math.round(p.x)},${Math.round(p.y)}`));
  expect(seen.size).toBe(nodes.length); // no two steps on one spot
  for (const p of l.pos.values()) { expect(p.x).toBeLessThanOrEqual(l.width); expect(p.y).toBeLessThanOrEqual(l.height); }
}

describe('the run page\'s DAG layout', () => {
  it('lays a small DAG out left to right with dagre', () => {
    const nodes = ['A', 'B', 'C', 'D'].map(node);
    check(nodes, [{ from: 'A', to: 'B', kind: 'depends' }, { from: 'A', to: 'C', kind: 'depends' }, { from: 'B', to: 'D', kind: 'depends' }, { from: 'C', to: 'D', kind: 'branch' }]);
  });

  it('lays a 500-step DAG out in columns by longest path, every edge pointing right', () => {
    const nodes = Array.from({ length: 500 }, (_, i) => node(`S${i}`));
    const edges: DagEdge[] = nodes.slice(1).map((n, i) => ({ from: i < 250 ? `S${i}` : 'S0', to: n.name, kind: 'depends' }));
    expect(nodes.length).toBeGreaterThan(DAGRE_MAX_NODES);
    check(nodes, edges);
    const l = layout(nodes, edges);
    expect(l.pos.get('S250')!.x).toBeGreaterThan(l.pos.get('S249')!.x); // a chain of 250 then a fan-out from S0
    expect(l.pos.get('S251')!.x).toBe(l.pos.get('S1')!.x);
  });
});
