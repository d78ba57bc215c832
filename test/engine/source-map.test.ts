import { describe, expect, test } from 'vitest';
import { appendKey, formatJsonPath, parseJsonPath } from '../../kernel/json-path.js';
import { parseJsonDocument } from '../../engine/definition/source-map.js';
import { parseDuration } from '../../kernel/duration.js';

describe('JSON paths', () => {
  test('format and parse', () => {
    const segments = ['Steps', 2, 'Arguments', 'ProcessingInputs', 0, 'my-key', "it's", 'S3Uri'];
    const text = "Steps[2].Arguments.ProcessingInputs[0]['my-key']['it\\'s'].S3Uri";
    expect(formatJsonPath(segments)).toBe(text);
    expect(parseJsonPath(text)).toEqual(segments);
    expect(appendKey('', 'Std:Join')).toBe("['Std:Join']");
    expect(parseJsonPath('')).toEqual([]);
    expect(parseJsonPath('a..b')).toBeUndefined();
  });
});

describe('parseJsonDocument', () => {
  const text = '{\n  "Steps": [\n    {"Name": "A", "my-key": [1, 2]}\n  ]\n}';
  test('locates values by JSON path, falling back to the nearest ancestor', () => {
    const doc = parseJsonDocument(text);
    if (!doc.ok) throw new Error(doc.error.message);
    expect(doc.value.locate('')).toEqual({ line: 1, column: 1 });
    expect(doc.value.locate('Steps')).toEqual({ line: 2, column: 12 });
    expect(doc.value.locate('Steps[0].Name')).toEqual({ line: 3, column: 14 });
    expect(doc.value.locate("Steps[0]['my-key'][1]")).toEqual({ line: 3, column: 33 });
    expect(doc.value.locate('Steps[0].Missing.Deeper')).toEqual({ line: 3, column: 5 });
    expect(doc.value.locate('Steps[7]')).toEqual({ line: 2, column: 12 });
  });
  test('keeps "__proto__" as an ordinary key; last duplicate wins', () => {
    const doc = parseJsonDocument('{"__proto__": {"x": 1}, "a": 1, "a": 2}');
    expect(doc.ok && Object.keys(doc.value.value as object)).toEqual(['__proto__', 'a']);
    expect(doc.ok && (doc.value.value as Record<string, unknown>).a).toBe(2);
  });
  test('syntax errors', () => {
    expect(parseJsonDocument('{"a": 1,\n}')).toEqual({ ok: false, error: { line: 1, column: 8, message: 'invalid JSON: trailing comma' } });
    expect(parseJsonDocument('{"a": \'x\'}')).toEqual({ ok: false, error: { line: 1, column: 7, message: 'invalid JSON: unexpected character' } });
  });
});

describe('parseDuration', () => {
  test.each([
    ['P30D', 30 * 86_400_000],
    ['PT1H', 3_600_000],
    ['P1W', 7 * 86_400_000],
    ['P1DT2H', 26 * 3_600_000],
    ['PT1.5H', 5_400_000],
    ['PT30M', 1_800_000],
    ['30d', 30 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['2w', 14 * 86_400_000],
    ['90m', 90 * 60_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  test.each(['', 'P', 'PT', 'P1DT', '30', '30 days', 'p30d', '1.5d', 'P-1D', 'T1H'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
