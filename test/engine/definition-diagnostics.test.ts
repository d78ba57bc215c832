import { describe, expect, test } from 'vitest';
import { SDK_STEP_TYPES } from '../../engine/definition/step-types.js';
import { definitionText, diagnose, get, processing, training } from './definition-helpers.js';

describe('JSON syntax', () => {
  test('trailing comma', () => {
    expect(diagnose('{\n  "Version": "2020-12-01",\n  "Steps": [\n    1,\n  ]\n}')).toEqual([
      'pipeline.json:4:6 $: invalid JSON: trailing comma',
    ]);
  });
  test('comment', () => {
    expect(diagnose('{\n  // the version\n  "Version": "2020-12-01"\n}')).toEqual([
      'pipeline.json:2:3 $: invalid JSON: comments are not allowed in JSON',
    ]);
  });
  test('missing comma', () => {
    expect(diagnose('{\n  "Version": "2020-12-01"\n  "Steps": []\n}')).toEqual([
      "pipeline.json:3:3 $: invalid JSON: expected ',' or a closing bracket",
    ]);
  });
  test('empty file', () => {
    expect(diagnose('')).toEqual(['pipeline.json:1:1 $: invalid JSON: expected a value']);
  });
});

describe('top level', () => {
  test('not an object', () => {
    expect(diagnose('[1, 2]')).toEqual(['pipeline.json:1:1 $: a pipeline definition must be a JSON object']);
  });
  test('missing Version', () => {
    expect(diagnose(JSON.stringify({ Steps: [] }, null, 2))).toEqual([
      'pipeline.json:1:1 Version: missing "Version" (expected "2020-12-01")',
    ]);
  });
  test('wrong Version', () => {
    expect(diagnose({ Version: '2021-01-01', Steps: [] })).toEqual([
      'pipeline.json:2:14 Version: Version is "2021-01-01"; expected "2020-12-01"',
    ]);
  });
  test('missing Steps', () => {
    expect(diagnose({})).toEqual(['pipeline.json:1:1 Steps: missing "Steps" (the list of steps)']);
  });
  test('Steps is not an array', () => {
    expect(diagnose({ Steps: {} })).toEqual(['pipeline.json:3:12 Steps: "Steps" must be an array of steps']);
  });
  test('bad ParallelismConfiguration', () => {
    expect(diagnose({ ParallelismConfiguration: { MaxParallelExecutionSteps: 0 }, Steps: [] })).toEqual([
      'pipeline.json:4:34 ParallelismConfiguration.MaxParallelExecutionSteps: ParallelismConfiguration needs "MaxParallelExecutionSteps" (an integer of at least 1)',
    ]);
  });
});

describe('steps', () => {
  test('missing Name, Type, Arguments; wrong shapes', () => {
    expect(diagnose({ Steps: [{}, { Name: 'A', Type: 'Processing', Arguments: [] }, 5] })).toEqual([
      'pipeline.json:4:5 Steps[0].Name: step has no "Name"',
      'pipeline.json:4:5 Steps[0].Type: step has no "Type"',
      'pipeline.json:4:5 Steps[0].Arguments: step has no "Arguments"',
      'pipeline.json:8:20 Steps[1].Arguments (step "A"): step "Arguments" must be an object',
      'pipeline.json:10:5 Steps[2]: step must be an object with "Name", "Type" and "Arguments"',
    ]);
  });
  test('duplicate step names', () => {
    expect(diagnose({ Steps: [training('Train'), processing('Prep'), training('Train')] })).toEqual([
      'pipeline.json:38:15 Steps[2].Name (step "Train"): step name "Train" is also used at Steps[0]',
    ]);
  });
  test('DependsOn names an unknown step', () => {
    expect(diagnose({ Steps: [processing('Prep'), training('Train', {}, { DependsOn: ['Prepp'] })] })).toEqual([
      'pipeline.json:37:9 Steps[1].DependsOn[0] (step "Train"): DependsOn names unknown step "Prepp" (did you mean "Prep"?)',
    ]);
  });
  test('unsupported and unknown step types', () => {
    const steps = [
      { Name: 'Reg', Type: 'RegisterModel', Arguments: {} },
      { Name: 'P', Type: 'Procesing', Arguments: {} },
      { Name: 'Q', Type: 'Magic', Arguments: {} },
    ];
    expect(diagnose({ Steps: steps })).toEqual([
      'pipeline.json:6:15 Steps[0].Type (step "Reg"): step type "RegisterModel" is not supported yet (supported: Processing, Training)',
      'pipeline.json:11:15 Steps[1].Type (step "P"): unknown step type "Procesing" (did you mean "Processing"?)',
      'pipeline.json:16:15 Steps[2].Type (step "Q"): unknown step type "Magic"',
    ]);
  });
  test('bad CacheConfig', () => {
    const steps = [
      training('A', {}, { CacheConfig: { Enabled: true, ExpireAfter: '30 days' } }),
      training('B', {}, { CacheConfig: { ExpireAfter: 'P1D' } }),
    ];
    expect(diagnose({ Steps: steps })).toEqual([
      'pipeline.json:14:24 Steps[0].CacheConfig.ExpireAfter (step "A"): ExpireAfter "30 days" is not a duration (use ISO-8601 like "P30D" or "PT1H", or the short form "30d")',
      'pipeline.json:25:22 Steps[1].CacheConfig.Enabled (step "B"): CacheConfig needs "Enabled" (true or false)',
    ]);
  });
  test('PropertyFiles: unknown output, unknown property file in Std:JsonGet', () => {
    const steps = [
      processing('Eval', { PropertyFiles: [{ PropertyFileName: 'Metrics', OutputName: 'evaluation', FilePath: 'e.json' }] }),
      training('T', { X: { 'Std:JsonGet': { PropertyFile: get('Steps.Eval.PropertyFiles.Metricz'), Path: 'a.b' } } }),
    ];
    expect(diagnose({ Steps: steps })).toEqual([
      'pipeline.json:30:25 Steps[0].PropertyFiles[0].OutputName (step "Eval"): property file "Metrics" names unknown output "evaluation" (outputs: "train", "test")',
      `pipeline.json:44:29 Steps[1].Arguments.X['Std:JsonGet'].PropertyFile (step "T"): Get "Steps.Eval.PropertyFiles.Metricz": step "Eval" has no property file "Metricz" (it has "Metrics")`,
    ]);
  });
});

describe('references', () => {
  test('Get on an unknown step', () => {
    const steps = [training('Train', { X: get("Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri") })];
    expect(diagnose({ Steps: steps })).toEqual([
      `pipeline.json:11:14 Steps[0].Arguments.X (step "Train"): Get "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" names unknown step "Prep"`,
    ]);
  });
  test('Get on an unknown property or output', () => {
    const steps = [
      processing('Prep'),
      training('Train', {
        X: get("Steps.Prep.ProcessingOutputConfig.Outputs['tran'].S3Output.S3Uri"),
        Y: get('Steps.Prep.ModelArtifacts.S3ModelArtifacts'),
      }),
    ];
    expect(diagnose({ Steps: steps })).toEqual([
      `pipeline.json:35:14 Steps[1].Arguments.X (step "Train"): Get "Steps.Prep.ProcessingOutputConfig.Outputs['tran'].S3Output.S3Uri": Processing step "Prep" has no output named "tran" (outputs: "train", "test")`,
      'pipeline.json:38:14 Steps[1].Arguments.Y (step "Train"): Get "Steps.Prep.ModelArtifacts.S3ModelArtifacts": Processing step "Prep" has no property "ModelArtifacts"',
    ]);
  });
  test('Get on an unknown parameter', () => {
    const body = {
      Parameters: [
        { Name: 'Epochs', Type: 'Integer', DefaultValue: 3 },
        { Name: 'InputData', Type: 'String' },
      ],
      Steps: [training('Train', { X: get('Parameters.Epoch') })],
    };
    expect(diagnose(body)).toEqual([
      'pipeline.json:22:14 Steps[0].Arguments.X (step "Train"): Get "Parameters.Epoch" names unknown parameter "Epoch" (known: Epochs, InputData)',
    ]);
  });
  test('Get on an unknown execution variable', () => {
    expect(diagnose({ Steps: [training('Train', { X: get('Execution.PipelineId') })] })).toEqual([
      'pipeline.json:11:14 Steps[0].Arguments.X (step "Train"): Get "Execution.PipelineId" names unknown execution variable "PipelineId" (valid: PipelineExecutionId, PipelineName, PipelineArn, PipelineExecutionArn, StartDateTime, CurrentDateTime)',
    ]);
  });
  test('malformed Get text', () => {
    const steps = [training('Train', { X: get('Pipeline.Name'), Y: get('Steps.Train'), Z: get("Steps.Train.Foo['x") })];
    expect(diagnose({ Steps: steps })).toEqual([
      'pipeline.json:11:14 Steps[0].Arguments.X (step "Train"): Get "Pipeline.Name" is not a valid reference: it must start with "Parameters.", "Execution." or "Steps."',
      'pipeline.json:14:14 Steps[0].Arguments.Y (step "Train"): Get "Steps.Train" is not a valid reference: expected a property after "Steps.Train"',
      `pipeline.json:17:14 Steps[0].Arguments.Z (step "Train"): Get "Steps.Train.Foo['x" is not a valid reference: bad property path "Foo['x": unterminated string at character 5`,
    ]);
  });
  test('malformed Std:Join and Std:JsonGet', () => {
    const steps = [training('Train', { X: { 'Std:Join': { On: '/' } }, Y: { 'Std:JsonGet': { Path: 'a' } } })];
    expect(diagnose({ Steps: steps })).toEqual([
      'pipeline.json:11:14 Steps[0].Arguments.X (step "Train"): Std:Join needs "On" (a string) and "Values" (an array)',
      'pipeline.json:16:14 Steps[0].Arguments.Y (step "Train"): Std:JsonGet needs "Path" (a string) and either "PropertyFile" ({"Get": "Steps.<step>.PropertyFiles.<name>"}) or "S3Uri"',
    ]);
  });
  test('an object with "Get" among other keys is data, not a reference', () => {
    expect(diagnose({ Steps: [training('Train', { X: { Get: 'Steps.Nope.X', Other: 1 }, Y: { Get: 5 } })] })).toEqual([]);
  });
  test('references in PipelineExperimentConfig are checked too', () => {
    expect(diagnose({ PipelineExperimentConfig: { ExperimentName: get('Execution.Name') }, Steps: [] })).toEqual([
      'pipeline.json:4:23 PipelineExperimentConfig.ExperimentName: Get "Execution.Name" names unknown execution variable "Name" (valid: PipelineExecutionId, PipelineName, PipelineArn, PipelineExecutionArn, StartDateTime, CurrentDateTime)',
    ]);
  });
});

describe('parameters', () => {
  test('bad Type, DefaultValue not of its Type, default outside EnumValues, duplicates, no Name', () => {
    const body = {
      Parameters: [
        { Name: 'A', Type: 'Int' },
        { Name: 'B', Type: 'Integer', DefaultValue: 'ten' },
        { Name: 'C', Type: 'String', DefaultValue: 'c', EnumValues: ['a', 'b'] },
        { Name: 'A', Type: 'String' },
        { Type: 'String' },
      ],
      Steps: [training('T', { X: get('Parameters.A'), Y: get('Parameters.B') })],
    };
    expect(diagnose(body)).toEqual([
      'pipeline.json:6:15 Parameters[0].Type: parameter "A" has Type "Int"; expected String, Integer, Float or Boolean',
      'pipeline.json:11:23 Parameters[1].DefaultValue: parameter "B" is Integer but its DefaultValue is "ten"',
      'pipeline.json:16:23 Parameters[2].DefaultValue: DefaultValue "c" of parameter "C" is not one of its EnumValues ("a", "b")',
      'pipeline.json:23:15 Parameters[3].Name: parameter name "A" is also used at Parameters[0]',
      'pipeline.json:26:5 Parameters[4].Name: parameter needs a "Name" (a non-empty string)',
    ]);
  });
});

describe('cycles', () => {
  test('three steps, through DependsOn and Get, named in order', () => {
    const steps = [
      training('A', {}, { DependsOn: ['C'] }),
      training('B', {}, { DependsOn: ['A'] }),
      training('C', { X: get('Steps.B.ModelArtifacts.S3ModelArtifacts') }),
      training('D', {}, { DependsOn: ['A'] }),
    ];
    expect(diagnose({ Steps: steps })).toEqual(['pipeline.json:4:5 Steps[0] (step "A"): steps form a cycle: A → B → C → A']);
  });
  test('a step with a Get on itself', () => {
    expect(diagnose({ Steps: [training('A', { X: get('Steps.A.ModelArtifacts.S3ModelArtifacts') })] })).toEqual([
      'pipeline.json:4:5 Steps[0] (step "A"): steps form a cycle: A → A',
    ]);
  });
  test('a Condition that reads a step of its own branch', () => {
    const condition = {
      Name: 'C',
      Type: 'Condition',
      Arguments: {
        Conditions: [{ Type: 'Equals', LeftValue: get('Steps.In.TrainingJobStatus'), RightValue: 'Completed' }],
        IfSteps: [training('In')],
        ElseSteps: 3,
      },
    };
    expect(diagnose({ Steps: [condition] }, { supportedStepTypes: new Set(SDK_STEP_TYPES) })).toEqual([
      'pipeline.json:4:5 Steps[0] (step "C"): steps form a cycle: C → In → C',
      'pipeline.json:28:22 Steps[0].Arguments.ElseSteps (step "C"): "ElseSteps" must be an array of steps',
    ]);
  });
  test('two separate cycles are reported once each', () => {
    const steps = [
      training('A', {}, { DependsOn: ['B'] }),
      training('B', {}, { DependsOn: ['A'] }),
      training('C', {}, { DependsOn: ['C'] }),
    ];
    expect(diagnose({ Steps: steps })).toEqual([
      'pipeline.json:4:5 Steps[0] (step "A"): steps form a cycle: A → B → A',
      'pipeline.json:28:5 Steps[2] (step "C"): steps form a cycle: C → C',
    ]);
  });
});

test('several problems at once, in file order', () => {
  const text = definitionText({
    Version: '2019-01-01',
    Parameters: [{ Name: 'Epochs', Type: 'Integer', DefaultValue: 1.5 }],
    Steps: [
      processing('Prep', { CacheConfig: { Enabled: true, ExpireAfter: 'soon' } }, { X: get('Parameters.Epochs') }),
      training('Train', { Y: get('Steps.Prep.Nope'), Z: get('Parameters.Missing') }, { DependsOn: ['Ghost'] }),
      { Name: 'Prep', Type: 'Lambda', Arguments: {} },
      { Name: 'Loop', Type: 'Training', Arguments: { A: get('Steps.Loop.TrainingJobName') } },
    ],
  });
  expect(diagnose(text)).toEqual([
    'pipeline.json:2:14 Version: Version is "2019-01-01"; expected "2020-12-01"',
    'pipeline.json:7:23 Parameters[0].DefaultValue: parameter "Epochs" is Integer but its DefaultValue is 1.5',
    'pipeline.json:39:24 Steps[0].CacheConfig.ExpireAfter (step "Prep"): ExpireAfter "soon" is not a duration (use ISO-8601 like "P30D" or "PT1H", or the short form "30d")',
    'pipeline.json:49:14 Steps[1].Arguments.Y (step "Train"): Get "Steps.Prep.Nope": Processing step "Prep" has no property "Nope"',
    'pipeline.json:52:14 Steps[1].Arguments.Z (step "Train"): Get "Parameters.Missing" names unknown parameter "Missing" (known: Epochs)',
    'pipeline.json:57:9 Steps[1].DependsOn[0] (step "Train"): DependsOn names unknown step "Ghost"',
    'pipeline.json:61:15 Steps[2].Name (step "Prep"): step name "Prep" is also used at Steps[0]',
    'pipeline.json:62:15 Steps[2].Type (step "Prep"): step type "Lambda" is not supported yet (supported: Processing, Training)',
    'pipeline.json:65:5 Steps[3] (step "Loop"): steps form a cycle: Loop → Loop',
  ]);
});
