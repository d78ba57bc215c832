import { Graph, alg } from '@dagrejs/graphlib';
import type { StepDef } from '../../contracts/definition.js';

/** What the graph needs of a definition; a `Definition` is one. */
export interface GraphInput {
  steps: readonly Pick<StepDef, 'name' | 'dependsOn' | 'branchOf'>[];
}

/**
 * Node ids are `step:<name>`: graphlib keeps nodes in plain objects, where a bare name such as "constructor" or "12"
 * would collide with the prototype or lose file order. Each node's label is the step name.
 */
export function nodeId(step: string): string {
  return `step:${step}`;
}

/**
 * The step DAG: an edge runs from a step to each step that depends on it (`DependsOn` or a `Get` on it), and from a
 * Condition step to each step of its branches (label "branch"). Nodes are in file order.
 */
export function buildGraph(def: GraphInput): Graph {
  const g = new Graph({ directed: true });
  for (const s of def.steps) g.setNode(nodeId(s.name), s.name);
  for (const s of def.steps) {
    for (const d of s.dependsOn) if (g.hasNode(nodeId(d))) g.setEdge(nodeId(d), nodeId(s.name), 'depends');
    if (s.branchOf !== undefined && g.hasNode(nodeId(s.branchOf.condition))) {
      g.setEdge(nodeId(s.branchOf.condition), nodeId(s.name), 'branch');
    }
  }
  return g;
}

function fileOrder(def: GraphInput): Map<string, number> {
  return new Map(def.steps.map((s, i) => [s.name, i]));
}

function byFileOrder(order: Map<string, number>): (a: string, b: string) => number {
  return (a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
}

function neighbours(g: Graph, step: string, dir: 'successors' | 'predecessors'): string[] {
  return (g[dir](nodeId(step)) ?? []).map((id) => g.node(id) as string);
}

/** Steps so that each comes after everything it depends on; among steps ready together, file order. */
export function topologicalOrder(def: GraphInput): string[] {
  const g = buildGraph(def);
  const order = fileOrder(def);
  const waiting = new Map(def.steps.map((s) => [s.name, (g.predecessors(nodeId(s.name)) ?? []).length]));
  const ready = def.steps.filter((s) => waiting.get(s.name) === 0).map((s) => s.name);
  const out: string[] = [];
  while (ready.length > 0) {
    ready.sort(byFileOrder(order));
    const next = ready.shift() as string;
    out.push(next);
    for (const succ of neighbours(g, next, 'successors')) {
      const left = (waiting.get(succ) ?? 0) - 1;
      waiting.set(succ, left);
      if (left === 0) ready.push(succ);
    }
  }
  if (out.length !== def.steps.length) throw new Error('bug: topologicalOrder called on a definition with a cycle');
  return out;
}

/**
 * Each cycle once, as the steps along it in dependency order (each step feeds the next, the last feeds the first),
 * starting at the cycle's first step in file order. A step that depends on itself is a cycle of one.
 */
export function findCycles(def: GraphInput): string[][] {
  const g = buildGraph(def);
  const order = fileOrder(def);
  const cycles: string[][] = [];
  for (const component of alg.findCycles(g)) {
    const members = new Set(component.map((id) => g.node(id) as string));
    const start = [...members].sort(byFileOrder(order))[0];
    if (start !== undefined) cycles.push(cycleThrough(g, start, members, order));
  }
  return cycles.sort((a, b) => (order.get(a[0] ?? '') ?? 0) - (order.get(b[0] ?? '') ?? 0));
}

/** Shortest path from `start` back to itself inside one strongly connected component (breadth first, file order). */
function cycleThrough(g: Graph, start: string, members: Set<string>, order: Map<string, number>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const at = queue.shift() as string;
    for (const next of neighbours(g, at, 'successors').sort(byFileOrder(order))) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [at];
        for (let p = cameFrom.get(at); p !== undefined; p = cameFrom.get(p)) path.unshift(p);
        return path;
      }
      if (!cameFrom.has(next) && next !== start) {
        cameFrom.set(next, at);
        queue.push(next);
      }
    }
  }
  return [start];
}

function reachable(def: GraphInput, names: readonly string[], dir: 'successors' | 'predecessors'): Set<string> {
  const g = buildGraph(def);
  const seen = new Set<string>();
  const stack = names.filter((n) => g.hasNode(nodeId(n)));
  while (stack.length > 0) {
    const at = stack.pop() as string;
    if (seen.has(at)) continue;
    seen.add(at);
    stack.push(...neighbours(g, at, dir));
  }
  return new Set(def.steps.map((s) => s.name).filter((n) => seen.has(n)));
}

/** `names` and every step that (transitively) depends on one of them, in file order. Unknown names are ignored. */
export function downstreamOf(def: GraphInput, names: readonly string[]): Set<string> {
  return reachable(def, names, 'successors');
}

/** `names` and every step they (transitively) depend on, in file order. Unknown names are ignored. */
export function upstreamOf(def: GraphInput, names: readonly string[]): Set<string> {
  return reachable(def, names, 'predecessors');
}

/**
 * For each step, the steps it (transitively) depends on, itself excluded, in file order: the graph is built once and
 * each step's answer is computed on first use and kept (a run asks once per step; rebuilding the graph each time
 * made that quadratic in the number of steps).
 */
export function upstreamIndex(def: GraphInput): (name: string) => string[] {
  const g = buildGraph(def);
  const order = fileOrder(def);
  const memo = new Map<string, string[]>();
  return (name) => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const seen = new Set<string>();
    const stack = g.hasNode(nodeId(name)) ? neighbours(g, name, 'predecessors') : [];
    while (stack.length > 0) {
      const at = stack.pop() as string;
      if (seen.has(at)) continue;
      seen.add(at);
      stack.push(...neighbours(g, at, 'predecessors'));
    }
    seen.delete(name);
    const ups = [...seen].sort(byFileOrder(order));
    memo.set(name, ups);
    return ups;
  };
}
