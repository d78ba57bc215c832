import type { DagEdge, DagNode } from './dag-layout.js';

export interface LineageStep { name: string; type: string; status: string; image?: { uri: string; id: string }; inputs: Record<string, string>; code: Record<string, string>; outputs: { name: string; hash: string }[] }
/** The version page's answer: `lineage` as `cairn models lineage --json`, `edges` the run's step DAG. */
export interface Lineage { version: number; run?: { runId: string; pipeline: string; status: string }; step?: string; steps: LineageStep[]; modelData?: { url: string; hash?: string } }

/** What a lineage node stands for; `ref` is the step's name, the run id or the full hash. */
export type LineageKind = 'version' | 'run' | 'step' | 'code' | 'data';
export interface LineageNode extends DagNode { kind: LineageKind; ref: string }

const short = (hash: string): string => hash.replace(/^sha256:/, '').slice(0, 12);

/** The steps the registering step depends on (through the run's edges or the data they pass), itself included. */
function onPath(l: Lineage, stepEdges: readonly DagEdge[]): Set<string> {
  const names = new Set(l.steps.map((s) => s.name));
  if (l.step === undefined || !names.has(l.step)) return names;
  const producer = new Map(l.steps.flatMap((s) => s.outputs.map((o) => [o.hash, s.name] as const)));
  const parents = new Map<string, Set<string>>();
  const add = (from: string, to: string): void => { if (from !== to) parents.set(to, (parents.get(to) ?? new Set()).add(from)); };
  for (const e of stepEdges) add(e.from, e.to);
  for (const s of l.steps) for (const h of Object.values(s.inputs)) { const p = producer.get(h); if (p !== undefined) add(p, s.name); }
  const keep = new Set<string>();
  const stack = [l.step];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (keep.has(n) || !names.has(n)) continue;
    keep.add(n);
    stack.push(...(parents.get(n) ?? []));
  }
  return keep;
}

/**
 * A version's lineage as a graph for the DAG renderer: the version, its run, the steps on the path to it and the
 * code and data hashes they read (one node per distinct hash). Edges run from a hash to the steps that read it, from
 * the step that wrote a hash to it, between steps that depend on each other without passing data, from the
 * registering step (and the model data) to the version, and from the run to the version.
 */
export function lineageGraph(l: Lineage, stepEdges: readonly DagEdge[]): { nodes: LineageNode[]; edges: DagEdge[] } {
  const node = (kind: LineageKind, name: string, ref: string, label: string, sub: string, status: string): LineageNode =>
    ({ kind, name, ref, label, sub, tip: `${label}: ${ref}`, type: kind, status, reused: false, attempts: 1 });
  const version = node('version', 'version', String(l.version), `version ${l.version}`, 'model version', 'version');
  if (l.run === undefined) return { nodes: [version], edges: [] };
  const nodes: LineageNode[] = [version, node('run', 'run', l.run.runId, l.run.runId, `run of ${l.run.pipeline}`, 'run')];
  const edges: DagEdge[] = [{ from: 'run', to: 'version', kind: 'run' }];
  const keep = onPath(l, stepEdges);
  const steps = l.steps.filter((s) => keep.has(s.name));
  const producer = new Map(steps.flatMap((s) => s.outputs.map((o) => [o.hash, s.name] as const)));
  const hashes = new Map<string, LineageNode>();
  const hashNode = (hash: string, label: string, code: boolean): string => {
    const id = `hash:${hash}`;
    const seen = hashes.get(hash);
    if (seen === undefined) {
      const n = node(code ? 'code' : 'data', id, hash, label, `${code ? 'code' : 'data'} ${short(hash)}`, code ? 'code' : 'data');
      hashes.set(hash, n); nodes.push(n);
      const p = producer.get(hash);
      if (p !== undefined) edges.push({ from: `step:${p}`, to: id, kind: 'output' });
    } else if (code && seen.kind === 'data') { seen.kind = 'code'; seen.type = 'code'; seen.status = 'code'; seen.sub = `code ${short(hash)}`; }
    return id;
  };
  const linked = new Set<string>();
  for (const s of steps) {
    nodes.push(node('step', `step:${s.name}`, s.name, s.name, `${s.type} · ${s.status}`, s.status));
    for (const [name, hash] of Object.entries(s.inputs)) {
      const p = producer.get(hash);
      if (p !== undefined) linked.add(`${p}\u0000${s.name}`);
      edges.push({ from: hashNode(hash, name, name in s.code), to: `step:${s.name}`, kind: 'input' });
    }
    for (const [name, hash] of Object.entries(s.code)) if (!(name in s.inputs)) edges.push({ from: hashNode(hash, name, true), to: `step:${s.name}`, kind: 'input' });
  }
  for (const e of stepEdges) {
    if (keep.has(e.from) && keep.has(e.to) && !linked.has(`${e.from}\u0000${e.to}`)) edges.push({ from: `step:${e.from}`, to: `step:${e.to}`, kind: 'depends' });
  }
  if (l.step !== undefined && keep.has(l.step)) edges.push({ from: `step:${l.step}`, to: 'version', kind: 'registered' });
  if (l.modelData?.hash !== undefined) edges.push({ from: hashNode(l.modelData.hash, 'model data', false), to: 'version', kind: 'model' });
  return { nodes, edges };
}
