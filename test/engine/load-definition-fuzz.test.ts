import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { topologicalOrder } from '../../engine/definition/graph.js';
import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import { SDK_STEP_TYPES } from '../../engine/definition/step-types.js';

const DIR = join(import.meta.dirname, '../../../shared/compat/sagemaker-definitions');
const CORPUS = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as JsonValue);

/** Loading returns a Result whose diagnostics point inside the file; a loaded definition is acyclic. */
function checkLoads(text: string, all: boolean): void {
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

const stepLike = fc.record(
  {
    Name: fc.oneof(fc.constantFrom('A', 'B', 'C'), fc.jsonValue()),
    Type: fc.oneof(fc.constantFrom(...SDK_STEP_TYPES, 'Nope'), fc.jsonValue()),
    Arguments: fc.oneof(
      fc.dictionary(fc.string(), fc.oneof(
        fc.record({ Get: fc.constantFrom('Steps.A.ProcessingJobName', 'Steps.B.Outcome', 'Parameters.P', 'Execution.PipelineName', 'Steps.C', 'Steps.A.PropertyFiles.F', "Steps.A.ProcessingOutputConfig.Outputs['x'].S3Output.S3Uri") }),
        fc.record({ 'Std:Join': fc.jsonValue() }),
        fc.record({ 'Std:JsonGet': fc.jsonValue() }),
        fc.jsonValue(),
      )),
      fc.jsonValue(),
    ),
    DependsOn: fc.oneof(fc.array(fc.constantFrom('A', 'B', 'C', 'D')), fc.jsonValue()),
    CacheConfig: fc.oneof(fc.record({ Enabled: fc.boolean(), ExpireAfter: fc.constantFrom('P1D', '3d', 'x') }), fc.jsonValue()),
    PropertyFiles: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

const definitionLike = fc.record(
  {
    Version: fc.oneof(fc.constant('2020-12-01'), fc.jsonValue()),
    Parameters: fc.oneof(
      fc.array(fc.record({ Name: fc.constantFrom('P', 'Q'), Type: fc.constantFrom('String', 'Integer', 'Float', 'Boolean', 'X'), DefaultValue: fc.jsonValue(), EnumValues: fc.jsonValue() }, { requiredKeys: ['Name'] })),
      fc.jsonValue(),
    ),
    Steps: fc.oneof(fc.array(stepLike, { maxLength: 5 }), fc.jsonValue()),
    ParallelismConfiguration: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe('loadDefinitionText never throws', () => {
  test('arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.boolean(), (v, all) => checkLoads(JSON.stringify(v), all)), { numRuns: 500 });
  });

  test('arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (s) => checkLoads(s, true)), { numRuns: 300 });
  });

  test('definition-shaped values', () => {
    fc.assert(fc.property(definitionLike, fc.boolean(), (v, all) => checkLoads(JSON.stringify(v, null, 1), all)), { numRuns: 500 });
  });

  test('corpus files with a key deleted or a value replaced', () => {
    const mutation = fc
      .nat({ max: CORPUS.length - 1 })
      .chain((i) => {
        const root = CORPUS[i] as JsonValue;
        const all = paths(root);
        return fc.tuple(fc.constant(root), fc.constantFrom(...all), fc.option(fc.jsonValue(), { nil: undefined }));
      });
    fc.assert(
      fc.property(mutation, fc.boolean(), ([root, path, replacement], all) => {
        checkLoads(JSON.stringify(mutate(root, path, replacement as JsonValue | undefined), null, 2), all);
      }),
      { numRuns: 500 },
    );
  });

  test('corpus files with the text cut or a character inserted', () => {
    const texts = CORPUS.map((c) => JSON.stringify(c, null, 2));
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.nat(), fc.string({ maxLength: 2 }), (i, at, insert) => {
        const t = texts[i] as string;
        const pos = at % (t.length + 1);
        checkLoads(t.slice(0, pos) + insert + t.slice(pos + insert.length), true);
      }),
      { numRuns: 300 },
    );
  });
});
