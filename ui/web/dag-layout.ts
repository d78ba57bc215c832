import dagre from '@dagrejs/dagre';

export interface DagNode {
  name: string;
  type: string;
  status: string;
  reused: boolean;
  attempts: number;
  startedAt?: number;
  endedAt?: number;
  outcome?: boolean;
  branchOf?: { condition: string; branch: string };
  /** Shown instead of the name and of `type · status` (the lineage graph's nodes). */
  label?: string;
  sub?: string;
  /** The tooltip's text, instead of name, type and status. */
  tip?: string;
}
export interface DagEdge { from: string; to: string; kind: string }

/** A node's box in the drawing. */
export const W = 180;
export const H = 54;

export type Layout = { width: number; height: number; pos: Map<string, { x: number; y: number }>; edges: { e: DagEdge; points: { x: number; y: number }[] }[] };

/** Past this many steps the layout is a plain layering (below), not dagre's. */
export const DAGRE_MAX_NODES = 150;

/** Lays the DAG out left to right: dagre up to `DAGRE_MAX_NODES` steps, a plain layering beyond. */
export function layout(nodes: readonly DagNode[], edges: readonly DagEdge[]): Layout {
  return nodes.length > DAGRE_MAX_NODES ? layered(nodes, edges) : dagreLayout(nodes, edges);
}

function dagreLayout(nodes: readonly DagNode[], edges: readonly DagEdge[]): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 50, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(`n:${n.name}`, { width: W, height: H });
  for (const e of edges) if (g.hasNode(`n:${e.from}`) && g.hasNode(`n:${e.to}`)) g.setEdge(`n:${e.from}`, `n:${e.to}`);
  dagre.layout(g);
  const pos = new Map<string, { x: number; y: number }>();
  for (const n of nodes) { const p = g.node(`n:${n.name}`); pos.set(n.name, { x: p.x, y: p.y }); }
  const laid = edges.flatMap((e) => {
    const ge = g.edge(`n:${e.from}`, `n:${e.to}`) as { points?: { x: number; y: number }[] } | undefined;
    return ge?.points === undefined ? [] : [{ e, points: ge.points }];
  });
  const gg = g.graph();
  return { width: gg.width ?? 0, height: gg.height ?? 0, pos, edges: laid };
}

/**
 * A large DAG's layout in linear time (dagre's crossing minimisation takes seconds at 500 steps): each step's column
 * is the longest path to it, steps keep file order within a column, edges are straight lines.
 */
function layered(nodes: readonly DagNode[], edges: readonly DagEdge[]): Layout {
  const index = new Map(nodes.map((n, i) => [n.name, i]));
  const succ: number[][] = nodes.map(() => []);
  const indeg = nodes.map(() => 0);
  for (const e of edges) {
    const a = index.get(e.from); const b = index.get(e.to);
    if (a === undefined || b === undefined) continue;
    succ[a]!.push(b); indeg[b]! += 1;
  }
  const rank = nodes.map(() => 0);
  const queue = nodes.flatMap((_, i) => (indeg[i] === 0 ? [i] : []));
  for (let k = 0; k < queue.length; k++) {
    const i = queue[k]!;
    for (const j of succ[i]!) { rank[j] = Math.max(rank[j]!, rank[i]! + 1); if ((indeg[j]! -= 1) === 0) queue.push(j); }
  }
  const rows: number[] = [];
  const pos = new Map<string, { x: number; y: number }>();
  nodes.forEach((n, i) => {
    const r = rank[i]!;
    const row = rows[r] ?? 0;
    rows[r] = row + 1;
    pos.set(n.name, { x: 10 + W / 2 + r * (W + 50), y: 10 + H / 2 + row * (H + 18) });
  });
  const laid = edges.flatMap((e) => {
    const a = pos.get(e.from); const b = pos.get(e.to);
    return a === undefined || b === undefined ? [] : [{ e, points: [{ x: a.x + W / 2, y: a.y }, { x: b.x - W / 2, y: b.y }] }];
  });
  return { width: 20 + rows.length * (W + 50), height: 20 + Math.max(1, ...rows) * (H + 18), pos, edges: laid };
}

