import { describe, expect, test } from 'vitest';
import { loadDefinitionFile } from '../../engine/definition/load-definition.js';
import { SDK_STEP_TYPES } from '../../engine/definition/step-types.js';
import { compatFiles, compatPath } from '../support/compat-corpus.js';

const FILES = compatFiles();

/** With the default step types (Processing, Training), the only diagnostics are these. */
const UNSUPPORTED: Record<string, string[]> = {
  'CapstoneCohort4Group9+sagemaker-mlops-pipeline__pipeline.json': [
    '365:21 unsupported-step-type HopJetAir-RegisterModel: step type "RegisterModel" is not supported yet (supported: Processing, Training)',
  ],
  'aws-samples+dynamic-sagemaker-pipelines-framework__pipeline_definition.json': [
    '1:4344 unsupported-step-type falcon-text-summarization-register-RegisterModel: step type "RegisterModel" is not supported yet (supported: Processing, Training)',
    '1:9082 unsupported-step-type calhousing-CreateModel-CreateModel: step type "Model" is not supported yet (supported: Processing, Training)',
    '1:9645 unsupported-step-type calhousing-Transform: step type "Transform" is not supported yet (supported: Processing, Training)',
    '1:13144 unsupported-step-type calhousing-Register-RegisterModel: step type "RegisterModel" is not supported yet (supported: Processing, Training)',
  ],
  'chidichekwas+sagemaker-inferencing__pipeline_definition.json': [],
  'skrishnakumar027+sagemaker_pipelines__pipeline_definition.json': [],
};

test('the corpus holds the four known files', () => {
  expect(FILES).toEqual(Object.keys(UNSUPPORTED).sort());
});

describe.each(FILES)('%s', (file) => {
  test('loads with no diagnostic when every SDK step type is supported', async () => {
    const r = await loadDefinitionFile(compatPath(file), { supportedStepTypes: new Set(SDK_STEP_TYPES) });
    expect(r.ok ? [] : r.error).toEqual([]);
  });

  test('with the default step types, only unsupported-step-type diagnostics', async () => {
    const r = await loadDefinitionFile(compatPath(file));
    const lines = r.ok ? [] : r.error.map((d) => `${d.line}:${d.column} ${d.code} ${d.step ?? ''}: ${d.message}`);
    expect(lines).toEqual(UNSUPPORTED[file]);
  });
});

test('real definitions: implicit dependencies, cache expiry in the SDK short form, property files', async () => {
  const r = await loadDefinitionFile(compatPath('CapstoneCohort4Group9+sagemaker-mlops-pipeline__pipeline.json'), {
    supportedStepTypes: new Set(SDK_STEP_TYPES),
  });
  if (!r.ok) throw new Error('expected the definition to load');
  const steps = Object.fromEntries(r.value.steps.map((s) => [s.name, s]));
  expect(steps.TrainHermesProModel?.dependsOn).toEqual(['PreprocessData']);
  expect(steps.TrainHermesProModel?.explicitDependsOn).toEqual([]);
  expect(steps.TrainHermesProModel?.cacheConfig).toEqual({ enabled: true, expireAfter: '30d', expireAfterMs: 30 * 86_400_000 });
  expect(steps['HopJetAir-RegisterModel']?.dependsOn).toEqual(['TrainHermesProModel', 'EvaluateHopJetAirModel']);
  expect(steps.EvaluateHopJetAirModel?.propertyFiles).toEqual([
    { propertyFileName: 'EvaluationMetrics', outputName: 'evaluation', filePath: 'evaluation.json' },
  ]);
});
