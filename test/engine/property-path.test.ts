import { describe, expect, test } from 'vitest';
import { formatPropertyPath, lookupProperty, parsePropertyPath } from '../../engine/definition/property-path.js';
import { err, ok } from '../../kernel/result.js';

describe('parsePropertyPath', () => {
  test.each([
    ["ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri", [
      { kind: 'key', name: 'ProcessingOutputConfig' }, { kind: 'key', name: 'Outputs' }, { kind: 'select', value: 'train' },
      { kind: 'key', name: 'S3Output' }, { kind: 'key', name: 'S3Uri' },
    ]],
    ["FinalMetricDataList['val:acc'].Value", [
      { kind: 'key', name: 'FinalMetricDataList' }, { kind: 'select', value: 'val:acc' }, { kind: 'key', name: 'Value' },
    ]],
    ["OutputParameters['x']", [{ kind: 'key', name: 'OutputParameters' }, { kind: 'select', value: 'x' }]],
    ['Outcome', [{ kind: 'key', name: 'Outcome' }]],
    ['PropertyFiles.P', [{ kind: 'key', name: 'PropertyFiles' }, { kind: 'key', name: 'P' }]],
    ['Properties.X[0]', [{ kind: 'key', name: 'Properties' }, { kind: 'key', name: 'X' }, { kind: 'index', index: 0 }]],
    ['A["it\'s"]', [{ kind: 'key', name: 'A' }, { kind: 'select', value: "it's" }]],
  ])('%s', (text, segments) => {
    expect(parsePropertyPath(text)).toEqual(ok(segments));
  });

  test('round trip through formatPropertyPath', () => {
    const text = "ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri";
    const r = parsePropertyPath(text);
    expect(r.ok && formatPropertyPath(r.value)).toBe(text);
  });

  test.each([
    ['', 'empty property path'],
    ['A.', 'expected a property name at character 3'],
    ["A['x", 'unterminated string at character 3'],
    ['A[x]', 'expected a number or a quoted name in [] at character 2'],
    ["['x']", 'a property path must start with a name'],
    ['A..B', 'expected a property name at character 3'],
  ])('error: %s', (text, message) => {
    expect(parsePropertyPath(text)).toEqual(err(message));
  });
});

describe('lookupProperty', () => {
  const props = {
    ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', S3Output: { S3Uri: 's3://t' } }] },
    InputDataConfig: [{ ChannelName: 'train', DataSource: 'd' }],
    FinalMetricDataList: [{ MetricName: 'val:acc', Value: 0.9 }],
    Containers: [{ Name: 'c1' }],
    OutputParameters: { x: 'y' },
  };
  const at = (text: string) => {
    const p = parsePropertyPath(text);
    if (!p.ok) throw new Error(p.error);
    return lookupProperty(props, p.value);
  };
  test('string index on an array selects by OutputName, ChannelName, MetricName or Name', () => {
    expect(at("ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri")).toBe('s3://t');
    expect(at("InputDataConfig['train'].DataSource")).toBe('d');
    expect(at("FinalMetricDataList['val:acc'].Value")).toBe(0.9);
    expect(at("Containers['c1']")).toEqual({ Name: 'c1' });
  });
  test('string index on an object is a key; numbers index arrays', () => {
    expect(at("OutputParameters['x']")).toBe('y');
    expect(at('ProcessingOutputConfig.Outputs[0].OutputName')).toBe('train');
  });
  test('absent things are undefined, prototype keys included', () => {
    expect(at("ProcessingOutputConfig.Outputs['test']")).toBeUndefined();
    expect(at('ProcessingOutputConfig.Outputs[3]')).toBeUndefined();
    expect(at('OutputParameters.constructor')).toBeUndefined();
    expect(at('OutputParameters.x.y')).toBeUndefined();
  });
});
