import type { JsonPathSegment } from './json-path.js';

/**
 * How deep cairn lets JSON nest: objects and arrays inside one another, the root counting as level 1. A pipeline
 * definition the SageMaker Python SDK writes nests about 10–20 levels (a ConditionStep's Or/Not conditions over
 * Std:Join values are the deepest); SageMaker documents no nesting limit of its own (only the definition's size,
 * 1 MB for PipelineDefinition). Every walk in cairn (jsonc-parser's positions, expression and condition walking,
 * canonical JSON for fingerprints, Python-compatible JSON) recurses once or twice per level, so a bound well below
 * the ~2,000 levels where Node's stack ends keeps them all safe.
 */
export const MAX_JSON_DEPTH = 256;

/** Where a JSON text first nests too deep: the offset of the opening bracket and the JSON path of its value. */
export interface TooDeep {
  offset: number;
  path: JsonPathSegment[];
}

type Frame = { kind: 'object'; key: string | undefined; expectKey: boolean } | { kind: 'array'; index: number };

/**
 * Scans JSON text (valid or not) without recursion and finds the first `{` or `[` that opens level `limit + 1`.
 * Strings are skipped with their escapes, so brackets inside them do not count.
 */
export function findTooDeep(text: string, limit = MAX_JSON_DEPTH): TooDeep | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.expectKey) {
        top.key = keyText(text.slice(i, end + 1));
        top.expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= limit) return { offset: i, path: stack.map(segmentOf) };
      stack.push(c === 0x7b ? { kind: 'object', key: undefined, expectKey: true } : { kind: 'array', index: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'array') top.index++;
      else if (top?.kind === 'object') top.expectKey = true;
    }
  }
  return undefined;
}

/** Whether a value nests objects and arrays more than `limit` levels deep (checked without recursion). */
export function nestsDeeperThan(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const pending: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { v, depth } = next;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) pending.push({ v: child, depth: depth + 1 });
  }
  return false;
}

/** Index of the closing quote of the string that opens at `start` (or the text's last index when unterminated). */
function stringEnd(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c /* \ */) j++;
    else if (c === 0x22) return j;
  }
  return text.length - 1;
}

function keyText(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

function segmentOf(f: Frame): JsonPathSegment {
  return f.kind === 'array' ? f.index : (f.key ?? '');
}
