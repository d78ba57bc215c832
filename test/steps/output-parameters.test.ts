import { describe, expect, it } from 'vitest';
import type { DeclaredOutput } from '../../contracts/definition.js';
import { checkOutputValues, outputProperties, readDeclaredOutputs } from '../../steps/output-parameters.js';
import { lookupProperty, parsePropertyPath } from '../../engine/definition/property-path.js';

const declared: DeclaredOutput[] = [
  { name: 's', type: 'String' }, { name: 'i', type: 'Integer' }, { name: 'f', type: 'Float' }, { name: 'b', type: 'Boolean' },
];

describe('OutputParameters', () => {
  it('reads the declared outputs; OutputType defaults to String', () => {
    const r = readDeclaredOutputs({ OutputParameters: [{ OutputName: 'a' }, { OutputName: 'n', OutputType: 'Integer' }] }, 'step');
    expect(r).toEqual({ ok: true, value: [{ name: 'a', type: 'String' }, { name: 'n', type: 'Integer' }] });
    expect(readDeclaredOutputs({}, 'step')).toEqual({ ok: true, value: [] });
    const bad = readDeclaredOutputs({ OutputParameters: [{ OutputName: 'a', OutputType: 'Number' }] }, 'Lambda step "L"');
    expect(!bad.ok && bad.error).toBe('Lambda step "L": OutputParameters[0] ("a") has OutputType "Number"; use one of String, Integer, Boolean, Float.');
    const twice = readDeclaredOutputs({ OutputParameters: [{ OutputName: 'a' }, { OutputName: 'a' }] }, 's');
    expect(!twice.ok && twice.error).toContain('declares "a" twice');
  });

  it('accepts typed values and their text (as SendPipelineExecutionStepSuccess sends them), ignoring undeclared names', () => {
    const typed = checkOutputValues(declared, { s: 'x', i: 3, f: 0.5, b: false, extra: 1 }, 'the handler');
    expect(typed).toEqual({ ok: true, value: { values: { s: 'x', i: 3, f: 0.5, b: false }, ignored: ['extra'] } });
    const text = checkOutputValues(declared, { s: '', i: '-12', f: '1e3', b: 'TRUE' }, 'the handler');
    expect(text).toEqual({ ok: true, value: { values: { s: '', i: -12, f: 1000, b: true }, ignored: [] } });
    expect(checkOutputValues([], undefined, 'h')).toEqual({ ok: true, value: { values: {}, ignored: [] } });
  });

  it('names every mismatch in one sentence', () => {
    const r = checkOutputValues(declared, { s: 1, i: 2.5, f: 'abc', extra: null }, 'the handler');
    expect(!r.ok && r.error).toBe(
      'the handler does not match the declared OutputParameters: output "s" must be a String, not the number 1; ' +
      'output "i" must be an Integer, not the number 2.5; output "f" must be a Float, not the string "abc"; ' +
      'output "b" (Boolean) is missing (it gave "s", "i", "f", "extra").',
    );
    const none = checkOutputValues(declared, null, 'the handler');
    expect(!none.ok && none.error).toContain('returned nothing, but the step declares OutputParameters "s", "i", "f", "b"');
    const list = checkOutputValues(declared, [1], 'the handler');
    expect(!list.ok && list.error).toBe('the handler must give an object of output values ({"name": value, …}), not a list.');
    const bool = checkOutputValues([{ name: 'b', type: 'Boolean' }], { b: 'yes' }, 'h');
    expect(!bool.ok && bool.error).toContain('output "b" must be a Boolean, not the string "yes"');
  });

  it("makes Steps.S.OutputParameters['x'] resolve to the value", () => {
    const props = outputProperties({ modelName: 'churn', version: 7 });
    const path = parsePropertyPath("OutputParameters['version']");
    expect(path.ok && lookupProperty(props, path.value)).toBe(7);
  });
});
