import { describe, expect, it } from 'vitest';
import { layout } from '../../ui/web/dag-layout.js';
import { lineageGraph, type Lineage } from '../../ui/web/lineage-graph.js';

const h = (c: string): string => `sha256:${c.repeat(64)}`;

/** A version page's answer: Prep → Train → Register (registered the version), Eval off the path, a Condition before Register. */
const lineage: Lineage = {
  version: 3, run: { runId: 'r-1', pipeline: 'churn', status: 'succeeded' }, step: 'Register',
  modelData: { url: 's3://b/model.tar.gz', hash: h('m') },
  steps: [
    { name: 'Prep', type: 'Processing', status: 'succeeded', inputs: { raw: h('r'), code: h('c') }, code: { code: h('c') }, outputs: [{ name: 'train', hash: h('t') }] },
    { name: 'Train', type: 'Training', status: 'succeeded', inputs: { train: h('t'), sagemaker_submit_directory: h('c') }, code: { sagemaker_submit_directory: h('c') }, outputs: [{ name: 'model', hash: h('m') }] },
    { name: 'Eval', type: 'Processing', status: 'succeeded', inputs: { model: h('m') }, code: {}, outputs: [{ name: 'report', hash: h('e') }] },
    { name: 'Check', type: 'Condition', status: 'succeeded', inputs: {}, code: {}, outputs: [] },
    { name: 'Register', type: 'RegisterModel', status: 'succeeded', inputs: {}, code: {}, outputs: [] },
  ],
};
const stepEdges = [{ from: 'Train', to: 'Check', kind: 'depends' }, { from: 'Check', to: 'Register', kind: 'branch' }, { from: 'Prep', to: 'Train', kind: 'depends' }];
const pairs = (edges: { from: string; to: string; kind: string }[]): string[] => edges.map((e) => `${e.from} -${e.kind}-> ${e.to}`).sort();

describe('the model version page\'s lineage graph', () => {
  it('has the version, its run, the steps on the path and one node per code or data hash', () => {
    const g = lineageGraph(lineage, stepEdges);
    expect(g.nodes.map((n) => `${n.kind} ${n.ref}`).sort()).toEqual([
      `code ${h('c')}`, `data ${h('m')}`, `data ${h('r')}`, `data ${h('t')}`,
      'run r-1', 'step Check', 'step Prep', 'step Register', 'step Train', 'version 3',
    ]);
    expect(g.nodes.find((n) => n.ref === h('c'))!.label).toBe('code'); // the first name it was read under
    expect(g.nodes.find((n) => n.kind === 'run')!.sub).toBe('run of churn');
  });

  it('draws inputs → steps → the version, data passed through its hash, other dependencies step to step', () => {
    const g = lineageGraph(lineage, stepEdges);
    const c = `hash:${h('c')}`; const t = `hash:${h('t')}`; const m = `hash:${h('m')}`; const r = `hash:${h('r')}`;
    expect(pairs(g.edges)).toEqual(pairs([
      { from: 'run', to: 'version', kind: 'run' },
      { from: r, to: 'step:Prep', kind: 'input' }, { from: c, to: 'step:Prep', kind: 'input' },
      { from: 'step:Prep', to: t, kind: 'output' }, { from: t, to: 'step:Train', kind: 'input' }, { from: c, to: 'step:Train', kind: 'input' },
      { from: 'step:Train', to: 'step:Check', kind: 'depends' }, { from: 'step:Check', to: 'step:Register', kind: 'depends' },
      { from: 'step:Register', to: 'version', kind: 'registered' },
      { from: 'step:Train', to: m, kind: 'output' }, { from: m, to: 'version', kind: 'model' },
    ]));
    const l = layout(g.nodes, g.edges); // laid out by the run page's layout, left to right
    for (const e of g.edges) expect(l.pos.get(e.to)!.x, `${e.from} → ${e.to}`).toBeGreaterThan(l.pos.get(e.from)!.x);
  });

  it('keeps every step when no step registered the version, and only the version when no run is recorded', () => {
    const { step: _s, modelData: _m, ...byHand } = lineage;
    const g = lineageGraph(byHand, stepEdges);
    expect(g.nodes.filter((n) => n.kind === 'step').map((n) => n.ref).sort()).toEqual(['Check', 'Eval', 'Prep', 'Register', 'Train']);
    expect(g.edges.filter((e) => e.to === 'version')).toEqual([{ from: 'run', to: 'version', kind: 'run' }]);
    expect(g.edges).toContainEqual({ from: 'step:Train', to: `hash:${h('m')}`, kind: 'output' }); // Eval reads the model
    const { run: _r, ...noRun } = byHand;
    expect(lineageGraph(noRun, [])).toEqual({ nodes: [expect.objectContaining({ kind: 'version', ref: '3' })], edges: [] });
  });
});
