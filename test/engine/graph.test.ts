import { describe, expect, test } from 'vitest';
import { buildGraph, downstreamOf, findCycles, nodeId, topologicalOrder, upstreamOf, type GraphInput } from '../../engine/definition/graph.js';

/** `spec` lists [name, dependsOn] pairs in file order (an object would move "12" to the front). */
function steps(spec: [string, string[]][], branches: Record<string, string> = {}): GraphInput {
  return {
    steps: spec.map(([name, dependsOn]) => {
      const condition = branches[name];
      return condition === undefined ? { name, dependsOn } : { name, dependsOn, branchOf: { condition, branch: 'IfSteps' as const } };
    }),
  };
}

describe('graph', () => {
  // Z and A are both ready first: file order decides. "12" and "constructor" must not upset graphlib.
  const def = steps([['Z', []], ['A', []], ['12', ['Z']], ['constructor', ['A', '12']], ['Last', []]]);

  test('topological order is stable: ties broken by file order', () => {
    expect(topologicalOrder(def)).toEqual(['Z', 'A', '12', 'constructor', 'Last']);
    expect(topologicalOrder(steps([['C', ['B']], ['B', ['A']], ['A', []]]))).toEqual(['A', 'B', 'C']);
  });

  test('buildGraph: edges from a step to the steps that depend on it, labels are names', () => {
    const g = buildGraph(def);
    expect(g.nodes().map((n) => g.node(n))).toEqual(['Z', 'A', '12', 'constructor', 'Last']);
    expect(g.successors(nodeId('Z'))).toEqual([nodeId('12')]);
  });

  test('downstreamOf and upstreamOf are inclusive and in file order', () => {
    expect([...downstreamOf(def, ['Z'])]).toEqual(['Z', '12', 'constructor']);
    expect([...upstreamOf(def, ['constructor'])]).toEqual(['Z', 'A', '12', 'constructor']);
    expect([...downstreamOf(def, ['Last', 'Nope'])]).toEqual(['Last']);
  });

  test('branch steps come after their Condition', () => {
    const g = steps([['Inner', []], ['Cond', []]], { Inner: 'Cond' });
    expect(topologicalOrder(g)).toEqual(['Cond', 'Inner']);
    expect([...downstreamOf(g, ['Cond'])]).toEqual(['Inner', 'Cond']);
  });

  test('findCycles names each cycle once, in dependency order, from its first step in file order', () => {
    expect(findCycles(steps([['A', ['C']], ['B', ['A']], ['C', ['B']], ['D', ['A']], ['E', ['E']]]))).toEqual([['A', 'B', 'C'], ['E']]);
    expect(findCycles(def)).toEqual([]);
    expect(() => topologicalOrder(steps([['A', ['B']], ['B', ['A']]]))).toThrow(/cycle/);
  });
});
