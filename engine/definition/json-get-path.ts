import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import { err, ok, type Result } from '../../kernel/result.js';

/**
 * The JsonPath subset `Std:JsonGet` uses (SageMaker's `Path`): dotted keys and bracketed indexes or quoted keys,
 * e.g. `metrics.accuracy.value`, `a.b[0].c`, `a['my key']`, `Result['some_key'][0]` (what the SDK's @step functions
 * write). An optional leading `$` / `$.` is accepted. No wildcards, slices, filters or recursive descent.
 */
export type JsonGetSegment = { kind: 'key'; name: string } | { kind: 'index'; index: number };

export function parseJsonGetPath(text: string): Result<JsonGetSegment[], string> {
  const segments: JsonGetSegment[] = [];
  let i = text.startsWith('$') ? 1 : 0;
  if (i === 1 && text[1] === '.') i = 2;
  else if (i === 1 && text.length > 1 && text[1] !== '[') return err(`expected "." or "[" after "$" at character 2`);
  let first = true;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '[') {
      const bracket = readBracket(text, i);
      if (!bracket.ok) return bracket;
      segments.push(bracket.value.segment);
      i = bracket.value.end;
    } else {
      if (!first) {
        if (ch !== '.') return err(`unexpected "${ch ?? ''}" at character ${i + 1}`);
        i++;
      }
      let j = i;
      while (j < text.length && !'.[]\'"'.includes(text[j] ?? '')) j++;
      if (j === i) return err(`expected a key at character ${i + 1}`);
      segments.push({ kind: 'key', name: text.slice(i, j) });
      i = j;
    }
    first = false;
  }
  if (segments.length === 0) return err('the path is empty');
  return ok(segments);
}

function readBracket(text: string, start: number): Result<{ segment: JsonGetSegment; end: number }, string> {
  const quote = text[start + 1];
  if (quote === "'" || quote === '"') {
    let j = start + 2;
    let name = '';
    while (j < text.length && text[j] !== quote) {
      if (text[j] === '\\' && j + 1 < text.length) j++;
      name += text[j] ?? '';
      j++;
    }
    if (j >= text.length) return err(`unterminated quoted key at character ${start + 2}`);
    if (text[j + 1] !== ']') return err(`expected "]" at character ${j + 2}`);
    return ok({ segment: { kind: 'key', name }, end: j + 2 });
  }
  const close = text.indexOf(']', start);
  const digits = close < 0 ? '' : text.slice(start + 1, close);
  if (!/^\d+$/.test(digits)) return err(`expected an index or a quoted key in [] at character ${start + 1}`);
  return ok({ segment: { kind: 'index', index: Number(digits) }, end: close + 1 });
}

export function formatJsonGetPath(segments: readonly JsonGetSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (s.kind === 'index') out += `[${s.index}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s.name)) out += out === '' ? s.name : `.${s.name}`;
    else out += `['${s.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

/**
 * Follows `path` into `doc`. The error says where the walk stopped: `no key "accuracy" under "metrics"`,
 * `index 3 is out of range under "items" (it has 2 elements)`, `"metrics.f1" is a number, not an object`.
 */
export function lookupJsonGetPath(doc: JsonValue, path: string): Result<JsonValue, string> {
  const parsed = parseJsonGetPath(path);
  if (!parsed.ok) return err(`"${path}" is not a valid JsonPath: ${parsed.error}`);
  let current: JsonValue = doc;
  const walked: JsonGetSegment[] = [];
  for (const s of parsed.value) {
    const where = walked.length === 0 ? 'at the top level' : `under "${formatJsonGetPath(walked)}"`;
    if (s.kind === 'index') {
      if (!Array.isArray(current)) return err(`${describeAt(walked)} is ${kindOf(current)}, not an array`);
      const next: JsonValue | undefined = current[s.index];
      if (next === undefined) return err(`index ${s.index} is out of range ${where} (it has ${current.length} element(s))`);
      current = next;
    } else {
      if (!isJsonObject(current)) return err(`${describeAt(walked)} is ${kindOf(current)}, not an object`);
      if (!Object.hasOwn(current, s.name)) return err(`there is no key "${s.name}" ${where}`);
      current = current[s.name] as JsonValue;
    }
    walked.push(s);
  }
  return ok(current);
}

function describeAt(walked: readonly JsonGetSegment[]): string {
  return walked.length === 0 ? 'the document' : `"${formatJsonGetPath(walked)}"`;
}

function kindOf(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}
