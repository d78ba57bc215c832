/**
 * JSON path text used in diagnostics and references: `Steps[2].Arguments.ProcessingInputs[0].S3Input.S3Uri`.
 * Keys that are not identifiers are written `['my-key']`. The root is the empty path `''`.
 */
export type JsonPathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function appendKey(base: string, key: string): string {
  if (IDENTIFIER.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

export function appendIndex(base: string, index: number): string {
  return `${base}[${index}]`;
}

export function formatJsonPath(segments: readonly JsonPathSegment[]): string {
  let out = '';
  for (const s of segments) out = typeof s === 'number' ? appendIndex(out, s) : appendKey(out, s);
  return out;
}

/** Parses the text produced by `formatJsonPath`; undefined when it is not in that format. */
export function parseJsonPath(text: string): JsonPathSegment[] | undefined {
  const segments: JsonPathSegment[] = [];
  let i = 0;
  const ident = /[A-Za-z_$][A-Za-z0-9_$]*/y;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '[') {
      if (text[i + 1] === "'") {
        let j = i + 2;
        let key = '';
        while (j < text.length && text[j] !== "'") {
          if (text[j] === '\\') j++;
          key += text[j] ?? '';
          j++;
        }
        if (text[j] !== "'" || text[j + 1] !== ']') return undefined;
        segments.push(key);
        i = j + 2;
      } else {
        const close = text.indexOf(']', i);
        const digits = text.slice(i + 1, close);
        if (close < 0 || !/^\d+$/.test(digits)) return undefined;
        segments.push(Number(digits));
        i = close + 1;
      }
      continue;
    }
    if (ch === '.') {
      if (segments.length === 0) return undefined;
      i++;
    } else if (segments.length > 0) {
      return undefined;
    }
    ident.lastIndex = i;
    const m = ident.exec(text);
    if (!m) return undefined;
    segments.push(m[0]);
    i += m[0].length;
  }
  return segments;
}
