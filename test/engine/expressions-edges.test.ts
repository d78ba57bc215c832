import { describe, expect, test } from 'vitest';
import { resolveValue, type ExpressionContext } from '../../engine/definition/expressions.js';
import { err, ok } from '../../kernel/result.js';

// The corners of expression evaluation that test/engine/expressions.test.ts leaves open (issue 16: mutants Stryker left
// alive in engine/definition/expressions.ts): what each kind of unjoinable value is called, where a failing S3Uri is,
// and that resolved objects are plain, writable data.

const ctx: ExpressionContext = {
  parameters: { Bucket: 'bucket', Nothing: 'x' },
  execution: {},
  stepProperties: (step) => (step === 'Prep' ? { List: [1, 2], Nil: null, Obj: { a: 1 } } : undefined),
  jsonGet: (args) => ok(`read ${args.s3Uri ?? `${args.stepName}/${args.propertyFile}`} at ${args.path}`),
};

describe('Std:Join', () => {
  test('names null, arrays and objects it cannot join, at the value\'s path', () => {
    const join = (get: string) => resolveValue({ 'Std:Join': { On: '-', Values: ['a', 1, true, { Get: get }] } }, ctx, 'P');
    const at = "P['Std:Join'].Values[3]";
    expect(join('Steps.Prep.Nil')).toEqual(err({ message: 'Std:Join value 3 is null; only strings, numbers and booleans can be joined', path: at }));
    expect(join('Steps.Prep.List')).toEqual(err({ message: 'Std:Join value 3 is an array; only strings, numbers and booleans can be joined', path: at }));
    expect(join('Steps.Prep.Obj')).toEqual(err({ message: 'Std:Join value 3 is an object; only strings, numbers and booleans can be joined', path: at }));
    expect(join('Parameters.Bucket')).toEqual(ok('a-1-true-bucket'));
  });

  test('an error inside a value keeps its own path', () => {
    const r = resolveValue({ 'Std:Join': { On: '', Values: ['a', { 'Std:Join': { On: '', Values: [{ Get: 'Parameters.None' }] } }] } }, ctx, 'P');
    expect(r).toEqual(err({ message: 'parameter "None" has no value', path: "P['Std:Join'].Values[1]['Std:Join'].Values[0]" }));
    expect(resolveValue({ 'Std:Join': { On: '/', Values: [] } }, ctx)).toEqual(ok(''));
  });
});

describe('Std:JsonGet', () => {
  test('resolves its S3Uri first, which must be a string; errors name the S3Uri\'s path', () => {
    const get = (S3Uri: unknown) => resolveValue({ X: { 'Std:JsonGet': { S3Uri, Path: 'a.b' } } } as never, ctx, 'Args');
    expect(get({ 'Std:Join': { On: '/', Values: ['s3:/', { Get: 'Parameters.Bucket' }, 'm.json'] } })).toEqual(ok({ X: 'read s3://bucket/m.json at a.b' }));
    expect(get({ Get: 'Steps.Prep.List' })).toEqual(err({ message: 'Std:JsonGet S3Uri must be a string', path: "Args.X['Std:JsonGet'].S3Uri" }));
    expect(get({ Get: 'Parameters.None' })).toEqual(err({ message: 'parameter "None" has no value', path: "Args.X['Std:JsonGet'].S3Uri" }));
  });

  test('a malformed body is refused at its own path before any file is read', () => {
    let reads = 0;
    const counting: ExpressionContext = { ...ctx, jsonGet: () => (reads++, ok(1)) };
    const r = resolveValue([0, { 'Std:JsonGet': { Path: 'a' } }], counting, 'V');
    expect(r.ok === false && r.error.path).toBe('V[1]');
    expect(reads).toBe(0);
    expect(resolveValue({ 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Eval.PropertyFiles.M' }, Path: 'k' } }, counting)).toEqual(ok(1));
    expect(reads).toBe(1);
  });
});

describe('resolved objects', () => {
  test('are own, enumerable, writable properties, a "__proto__" key included', () => {
    const value = JSON.parse('{"__proto__": {"Get": "Parameters.Bucket"}, "b": [1, {"Get": "Parameters.Nothing"}]}');
    const r = resolveValue(value, ctx);
    if (!r.ok) throw new Error(r.error.message);
    const out = r.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')).toEqual({ value: 'bucket', enumerable: true, writable: true, configurable: true });
    expect(Object.getOwnPropertyDescriptor(out, 'b')).toEqual({ value: [1, 'x'], enumerable: true, writable: true, configurable: true });
    expect(JSON.stringify(out)).toBe('{"__proto__":"bucket","b":[1,"x"]}');
  });
});
