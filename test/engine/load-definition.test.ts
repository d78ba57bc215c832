import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostic } from '../../kernel/diagnostic.js';
import { loadDefinitionFile } from '../../engine/definition/load-definition.js';
import { SDK_STEP_TYPES } from '../../engine/definition/step-types.js';
import { definitionText, diagnose, get, load, processing, training } from './definition-helpers.js';

const ALL = { supportedStepTypes: new Set(SDK_STEP_TYPES) };

describe('loadDefinitionText', () => {
  test('dependsOn joins DependsOn and Get references, deduplicated, in file order', () => {
    const def = load({
      Parameters: [{ Name: 'Data', Type: 'String', DefaultValue: 's3://b/d' }],
      ParallelismConfiguration: { MaxParallelExecutionSteps: 2 },
      Steps: [
        processing('Prep', { CacheConfig: { Enabled: true, ExpireAfter: 'PT1H' } }),
        processing('Other'),
        training(
          'Train',
          {
            A: get('Steps.Other.ProcessingJobName'),
            B: get("Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"),
            C: get('Steps.Other.ProcessingJobArn'),
          },
          { DependsOn: ['Prep'], DisplayName: 'Train it', Description: 'trains' },
        ),
      ],
    });
    const train = def.steps[2];
    expect(train?.dependsOn).toEqual(['Other', 'Prep']);
    expect(train?.explicitDependsOn).toEqual(['Prep']);
    expect(train?.displayName).toBe('Train it');
    expect(train?.path).toBe('Steps[2]');
    expect(def.steps[0]?.cacheConfig).toEqual({ enabled: true, expireAfter: 'PT1H', expireAfterMs: 3_600_000 });
    expect(def.maxParallelSteps).toBe(2);
    expect(def.parameters).toEqual([{ name: 'Data', type: 'String', defaultValue: 's3://b/d' }]);
    expect(def.metadata).toEqual({});
    expect(def.version).toBe('2020-12-01');
  });

  test('steps nested in a Condition are flattened with branchOf and their own path', () => {
    const condition = {
      Name: 'Check',
      Type: 'Condition',
      Arguments: {
        Conditions: [{ Type: 'GreaterThan', LeftValue: get('Steps.Train.FinalMetricDataList[\'acc\'].Value'), RightValue: 0.5 }],
        IfSteps: [processing('Good', {}, { X: get('Steps.Train.ModelArtifacts.S3ModelArtifacts') })],
        ElseSteps: [{ Name: 'Bad', Type: 'Fail', Arguments: { ErrorMessage: 'too low' } }],
      },
    };
    const def = load({ Steps: [training('Train'), condition] }, ALL);
    expect(def.steps.map((s) => [s.name, s.path, s.branchOf, s.dependsOn])).toEqual([
      ['Train', 'Steps[0]', undefined, []],
      ['Check', 'Steps[1]', undefined, ['Train']],
      ['Good', 'Steps[1].Arguments.IfSteps[0]', { condition: 'Check', branch: 'IfSteps' }, ['Train']],
      ['Bad', 'Steps[1].Arguments.ElseSteps[0]', { condition: 'Check', branch: 'ElseSteps' }, []],
    ]);
  });

  test('nested steps of an unsupported Condition are still checked', () => {
    const condition = {
      Name: 'Check',
      Type: 'Condition',
      Arguments: { Conditions: [], IfSteps: [training('Inner', {}, { DependsOn: ['Nobody'] })], ElseSteps: [] },
    };
    expect(diagnose({ Steps: [condition] })).toEqual([
      'pipeline.json:6:15 Steps[0].Type (step "Check"): step type "Condition" is not supported yet (supported: Processing, Training)',
      'pipeline.json:19:15 Steps[0].Arguments.IfSteps[0].DependsOn[0] (step "Inner"): DependsOn names unknown step "Nobody"',
    ]);
  });

  test('keys that are not identifiers are quoted in paths', () => {
    const text = definitionText({ Steps: [training('T', { HyperParameters: { 'my-key': get('Parameters.Nope') } })] });
    expect(diagnose(text)).toEqual([
      `pipeline.json:12:21 Steps[0].Arguments.HyperParameters['my-key'] (step "T"): Get "Parameters.Nope" names unknown parameter "Nope" (no parameters are defined)`,
    ]);
  });

  test('ExpireAfter accepts ISO-8601 and the SDK short form', () => {
    for (const [text, ms] of [['P30D', 30 * 86_400_000], ['30d', 30 * 86_400_000], ['P1DT2H', 93_600_000], ['90m', 5_400_000]] as const) {
      const def = load({ Steps: [training('T', {}, { CacheConfig: { Enabled: true, ExpireAfter: text } })] });
      expect(def.steps[0]?.cacheConfig?.expireAfterMs).toBe(ms);
    }
  });
});

describe('loadDefinitionFile', () => {
  test('reads a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-def-'));
    const file = join(dir, 'p.json');
    await writeFile(file, definitionText({ Steps: [training('T')] }));
    const r = await loadDefinitionFile(file);
    expect(r.ok && r.value.steps.map((s) => s.name)).toEqual(['T']);
  });

  test('a missing file is a diagnostic', async () => {
    const r = await loadDefinitionFile('/nonexistent/p.json');
    expect(r.ok ? [] : r.error.map(formatDiagnostic)).toEqual([
      '/nonexistent/p.json:1:1 $: cannot read the definition: file not found',
    ]);
  });
});
