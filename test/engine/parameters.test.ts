import { describe, expect, test } from 'vitest';
import { parseParamArgs, resolveParameters } from '../../engine/definition/parameters.js';
import { load, training } from './definition-helpers.js';

const def = load({
  Parameters: [
    { Name: 'Epochs', Type: 'Integer', DefaultValue: 3 },
    { Name: 'InputData', Type: 'String', DefaultValue: 's3://b/in' },
    { Name: 'Rate', Type: 'Float', DefaultValue: 0.1 },
    { Name: 'Shuffle', Type: 'Boolean', DefaultValue: true },
    { Name: 'Mode', Type: 'String', DefaultValue: 'fast', EnumValues: ['fast', 'slow'] },
  ],
  Steps: [training('T')],
});

describe('parseParamArgs', () => {
  test('Name=Value pairs; the value may hold "="', () => {
    expect(parseParamArgs(['Epochs=5', 'InputData=s3://b/x?a=b', 'Empty='])).toEqual({
      ok: true,
      value: { Epochs: '5', InputData: 's3://b/x?a=b', Empty: '' },
    });
  });
  test('every malformed argument at once', () => {
    expect(parseParamArgs(['Epochs', '=5', 'A=1', 'A=2'])).toEqual({
      ok: false,
      error: ['expected Name=Value, got "Epochs"', 'expected Name=Value, got "=5"', 'parameter "A" is given more than once'],
    });
  });
});

describe('resolveParameters', () => {
  test('defaults', () => {
    expect(resolveParameters(def, {})).toEqual({
      ok: true,
      value: { Epochs: 3, InputData: 's3://b/in', Rate: 0.1, Shuffle: true, Mode: 'fast' },
    });
  });
  test('overrides are converted to their type', () => {
    const r = resolveParameters(def, { Epochs: '10', Rate: '2.5e-3', Shuffle: 'false', Mode: 'slow', InputData: '42' });
    expect(r).toEqual({ ok: true, value: { Epochs: 10, InputData: '42', Rate: 0.0025, Shuffle: false, Mode: 'slow' } });
  });
  test('type errors, enum, unknown: all at once', () => {
    const r = resolveParameters(def, { Epoch: '5', Epochs: '1.5', Rate: 'fast', Shuffle: 'yes', Mode: 'medium' });
    expect(r).toEqual({
      ok: false,
      error: [
        'unknown parameter "Epoch" (known: Epochs, InputData, Rate, Shuffle, Mode)',
        'parameter "Epochs" is Integer; "1.5" is not an integer',
        'parameter "Rate" is Float; "fast" is not a number',
        'parameter "Shuffle" is Boolean; "yes" is not true or false',
        'parameter "Mode" must be one of "fast", "slow"; got "medium"',
      ],
    });
  });
  test('a parameter with no default needs a value', () => {
    const d = load({ Parameters: [{ Name: 'InputData', Type: 'String' }], Steps: [training('T')] });
    expect(resolveParameters(d, {})).toEqual({
      ok: false,
      error: ['parameter "InputData" has no DefaultValue and no value was given'],
    });
    expect(resolveParameters(d, { InputData: 's3://x' })).toEqual({ ok: true, value: { InputData: 's3://x' } });
  });
  test('a pipeline without parameters', () => {
    const d = load({ Steps: [training('T')] });
    expect(resolveParameters(d, { X: '1' })).toEqual({ ok: false, error: ['unknown parameter "X" (the pipeline has no parameters)'] });
  });
});
