import { alg } from '@dagrejs/graphlib';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../cache/store.js';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import type { ContainerRuntime } from '../../contracts/container-runtime.js';
import { plannedWhy } from '../../cli/plan-words.js';
import { anyExecutor, type StepExecutor } from '../../contracts/executor.js';
import type { ImageResolver } from '../../contracts/image-resolver.js';
import { resolveHome } from '../../contracts/home.js';
import type { JsonObject, JsonValue } from '../../kernel/json.js';
import { ok } from '../../kernel/result.js';
import { buildGraph, downstreamOf, findCycles, topologicalOrder, upstreamIndex, upstreamOf, type GraphInput } from '../../engine/definition/graph.js';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import { planRun } from '../../engine/run/plan.js';
import type { Services } from '../../engine/run/run-context.js';
import { schedule } from '../../engine/run/scheduler.js';
import { makeTemp } from '../cache/temp-home.js';

/**
 * Graph work at the sizes users generate: a chain as deep as it is long (graphlib's recursive traversal overflowed
 * the call stack at a few thousand steps) and a fan-out as wide (the ready list was re-sorted per step). The
 * definitions are generated here; there is no timing assertion, only that load and plan complete and are right.
 */
const DEEP = 10_000;
const WIDE = 20_000;
const name = (i: number): string => `S${i}`;

function step(i: number, extra: JsonObject = {}): JsonObject {
  return {
    Name: name(i),
    Type: 'Processing',
    Arguments: { ProcessingOutputConfig: { Outputs: [{ OutputName: 'o', S3Output: { S3Uri: `s3://b/${name(i)}`, LocalPath: '/opt/ml/processing/o' } }] } },
    ...extra,
  };
}

const getSource = { Get: `Steps.${name(0)}.ProcessingOutputConfig.Outputs['o'].S3Output.S3Uri` };

function definition(steps: JsonObject[]) {
  const text = JSON.stringify({ Version: '2020-12-01', Parameters: [], Steps: steps });
  return loadDefinitionText(text, 'generated.json');
}

function loaded(steps: JsonObject[]) {
  const r = definition(steps);
  if (!r.ok) throw new Error(r.error.slice(0, 3).map((d) => d.message).join('\n'));
  return r.value;
}

const chain = (n: number): JsonObject[] => Array.from({ length: n }, (_, i) => step(i, i === 0 ? {} : { DependsOn: [name(i - 1)] }));
const fanOut = (n: number): JsonObject[] =>
  Array.from({ length: n }, (_, i) => (i === 0 ? step(0) : { ...step(i), Arguments: { Environment: { SOURCE: getSource } } }));

const fakeProcessing: StepExecutor<JsonValue> = {
  type: 'Processing',
  prepare: (args) => Promise.resolve(ok({ fingerprint: { image: { uri: 'fake', id: 'fake' }, arguments: args, inputs: {}, environment: {} }, job: args })),
  execute: () => Promise.resolve(ok({ properties: {}, outputs: [] })),
};

let tmp: ReturnType<typeof makeTemp>;
let services: Services;
beforeEach(() => {
  tmp = makeTemp('cairn-graph-scale-');
  const home = resolveHome({ CAIRN_HOME: tmp.dir });
  services = {
    home, store: Store.open(home.db), runtime: {} as ContainerRuntime, images: {} as ImageResolver,
    artifacts: new LocalArtifactStore(home.root, new MemoryHashCache()), executors: new Map([['Processing', anyExecutor(fakeProcessing)]]),
  };
});
afterEach(() => { services.store.close(); tmp.cleanup(); });

describe(`a ${DEEP}-step chain`, () => {
  it('loads, orders and plans every step', async () => {
    const def = loaded(chain(DEEP));
    expect(topologicalOrder(def)).toEqual(def.steps.map((s) => s.name));
    expect(downstreamOf(def, [name(0)]).size).toBe(DEEP);
    expect(upstreamOf(def, [name(DEEP - 1)]).size).toBe(DEEP);
    expect(upstreamIndex(def)(name(DEEP - 1))).toEqual(def.steps.slice(0, -1).map((s) => s.name));
    const planned = await planRun(services, def, 'chain', {}, { noCache: false, rerun: [] });
    expect(planned).toHaveLength(DEEP);
    expect(planned[0]).toMatchObject({ name: name(0), action: 'run' });
    expect(plannedWhy(planned[0]!)).toBe('no earlier execution');
    expect(planned.at(-1)).toMatchObject({ name: name(DEEP - 1), action: 'run' });
    expect(plannedWhy(planned.at(-1)!)).toBe(`upstream "${name(DEEP - 2)}" will run`);
    const rerun = await planRun(services, def, 'chain', {}, { noCache: false, rerun: [name(DEEP / 2)] });
    expect(rerun).toHaveLength(DEEP);
  });

  it('closed into a cycle, is reported once, in full, with the same words as a small cycle', () => {
    const steps = chain(DEEP);
    steps[0] = step(0, { DependsOn: [name(DEEP - 1)] });
    const r = definition(steps);
    expect(r.ok).toBe(false);
    const cycles = r.ok ? [] : r.error.filter((d) => d.code === 'cycle');
    expect(cycles).toHaveLength(1);
    const names = Array.from({ length: DEEP }, (_, i) => name(i));
    expect(cycles[0]?.message).toBe(`steps form a cycle: ${[...names, name(0)].join(' → ')}`);
  });

  it('is scheduled in order, one step after another', async () => {
    const def = loaded(chain(DEEP));
    const started: string[] = [];
    const byName = new Map(def.steps.map((s) => [s.name, s]));
    const outcome = await schedule({
      order: topologicalOrder(def), upstream: (n) => byName.get(n)?.dependsOn ?? [], done: new Map(), maxParallel: 4,
      signal: new AbortController().signal, run: (n) => { started.push(n); return Promise.resolve('succeeded'); },
    });
    expect(started).toEqual(def.steps.map((s) => s.name));
    expect(outcome.size).toBe(DEEP);
  });
});

describe(`a ${WIDE}-step fan-out (one source, every other step reads it)`, () => {
  it('loads, orders and plans every step', async () => {
    const def = loaded(fanOut(WIDE));
    expect(def.steps.every((s, i) => (i === 0 ? s.dependsOn.length === 0 : s.dependsOn.join() === name(0)))).toBe(true);
    expect(topologicalOrder(def)).toEqual(def.steps.map((s) => s.name));
    expect(downstreamOf(def, [name(0)]).size).toBe(WIDE);
    const planned = await planRun(services, def, 'fan', {}, { noCache: false, rerun: [] });
    expect(planned).toHaveLength(WIDE);
    expect(planned.slice(1).every((p) => p.action === 'run' && plannedWhy(p) === `upstream "${name(0)}" will run`)).toBe(true);
  });
});

/** The ready list re-sorted before each pick: the rule `topologicalOrder` keeps, written the slow way. */
function slowOrder(def: GraphInput): string[] {
  const index = new Map(def.steps.map((s, i) => [s.name, i]));
  const waiting = new Map(def.steps.map((s) => [s.name, new Set([...s.dependsOn, ...(s.branchOf ? [s.branchOf.condition] : [])].filter((d) => index.has(d))).size]));
  const ready = def.steps.filter((s) => waiting.get(s.name) === 0).map((s) => s.name);
  const out: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => (index.get(a) ?? 0) - (index.get(b) ?? 0));
    const next = ready.shift() as string;
    out.push(next);
    for (const s of def.steps) {
      const ups = new Set([...s.dependsOn, ...(s.branchOf ? [s.branchOf.condition] : [])]);
      if (!ups.has(next)) continue;
      const left = (waiting.get(s.name) ?? 0) - 1;
      waiting.set(s.name, left);
      if (left === 0) ready.push(s.name);
    }
  }
  return out;
}

/** findCycles as it was: graphlib's (recursive) components, then a breadth-first walk from each one's first step. */
function recursiveCycles(def: GraphInput): string[][] {
  const g = buildGraph(def);
  const index = new Map(def.steps.map((s, i) => [s.name, i]));
  const byFile = (a: string, b: string): number => (index.get(a) ?? 0) - (index.get(b) ?? 0);
  const next = (at: string): string[] => (g.successors(`step:${at}`) ?? []).map((id) => g.node(id) as string).sort(byFile);
  const cycles = alg.findCycles(g).map((component) => {
    const members = new Set(component.map((id) => g.node(id) as string));
    const start = [...members].sort(byFile)[0] as string;
    const cameFrom = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const at = queue.shift() as string;
      for (const n of next(at).filter((x) => members.has(x))) {
        if (n === start) {
          const path = [at];
          for (let p = cameFrom.get(at); p !== undefined; p = cameFrom.get(p)) path.unshift(p);
          return path;
        }
        if (!cameFrom.has(n)) { cameFrom.set(n, at); queue.push(n); }
      }
    }
    return [start];
  });
  return cycles.sort((a, b) => byFile(a[0] ?? '', b[0] ?? ''));
}

describe('the iterative graph code agrees with the recursive and quadratic forms it replaced', () => {
  const graphs = fc.integer({ min: 1, max: 12 }).chain((n) =>
    fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }).map((deps) => ({
      steps: deps.map((d, i) => ({ name: `N${i}`, dependsOn: d.map((j) => `N${j}`) })),
    })));

  it('findCycles reports what graphlib\'s recursive findCycles led to: per component, the shortest cycle from its first step', () => {
    fc.assert(fc.property(graphs, (def) => {
      expect(findCycles(def)).toEqual(recursiveCycles(def));
    }));
  });

  it('topologicalOrder picks, among the ready steps, the first in file order', () => {
    const acyclic = graphs.map((def) => ({ steps: def.steps.map((s, i) => ({ ...s, dependsOn: s.dependsOn.filter((d) => Number(d.slice(1)) < i) })) }));
    const shuffled = acyclic.chain((def) => fc.shuffledSubarray(def.steps, { minLength: def.steps.length }).map((steps) => ({ steps })));
    fc.assert(fc.property(shuffled, (def) => {
      expect(topologicalOrder(def)).toEqual(slowOrder(def));
    }));
  });
});
