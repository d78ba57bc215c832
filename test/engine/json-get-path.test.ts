import { describe, expect, it } from 'vitest';
import { lookupJsonGetPath, parseJsonGetPath } from '../../engine/definition/json-get-path.js';

const doc = {
  metrics: { accuracy: { value: 0.91 }, 'f1-score': 0.5, 'my key': 'x' },
  items: [{ c: 1 }, { c: 2 }],
  Result: { some_key: [7, 8] },
  flag: false,
};
const get = (p: string): unknown => {
  const r = lookupJsonGetPath(doc, p);
  return r.ok ? r.value : `error: ${r.error}`;
};

describe('Std:JsonGet paths (SageMaker JsonPath subset)', () => {
  it('follows dotted keys, indexes and quoted keys', () => {
    expect(get('metrics.accuracy.value')).toBe(0.91);
    expect(get('items[1].c')).toBe(2);
    expect(get("metrics['my key']")).toBe('x');
    expect(get('metrics["f1-score"]')).toBe(0.5);
    expect(get('metrics.f1-score')).toBe(0.5);
    expect(get("Result['some_key'][0]")).toBe(7);
    expect(get('$.metrics.accuracy.value')).toBe(0.91);
    expect(get("$['flag']")).toBe(false);
    expect(get('metrics.accuracy')).toEqual({ value: 0.91 });
  });

  it('says where a missing path stops', () => {
    expect(get('metrics.recall.value')).toBe('error: there is no key "recall" under "metrics"');
    expect(get('accuracy')).toBe('error: there is no key "accuracy" at the top level');
    expect(get('items[2].c')).toBe('error: index 2 is out of range under "items" (it has 2 element(s))');
    expect(get('metrics.accuracy.value.x')).toBe('error: "metrics.accuracy.value" is a number, not an object');
    expect(get('metrics[0]')).toBe('error: "metrics" is an object, not an array');
    expect(get("metrics['my key'].z")).toBe(`error: "metrics['my key']" is a string, not an object`);
  });

  it('rejects what is outside the subset', () => {
    expect(get('items[*].c')).toBe('error: "items[*].c" is not a valid JsonPath: expected an index or a quoted key in [] at character 6');
    expect(get('')).toBe('error: "" is not a valid JsonPath: the path is empty');
    expect(get('a..b')).toBe('error: "a..b" is not a valid JsonPath: expected a key at character 3');
    expect(get("a['b")).toBe(`error: "a['b" is not a valid JsonPath: unterminated quoted key at character 3`);
    expect(parseJsonGetPath('$x').ok).toBe(false);
  });
});
