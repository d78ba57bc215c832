import { describe, expect, it } from 'vitest';
import { SDK_STEP_TYPES } from '../../engine/definition/step-types.js';
import type { JsonValue } from '../../kernel/json.js';
import { diagnose } from './definition-helpers.js';

const ALL = { supportedStepTypes: new Set(SDK_STEP_TYPES) };

function processing(image: JsonValue, outputUri: JsonValue): JsonValue {
  return {
    Name: 'P', Type: 'Processing',
    Arguments: {
      AppSpecification: { ImageUri: image },
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'o', S3Output: { S3Uri: outputUri, LocalPath: '/opt/ml/processing/o' } }] },
    },
  };
}

describe('image references written literally are checked by Docker\'s grammar at load time', () => {
  it('names the file position, the field, the step and what is wrong', () => {
    expect(diagnose({ Steps: [processing('python:3.11-slimé', 's3://b/o')] })).toEqual([
      'pipeline.json:9:23 Steps[0].Arguments.AppSpecification.ImageUri (step "P"): ImageUri "python:3.11-slimé" is not a valid Docker image reference: the tag "3.11-slimé" is not 1 to 128 letters, digits, "_", "." or "-" starting with a letter, digit or "_"; it holds "é" (U+00E9)',
    ]);
  });

  it('covers Training and Model images (PrimaryContainer and every Containers entry), in Condition branches too', () => {
    const steps = [
      { Name: 'T', Type: 'Training', Arguments: { AlgorithmSpecification: { TrainingImage: 'Trainer:1' } } },
      { Name: 'M', Type: 'Model', Arguments: { Containers: [{ Image: 'ok:1' }, { Image: 'bad image' }] } },
      { Name: 'C', Type: 'Condition', Arguments: { Conditions: [{ Type: 'Equals', LeftValue: 1, RightValue: 1 }], IfSteps: [{ Name: 'N', Type: 'Model', Arguments: { PrimaryContainer: { Image: 'x@md5:1' } } }], ElseSteps: [] } },
    ];
    expect(diagnose({ Steps: steps }, ALL).map((l) => l.replace(/ is not a valid Docker image reference: .*/, ''))).toEqual([
      'pipeline.json:9:28 Steps[0].Arguments.AlgorithmSpecification.TrainingImage (step "T"): TrainingImage "Trainer:1"',
      'pipeline.json:22:22 Steps[1].Arguments.Containers[1].Image (step "M"): Image "bad image"',
      'pipeline.json:44:26 Steps[2].Arguments.IfSteps[0].Arguments.PrimaryContainer.Image (step "N"): Image "x@md5:1"',
    ]);
  });

  it('leaves expressions to resolution time, and a huge reference is quoted short', () => {
    expect(diagnose({ Parameters: [{ Name: 'I', Type: 'String' }], Steps: [processing({ Get: 'Parameters.I' }, 's3://b/o')] })).toEqual([]);
    const [line] = diagnose({ Steps: [processing(`x:${'é'.repeat(1_000_000)}`, 's3://b/o')] });
    expect(line!.length).toBeLessThan(600);
  });
});

describe('output URIs with "." or ".." segments are refused at load time', () => {
  it.each([
    ['s3://b/runs/../etc', 'has a "." or ".." path segment, which would name another place in the s3/ view'],
    ['s3://b/./x', 'has a "." or ".." path segment, which would name another place in the s3/ view'],
    ['s3://b/..', 'has a "." or ".." path segment, which would name another place in the s3/ view'],
    ['s3://b/a//../x', 'has a "." or ".." path segment, which would name another place in the s3/ view'],
    ['s3://../x', 'has a "." or ".." path segment, which would name another place in the s3/ view'],
    ['file:///tmp/out/../../etc', 'has a "." or ".." path segment, which would name another place in the s3/ view'],
  ])('Processing S3Output.S3Uri %s', (uri, why) => {
    expect(diagnose({ Steps: [processing('img:1', uri)] })).toEqual([
      `pipeline.json:16:26 Steps[0].Arguments.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri (step "P"): S3Uri ${JSON.stringify(uri)} ${why}; write the URI without it`,
    ]);
  });

  it('accepts a trailing "/", empty segments, a bucket alone, dots inside names, and expressions', () => {
    for (const uri of ['s3://b/x/', 's3://b/prefix//x', 's3://b', 's3://b/', 's3://b/a.b/..c/d..', 'file:///tmp/x/']) expect(diagnose({ Steps: [processing('img:1', uri)] }), uri).toEqual([]);
    expect(diagnose({ Steps: [processing('img:1', { 'Std:Join': { On: '/', Values: ['s3://b', '..'] } })] })).toEqual([]);
  });

  it('covers Training OutputDataConfig and CheckpointConfig, and Transform TransformOutput', () => {
    const steps = [
      { Name: 'T', Type: 'Training', Arguments: { AlgorithmSpecification: { TrainingImage: 'img:1' }, OutputDataConfig: { S3OutputPath: 's3://b/m/..' }, CheckpointConfig: { S3Uri: 's3://b/c/./d' } } },
      { Name: 'X', Type: 'Transform', Arguments: { ModelName: 'm', TransformOutput: { S3OutputPath: 's3://b/./t' } } },
    ];
    expect(diagnose({ Steps: steps }, ALL).map((l) => l.replace(/ (has|which) .*/, ''))).toEqual([
      'pipeline.json:12:27 Steps[0].Arguments.OutputDataConfig.S3OutputPath (step "T"): S3OutputPath "s3://b/m/.."',
      'pipeline.json:15:20 Steps[0].Arguments.CheckpointConfig.S3Uri (step "T"): S3Uri "s3://b/c/./d"',
      'pipeline.json:25:27 Steps[1].Arguments.TransformOutput.S3OutputPath (step "X"): S3OutputPath "s3://b/./t"',
    ]);
  });
});
