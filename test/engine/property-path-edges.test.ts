import { describe, expect, test } from 'vitest';
import { formatPropertyPath, lookupProperty, parsePropertyPath } from '../../engine/definition/property-path.js';
import type { JsonValue } from '../../kernel/json.js';
import { err, ok } from '../../kernel/result.js';

// The corners of property paths that test/engine/property-path.test.ts leaves open (issue 16: mutants Stryker left
// alive in engine/definition/property-path.ts).

describe('parsePropertyPath', () => {
  test.each([
    ['A]b', 'unexpected "]" at character 2'],
    ["A'b", 'unexpected "\'" at character 2'],
    ['A"b', 'unexpected """ at character 2'],
    ['A[0]b', 'unexpected "b" at character 5'],
    ["A['x'y]", 'expected "]" at character 6'],
    ['A[1', 'expected a number or a quoted name in [] at character 2'],
    ['A[]', 'expected a number or a quoted name in [] at character 2'],
    ['A[12', 'expected a number or a quoted name in [] at character 2'],
    ['A[x1]', 'expected a number or a quoted name in [] at character 2'],
    ['A[1x]', 'expected a number or a quoted name in [] at character 2'],
    ["A['x\\", 'unterminated string at character 3'],
  ])('error: %s', (text, message) => {
    expect(parsePropertyPath(text)).toEqual(err(message));
  });

  test('escapes in quoted names, and indexes of several digits', () => {
    expect(parsePropertyPath("A['a\\\\b\\'c'][12].B")).toEqual(ok([
      { kind: 'key', name: 'A' }, { kind: 'select', value: "a\\b'c" }, { kind: 'index', index: 12 }, { kind: 'key', name: 'B' },
    ]));
  });
});

describe('formatPropertyPath', () => {
  test('quotes selections, escaping quotes and backslashes', () => {
    expect(formatPropertyPath([{ kind: 'key', name: 'A' }, { kind: 'select', value: "a\\b'c" }, { kind: 'index', index: 3 }, { kind: 'key', name: 'B' }]))
      .toBe("A['a\\\\b\\'c'][3].B");
  });
});

describe('lookupProperty', () => {
  test('a selection finds the first element naming it; numbers index only arrays; nothing under undefined', () => {
    const props: JsonValue = { L: [7, { Name: 'x', V: 1 }, { OutputName: 'x', V: 2 }], O: { '0': 'zero' }, S: 'text' };
    const at = (text: string) => {
      const p = parsePropertyPath(text);
      if (!p.ok) throw new Error(p.error);
      return lookupProperty(props, p.value);
    };
    expect(at("L['x'].V")).toBe(1);
    expect(at("L['y']")).toBeUndefined();
    expect(at('O[0]')).toBeUndefined();
    expect(at("O['0']")).toBe('zero');
    expect(at("S['length']")).toBeUndefined();
    expect(at('S.length')).toBeUndefined();
    expect(at('L[0].V')).toBeUndefined();
    expect(at('L.x')).toBeUndefined();
    expect(at('Nope.A.B')).toBeUndefined();
    expect(lookupProperty(props, [])).toEqual(props);
  });

  test('a selection on an array does not match inherited name fields', () => {
    const proto = { Name: 'inherited' };
    const el = Object.create(proto) as Record<string, unknown>;
    el.V = 1;
    expect(lookupProperty({ L: [el] } as never, [{ kind: 'key', name: 'L' }, { kind: 'select', value: 'inherited' }])).toBeUndefined();
  });
});
