import { describe, expect, test } from 'vitest';
import { collectReferences, resolveValue, type ExpressionContext } from '../../engine/definition/expressions.js';
import type { JsonValue } from '../../kernel/json.js';
import { err, ok } from '../../kernel/result.js';

const prepProperties: JsonValue = {
  ProcessingJobName: 'pipelines-abc-Prep',
  ProcessingOutputConfig: {
    Outputs: [
      { OutputName: 'train', S3Output: { S3Uri: 's3://bucket/exec-1/Prep/train' } },
      { OutputName: 'test', S3Output: { S3Uri: 's3://bucket/exec-1/Prep/test' } },
    ],
  },
};

const ctx: ExpressionContext = {
  parameters: { Bucket: 'bucket', Epochs: 3, Rate: 0.5, Shuffle: false },
  execution: { PipelineExecutionId: 'exec-1', PipelineName: 'demo' },
  stepProperties: (step) => (step === 'Prep' ? prepProperties : undefined),
};

describe('resolveValue', () => {
  test('Std:Join with parameters and execution variables, stringifying numbers and booleans', () => {
    const value = {
      'Std:Join': {
        On: '/',
        Values: ['s3:/', { Get: 'Parameters.Bucket' }, { Get: 'Execution.PipelineExecutionId' }, { Get: 'Parameters.Epochs' }, { Get: 'Parameters.Rate' }, { Get: 'Parameters.Shuffle' }],
      },
    };
    expect(resolveValue(value, ctx)).toEqual(ok('s3://bucket/exec-1/3/0.5/false'));
  });

  test("Get on step properties selects Outputs['train'] by OutputName, recursively through objects and arrays", () => {
    const value = {
      Inputs: [{ S3Uri: { Get: "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" } }],
      Name: { Get: 'Steps.Prep.ProcessingJobName' },
      Second: { Get: 'Steps.Prep.ProcessingOutputConfig.Outputs[1].OutputName' },
      Plain: { Get: 'Steps.Prep.X', Other: 1 },
    };
    expect(resolveValue(value, ctx)).toEqual(
      ok({
        Inputs: [{ S3Uri: 's3://bucket/exec-1/Prep/train' }],
        Name: 'pipelines-abc-Prep',
        Second: 'test',
        Plain: { Get: 'Steps.Prep.X', Other: 1 },
      }),
    );
  });

  test('errors name the step, the full property path, or the variable', () => {
    expect(resolveValue({ A: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } }, ctx, 'Steps[1].Arguments')).toEqual(
      err({ message: 'step "Train" has no properties yet (it has not run)', path: 'Steps[1].Arguments.A' }),
    );
    expect(resolveValue([{ Get: "Steps.Prep.ProcessingOutputConfig.Outputs['validation'].S3Output.S3Uri" }], ctx)).toEqual(
      err({ message: `property "Steps.Prep.ProcessingOutputConfig.Outputs['validation'].S3Output.S3Uri" not found`, path: '[0]' }),
    );
    expect(resolveValue({ Get: 'Parameters.Nope' }, ctx)).toEqual(err({ message: 'parameter "Nope" has no value', path: '' }));
    expect(resolveValue({ Get: 'Execution.StartDateTime' }, ctx)).toEqual(
      err({ message: 'execution variable "StartDateTime" has no value', path: '' }),
    );
    expect(resolveValue({ Get: 'Nope.X' }, ctx)).toEqual(
      err({ message: 'Get "Nope.X" is not a valid reference: it must start with "Parameters.", "Execution." or "Steps."', path: '' }),
    );
  });

  test('Std:Join errors', () => {
    expect(resolveValue({ 'Std:Join': { On: '/' } }, ctx)).toEqual(
      err({ message: 'Std:Join needs "On" (a string) and "Values" (an array)', path: '' }),
    );
    expect(resolveValue({ 'Std:Join': { On: '/', Values: ['a', { Get: 'Steps.Prep.ProcessingOutputConfig' }] } }, ctx, 'X')).toEqual(
      err({ message: 'Std:Join value 1 is an object; only strings, numbers and booleans can be joined', path: "X['Std:Join'].Values[1]" }),
    );
  });

  test('Std:JsonGet via ctx.jsonGet', () => {
    const calls: unknown[] = [];
    const withFiles: ExpressionContext = {
      ...ctx,
      jsonGet: (args) => {
        calls.push(args);
        return args.path === 'metrics.acc' ? ok(0.9) : err(`no value at "${args.path}"`);
      },
    };
    const byFile = { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Eval.PropertyFiles.Metrics' }, Path: 'metrics.acc' } };
    expect(resolveValue(byFile, withFiles)).toEqual(ok(0.9));
    const byUri = { 'Std:JsonGet': { S3Uri: { 'Std:Join': { On: '/', Values: ['s3://b', 'm.json'] } }, Path: 'x' } };
    expect(resolveValue(byUri, withFiles, 'V')).toEqual(err({ message: 'no value at "x"', path: 'V' }));
    expect(calls).toEqual([
      { stepName: 'Eval', propertyFile: 'Metrics', path: 'metrics.acc' },
      { s3Uri: 's3://b/m.json', path: 'x' },
    ]);
    expect(resolveValue(byFile, ctx)).toEqual(
      err({ message: 'Std:JsonGet cannot be evaluated here (no property files available)', path: '' }),
    );
  });
});

describe('collectReferences', () => {
  test('every Get with its kind, name, property and JSON path', () => {
    const value = {
      S3Uri: { 'Std:Join': { On: '/', Values: [{ Get: 'Parameters.Bucket' }, { Get: 'Execution.PipelineExecutionId' }] } },
      'my-input': { Get: "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" },
      Metric: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Eval.PropertyFiles.Metrics' }, Path: 'a' } },
      NotOne: { Get: 'Parameters.X', Also: 1 },
    };
    const refs = collectReferences(value, 'Steps[1].Arguments').map((r) => [r.kind, r.name, r.kind === 'step' ? r.property : '', r.path]);
    expect(refs).toEqual([
      ['parameter', 'Bucket', '', "Steps[1].Arguments.S3Uri['Std:Join'].Values[0]"],
      ['execution', 'PipelineExecutionId', '', "Steps[1].Arguments.S3Uri['Std:Join'].Values[1]"],
      ['step', 'Prep', "ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri", "Steps[1].Arguments['my-input']"],
      ['step', 'Eval', 'PropertyFiles.Metrics', "Steps[1].Arguments.Metric['Std:JsonGet'].PropertyFile"],
    ]);
  });
});
