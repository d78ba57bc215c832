import fc from 'fast-check';
import { expect } from 'vitest';
import { topologicalOrder } from '../../engine/definition/graph.js';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import { SDK_STEP_TYPES } from '../../engine/definition/step-types.js';
import { isJsonObject, type JsonValue } from '../../kernel/json.js';

/** Loading returns a Result whose diagnostics point inside the file; a loaded definition is acyclic. */
export function checkLoads(text: string, all: boolean): void {
  const r = loadDefinitionText(text, 'fuzz.json', all ? { supportedStepTypes: new Set(SDK_STEP_TYPES) } : undefined);
  if (r.ok) {
    expect(topologicalOrder(r.value)).toHaveLength(r.value.steps.length);
  } else {
    expect(r.error.length).toBeGreaterThan(0);
    for (const d of r.error) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
      expect(typeof d.message).toBe('string');
    }
  }
}

/** Every path in a JSON value (as key / index lists). */
function paths(v: JsonValue, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((c, i) => paths(c, [...prefix, i], out));
  else if (isJsonObject(v)) for (const [k, c] of Object.entries(v)) paths(c, [...prefix, k], out);
  return out;
}

function mutate(root: JsonValue, path: (string | number)[], replacement: JsonValue | undefined): JsonValue {
  const copy = structuredClone(root);
  if (path.length === 0) return replacement ?? null;
  let parent: JsonValue = copy;
  for (const seg of path.slice(0, -1)) parent = (parent as Record<string | number, JsonValue>)[seg] as JsonValue;
  const last = path[path.length - 1] as string | number;
  if (Array.isArray(parent) && typeof last === 'number') {
    if (replacement === undefined) parent.splice(last, 1);
    else parent[last] = replacement;
  } else if (isJsonObject(parent)) {
    if (replacement === undefined) delete parent[last as string];
    else parent[last as string] = replacement;
  }
  return copy;
}

/** Seed definitions with one key (at any depth) deleted or its value replaced by arbitrary JSON load without throwing. */
export function assertMutatedSeedsLoad(seeds: readonly JsonValue[], numRuns = 500): void {
  const mutation = fc
    .nat({ max: seeds.length - 1 })
    .chain((i) => {
      const root = seeds[i] as JsonValue;
      return fc.tuple(fc.constant(root), fc.constantFrom(...paths(root)), fc.option(fc.jsonValue(), { nil: undefined }));
    });
  fc.assert(
    fc.property(mutation, fc.boolean(), ([root, path, replacement], all) => {
      checkLoads(JSON.stringify(mutate(root, path, replacement as JsonValue | undefined), null, 2), all);
    }),
    { numRuns },
  );
}

/** Seed definitions as text, cut or with up to two characters written over at any position, load without throwing. */
export function assertEditedSeedsLoad(seeds: readonly JsonValue[], numRuns = 300): void {
  const texts = seeds.map((c) => JSON.stringify(c, null, 2));
  fc.assert(
    fc.property(fc.nat({ max: texts.length - 1 }), fc.nat(), fc.string({ maxLength: 2 }), (i, at, insert) => {
      const t = texts[i] as string;
      const pos = at % (t.length + 1);
      checkLoads(t.slice(0, pos) + insert + t.slice(pos + insert.length), true);
    }),
    { numRuns },
  );
}
