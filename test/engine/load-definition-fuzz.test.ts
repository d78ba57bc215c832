import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import { SDK_STEP_TYPES } from '../../engine/definition/step-types.js';
import { formatDiagnostic } from '../../kernel/diagnostic.js';
import type { JsonValue } from '../../kernel/json.js';
import { SUPPORTED_STEP_TYPES } from '../../steps/executor-registry.js';
import { assertEditedSeedsLoad, assertMutatedSeedsLoad, checkLoads } from '../support/definition-fuzz.js';
import { inRepoDefinitions } from '../support/definition-seeds.js';

// The mutation tests start from the definitions this repository holds or builds (the compatibility suite runs the
// same two properties on the real-world corpus: test/compat/corpus-fuzz.test.ts).
let seeds: Record<string, JsonValue>;
beforeAll(async () => {
  seeds = await inRepoDefinitions();
});

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

  test('the seeds load without a diagnostic and hold every step type cairn runs', () => {
    const types = new Set<string>();
    for (const [name, seed] of Object.entries(seeds)) {
      const r = loadDefinitionText(JSON.stringify(seed, null, 2), name, { supportedStepTypes: new Set(SDK_STEP_TYPES) });
      expect(r.ok ? [] : r.error.map(formatDiagnostic), name).toEqual([]);
      if (r.ok) for (const s of r.value.steps) types.add(s.type);
    }
    expect([...types].sort()).toEqual([...SUPPORTED_STEP_TYPES].sort());
  });

  test('in-repo definitions with a key deleted or a value replaced', () => {
    assertMutatedSeedsLoad(Object.values(seeds));
  });

  test('in-repo definitions with the text cut or a character inserted', () => {
    assertEditedSeedsLoad(Object.values(seeds));
  });
});
