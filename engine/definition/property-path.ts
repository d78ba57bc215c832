import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import { err, ok, type Result } from '../../kernel/result.js';

/**
 * One step of a property path such as `ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri`:
 * `key` (a `.Name`), `index` (`[0]`) or `select` (`['train']`).
 */
export type PropertySegment =
  | { kind: 'key'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'select'; value: string };

/** Fields that name an element of a list, so `Outputs['train']` finds the output whose OutputName is "train". */
const NAME_FIELDS = ['OutputName', 'ChannelName', 'MetricName', 'Name'] as const;

export function parsePropertyPath(text: string): Result<PropertySegment[], string> {
  const segments: PropertySegment[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '[') {
      const parsed = parseBracket(text, i);
      if (!parsed.ok) return parsed;
      segments.push(parsed.value.segment);
      i = parsed.value.end;
      continue;
    }
    if (segments.length > 0) {
      if (ch !== '.') return err(`unexpected "${ch ?? ''}" at character ${i + 1}`);
      i++;
    }
    let j = i;
    while (j < text.length && !'.[]\'"'.includes(text[j] ?? '')) j++;
    if (j === i) return err(`expected a property name at character ${i + 1}`);
    segments.push({ kind: 'key', name: text.slice(i, j) });
    i = j;
  }
  if (segments.length === 0) return err('empty property path');
  return ok(segments);
}

function parseBracket(text: string, start: number): Result<{ segment: PropertySegment; end: number }, string> {
  if (start === 0) return err('a property path must start with a name');
  const quote = text[start + 1];
  if (quote === "'" || quote === '"') {
    let j = start + 2;
    let value = '';
    while (j < text.length && text[j] !== quote) {
      if (text[j] === '\\' && j + 1 < text.length) j++;
      value += text[j] ?? '';
      j++;
    }
    if (j >= text.length) return err(`unterminated string at character ${start + 2}`);
    if (text[j + 1] !== ']') return err(`expected "]" at character ${j + 2}`);
    return ok({ segment: { kind: 'select', value }, end: j + 2 });
  }
  const close = text.indexOf(']', start);
  const digits = close < 0 ? '' : text.slice(start + 1, close);
  if (!/^\d+$/.test(digits)) return err(`expected a number or a quoted name in [] at character ${start + 1}`);
  return ok({ segment: { kind: 'index', index: Number(digits) }, end: close + 1 });
}

export function formatPropertyPath(segments: readonly PropertySegment[]): string {
  let out = '';
  for (const s of segments) {
    if (s.kind === 'key') out += out === '' ? s.name : `.${s.name}`;
    else if (s.kind === 'index') out += `[${s.index}]`;
    else out += `['${s.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

/** Follows `segments` into a step's properties; undefined when something along the way is absent. */
export function lookupProperty(properties: JsonValue, segments: readonly PropertySegment[]): JsonValue | undefined {
  let current: JsonValue | undefined = properties;
  for (const s of segments) {
    if (current === undefined) return undefined;
    current = step(current, s);
  }
  return current;
}

function step(value: JsonValue, s: PropertySegment): JsonValue | undefined {
  if (s.kind === 'index') return Array.isArray(value) ? value[s.index] : undefined;
  const name = s.kind === 'key' ? s.name : s.value;
  if (isJsonObject(value)) return Object.hasOwn(value, name) ? value[name] : undefined;
  if (s.kind === 'select' && Array.isArray(value)) {
    return value.find((el) => isJsonObject(el) && NAME_FIELDS.some((f) => Object.hasOwn(el, f) && el[f] === name));
  }
  return undefined;
}
