import { describe, expect, it } from 'vitest';
import { formatJsonGetPath, lookupJsonGetPath, parseJsonGetPath } from '../../engine/definition/json-get-path.js';
import { err, ok } from '../../kernel/result.js';

// The corners of Std:JsonGet paths that test/engine/json-get-path.test.ts leaves open (issue 16: mutants Stryker left
// alive in engine/definition/json-get-path.ts): each parse error's character, escapes, and the words for each kind.

const invalid = (path: string, why: string) => err(`"${path}" is not a valid JsonPath: ${why}`);

describe('parseJsonGetPath', () => {
  it('accepts "$", "$." and "$[" at the start, and nothing else after "$"', () => {
    expect(parseJsonGetPath('$.a')).toEqual(ok([{ kind: 'key', name: 'a' }]));
    expect(parseJsonGetPath('$[0]')).toEqual(ok([{ kind: 'index', index: 0 }]));
    expect(parseJsonGetPath('$x')).toEqual(err('expected "." or "[" after "$" at character 2'));
    expect(parseJsonGetPath('$')).toEqual(err('the path is empty'));
    expect(parseJsonGetPath('$.')).toEqual(err('the path is empty'));
    expect(parseJsonGetPath('a$b')).toEqual(ok([{ kind: 'key', name: 'a$b' }]));
    expect(parseJsonGetPath('a.b')).toEqual(ok([{ kind: 'key', name: 'a' }, { kind: 'key', name: 'b' }]));
  });

  it('says which character is unexpected after a key or a bracket', () => {
    expect(parseJsonGetPath('a]b')).toEqual(err('unexpected "]" at character 2'));
    expect(parseJsonGetPath("a'b")).toEqual(err('unexpected "\'" at character 2'));
    expect(parseJsonGetPath('a"b')).toEqual(err('unexpected """ at character 2'));
    expect(parseJsonGetPath('[0]a')).toEqual(err('unexpected "a" at character 4'));
    expect(parseJsonGetPath('[0].a[10]')).toEqual(ok([{ kind: 'index', index: 0 }, { kind: 'key', name: 'a' }, { kind: 'index', index: 10 }]));
  });

  it('reads quoted keys with escapes, and says where a bracket goes wrong', () => {
    expect(parseJsonGetPath("a['it\\'s']")).toEqual(ok([{ kind: 'key', name: 'a' }, { kind: 'key', name: "it's" }]));
    expect(parseJsonGetPath('a["x\\\\y"]')).toEqual(ok([{ kind: 'key', name: 'a' }, { kind: 'key', name: 'x\\y' }]));
    expect(parseJsonGetPath("a['b'x]")).toEqual(err('expected "]" at character 6'));
    expect(parseJsonGetPath("a['b\\")).toEqual(err('unterminated quoted key at character 3'));
    expect(parseJsonGetPath('a[1')).toEqual(err('expected an index or a quoted key in [] at character 2'));
    expect(parseJsonGetPath('a[]')).toEqual(err('expected an index or a quoted key in [] at character 2'));
    expect(parseJsonGetPath('a[1x]')).toEqual(err('expected an index or a quoted key in [] at character 2'));
    expect(parseJsonGetPath('a[x1]')).toEqual(err('expected an index or a quoted key in [] at character 2'));
    expect(parseJsonGetPath('a[12')).toEqual(err('expected an index or a quoted key in [] at character 2'));
  });
});

describe('formatJsonGetPath', () => {
  it('writes plain names dotted and others quoted, escaping quotes and backslashes', () => {
    expect(formatJsonGetPath([{ kind: 'index', index: 2 }, { kind: 'key', name: '_a$-1' }, { kind: 'key', name: "it's \\" }, { kind: 'key', name: 'b' }]))
      .toBe("[2]._a$-1['it\\'s \\\\'].b");
    expect(formatJsonGetPath([{ kind: 'key', name: '1a' }, { kind: 'key', name: 'x' }])).toBe("['1a'].x");
  });
});

describe('lookupJsonGetPath', () => {
  const doc = { flag: true, none: null, list: [1, 2], text: 's', obj: {} };
  it('names the kind of value the walk cannot go into', () => {
    expect(lookupJsonGetPath(doc, 'flag.x')).toEqual(err('"flag" is a boolean, not an object'));
    expect(lookupJsonGetPath(doc, 'none.x')).toEqual(err('"none" is null, not an object'));
    expect(lookupJsonGetPath(doc, 'list.x')).toEqual(err('"list" is an array, not an object'));
    expect(lookupJsonGetPath(doc, 'text[0]')).toEqual(err('"text" is a string, not an array'));
    expect(lookupJsonGetPath(doc, 'obj[0]')).toEqual(err('"obj" is an object, not an array'));
    expect(lookupJsonGetPath(doc, '[0]')).toEqual(err('the document is an object, not an array'));
    expect(lookupJsonGetPath([5], 'a')).toEqual(err('the document is an array, not an object'));
  });

  it('says where an index is out of range, and finds no inherited keys', () => {
    expect(lookupJsonGetPath([5, 6], '[2]')).toEqual(err('index 2 is out of range at the top level (it has 2 element(s))'));
    expect(lookupJsonGetPath([[5]], '[0][0]')).toEqual(ok(5));
    expect(lookupJsonGetPath(doc, 'obj.toString')).toEqual(err('there is no key "toString" under "obj"'));
    expect(lookupJsonGetPath(doc, 'none')).toEqual(ok(null));
    expect(lookupJsonGetPath(doc, 'a..b')).toEqual(invalid('a..b', 'expected a key at character 3'));
  });
});
