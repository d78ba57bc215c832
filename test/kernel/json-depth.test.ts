import { describe, expect, it } from 'vitest';
import { findTooDeep, MAX_JSON_DEPTH, nestsDeeperThan } from '../../kernel/json-depth.js';
import { pyJsonLoads } from '../../kernel/python-json.js';

const nested = (n: number, inner = '1'): string => '['.repeat(n) + inner + ']'.repeat(n);

describe('findTooDeep', () => {
  it('accepts text nested exactly to the limit and finds the first bracket past it', () => {
    expect(findTooDeep(nested(3), 3)).toBeUndefined();
    expect(findTooDeep(nested(4), 3)).toEqual({ offset: 3, path: [0, 0, 0] });
    expect(findTooDeep(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(findTooDeep(nested(MAX_JSON_DEPTH + 1))?.offset).toBe(MAX_JSON_DEPTH);
  });

  it('names the path through object keys and array indexes', () => {
    const text = '{"a": 1, "b\\"c": [0, {"d": [[]]}]}';
    expect(findTooDeep(text, 4)).toEqual({ offset: text.indexOf('[[') + 1, path: ['b"c', 1, 'd', 0] });
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(findTooDeep(`["${'['.repeat(50)}\\"${'{'.repeat(50)}"]`, 2)).toBeUndefined();
  });

  it('scans text that is not valid JSON, and millions of brackets, without recursion', () => {
    expect(findTooDeep(`{"x": ${'['.repeat(2_000_000)}`)?.path).toEqual(['x', ...Array<number>(MAX_JSON_DEPTH - 1).fill(0)]);
    expect(findTooDeep('}}]]{"a"')).toBeUndefined();
  });
});

describe('nestsDeeperThan', () => {
  it('measures objects and arrays without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = i % 2 === 0 ? [deep] : { k: deep };
    expect(nestsDeeperThan(deep)).toBe(true);
    expect(nestsDeeperThan({ a: [1, { b: [] }] }, 4)).toBe(false);
    expect(nestsDeeperThan({ a: [1, { b: [[]] }] }, 4)).toBe(true);
    expect(nestsDeeperThan('[[[[[[', 1)).toBe(false);
  });
});

describe('pyJsonLoads', () => {
  it('leaves text nested past the limit undecoded (a hyperparameter then stays a string)', () => {
    expect(pyJsonLoads(nested(MAX_JSON_DEPTH))).toBeDefined();
    expect(pyJsonLoads(nested(MAX_JSON_DEPTH + 1))).toBeUndefined();
    expect(pyJsonLoads(nested(1_000_000))).toBeUndefined();
  });
});
