import { Graph } from '@dagrejs/graphlib';
import type { StepDef } from '../../contracts/definition.js';
import { IndexHeap } from './index-heap.js';
import { stronglyConnected } from './strongly-connected.js';

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

/**
 * The same edges as `buildGraph`, by file index (a step's index is its position in `steps`, so comparing indices is
 * comparing file order): what the traversals below walk, with explicit stacks and queues, so no recursion follows
 * the DAG's depth and nothing is quadratic in the number of steps or edges.
 */
interface IndexedGraph {
  names: string[];
  index: Map<string, number>;
  successors: number[][];
  predecessors: number[][];
}

function indexGraph(def: GraphInput): IndexedGraph {
  const names = def.steps.map((s) => s.name);
  const index = new Map<string, number>();
  names.forEach((n, i) => { if (!index.has(n)) index.set(n, i); });
  const successors: number[][] = names.map(() => []);
  const predecessors: number[][] = names.map(() => []);
  const lastFrom = new Int32Array(names.length).fill(-1); // dedupes edges into step i, as graphlib's setEdge does
  def.steps.forEach((s, i) => {
    const from = s.branchOf === undefined ? s.dependsOn : [...s.dependsOn, s.branchOf.condition];
    for (const d of from) {
      const j = index.get(d);
      if (j === undefined || lastFrom[j] === i) continue;
      lastFrom[j] = i;
      (successors[j] as number[]).push(i);
      (predecessors[i] as number[]).push(j);
    }
  });
  return { names, index, successors, predecessors };
}

function namesOf(g: IndexedGraph, indices: Iterable<number>): string[] {
  return [...indices].map((i) => g.names[i] as string);
}

/** Steps so that each comes after everything it depends on; among steps ready together, file order. */
export function topologicalOrder(def: GraphInput): string[] {
  const g = indexGraph(def);
  const waiting = g.predecessors.map((p) => p.length);
  const ready = new IndexHeap();
  waiting.forEach((w, i) => { if (w === 0) ready.push(i); });
  const out: string[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    out.push(g.names[next] as string);
    for (const succ of g.successors[next] as number[]) {
      const left = (waiting[succ] as number) - 1;
      waiting[succ] = left;
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
  const g = indexGraph(def);
  const cycles: number[][] = [];
  for (const component of stronglyConnected(g.successors)) {
    const start = component.reduce((a, b) => Math.min(a, b));
    if (component.length === 1 && !(g.successors[start] as number[]).includes(start)) continue;
    cycles.push(cycleThrough(g, start, new Set(component)));
  }
  return cycles.sort((a, b) => (a[0] as number) - (b[0] as number)).map((c) => namesOf(g, c));
}

/** Shortest path from `start` back to itself inside one strongly connected component (breadth first, file order). */
function cycleThrough(g: IndexedGraph, start: number, members: Set<number>): number[] {
  const cameFrom = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const at = queue[head] as number;
    for (const next of [...(g.successors[at] as number[])].sort((a, b) => a - b)) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [at];
        for (let p = cameFrom.get(at); p !== undefined; p = cameFrom.get(p)) path.push(p);
        return path.reverse();
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, at);
        queue.push(next);
      }
    }
  }
  return [start];
}

/** Marks every step reachable from `from` (themselves included) along `edges`. */
function mark(edges: readonly (readonly number[])[], from: Iterable<number>): Uint8Array {
  const seen = new Uint8Array(edges.length);
  const stack = [...from];
  while (stack.length > 0) {
    const at = stack.pop() as number;
    if (seen[at] === 1) continue;
    seen[at] = 1;
    for (const next of edges[at] as number[]) if (seen[next] === 0) stack.push(next);
  }
  return seen;
}

function reachable(def: GraphInput, names: readonly string[], dir: 'successors' | 'predecessors'): Set<string> {
  const g = indexGraph(def);
  const from = names.flatMap((n) => { const i = g.index.get(n); return i === undefined ? [] : [i]; });
  const seen = mark(g[dir], from);
  return new Set(def.steps.map((s) => s.name).filter((_, i) => seen[i] === 1));
}

/** `names` and every step that (transitively) depends on one of them, in file order. Unknown names are ignored. */
export function downstreamOf(def: GraphInput, names: readonly string[]): Set<string> {
  return reachable(def, names, 'successors');
}

/** `names` and every step they (transitively) depend on, in file order. Unknown names are ignored. */
export function upstreamOf(def: GraphInput, names: readonly string[]): Set<string> {
  return reachable(def, names, 'predecessors');
}

/** How many answers `upstreamIndex` keeps: a run asks about the few steps it is starting, each a few times in a row. */
const UPSTREAM_MEMO = 64;

/**
 * For each step, the steps it (transitively) depends on, itself excluded, in file order. The graph is built once
 * (rebuilding it per question made a run quadratic in the number of steps) and each question costs only the size of
 * its answer; the last few answers are kept, not all (together, the answers of a chain of N steps are N²/2 names).
 */
export function upstreamIndex(def: GraphInput): (name: string) => string[] {
  const g = indexGraph(def);
  const memo = new Map<string, string[]>();
  const visited = new Int32Array(g.names.length); // visited[j] === question number: j was reached for this question
  let question = 0;
  return (name) => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    question += 1;
    const i = g.index.get(name);
    const found: number[] = [];
    const stack = i === undefined ? [] : [...(g.predecessors[i] as number[])];
    while (stack.length > 0) {
      const at = stack.pop() as number;
      if (visited[at] === question) continue;
      visited[at] = question;
      if (at !== i) found.push(at);
      for (const p of g.predecessors[at] as number[]) if (visited[p] !== question) stack.push(p);
    }
    const ups = namesOf(g, found.sort((a, b) => a - b));
    if (memo.size >= UPSTREAM_MEMO) memo.delete(memo.keys().next().value as string);
    memo.set(name, ups);
    return ups;
  };
}
