/**
 * Python's view of JSON, for reproducing the sagemaker-training toolkit byte for byte: `json.loads` (ints stay ints of
 * any size, floats stay floats, objects keep key order, NaN/Infinity accepted), `json.dumps` (float repr, ensure_ascii,
 * separators, sort_keys) and `str()` / `repr()` of the decoded values (how the toolkit turns them into CLI arguments).
 */
import { findTooDeep } from './json-depth.js';

export type PyValue =
  | { t: 'str'; v: string }
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'list'; v: PyValue[] }
  | { t: 'dict'; v: Map<string, PyValue> };

export const pyStr = (v: string): PyValue => ({ t: 'str', v });
export const pyInt = (v: number | bigint): PyValue => ({ t: 'int', v: BigInt(v) });
export const pyBool = (v: boolean): PyValue => ({ t: 'bool', v });
export const PY_NONE: PyValue = { t: 'none' };
export const pyList = (v: PyValue[]): PyValue => ({ t: 'list', v });
export function pyDict(entries: Iterable<[string, PyValue]> = []): PyValue & { t: 'dict' } {
  return { t: 'dict', v: new Map(entries) };
}

/** A plain JSON value (e.g. a config file cairn wrote) as Python sees it: integral numbers become ints. */
export function fromJson(v: unknown): PyValue {
  if (v === null || v === undefined) return PY_NONE;
  if (typeof v === 'string') return pyStr(v);
  if (typeof v === 'boolean') return pyBool(v);
  if (typeof v === 'number') return Number.isInteger(v) ? pyInt(v) : { t: 'float', v };
  if (Array.isArray(v)) return pyList(v.map(fromJson));
  return pyDict(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromJson(x)]));
}

const WS = /[ \t\n\r]*/y;
const NUMBER = /(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?/y;

/**
 * `json.loads(text)`, or undefined where Python raises ValueError; also for text nested deeper than MAX_JSON_DEPTH
 * (where Python's recursion limit, ~1,000 levels, raises RecursionError), which this parser would recurse through.
 */
export function pyJsonLoads(text: string): PyValue | undefined {
  if (findTooDeep(text) !== undefined) return undefined;
  let i = 0;
  const ws = (): void => {
    WS.lastIndex = i;
    WS.exec(text);
    i = WS.lastIndex;
  };
  const fail = (): never => {
    throw new SyntaxError(`at ${i}`);
  };
  const str = (): string => {
    i += 1; // opening quote
    let out = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) return fail();
      if (c === '"') {
        i += 1;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail();
      } else if ((c.codePointAt(0) ?? 0) < 0x20) fail(); // strict mode: no raw control characters
      else {
        out += c;
        i += 1;
      }
    }
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === '"') return pyStr(str());
    if (c === '{') {
      i += 1;
      const d = pyDict();
      ws();
      if (text[i] === '}') {
        i += 1;
        return d;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const k = str();
        ws();
        if (text[i] !== ':') fail();
        i += 1;
        d.v.set(k, value());
        ws();
        if (text[i] === ',') i += 1;
        else if (text[i] === '}') {
          i += 1;
          return d;
        } else fail();
      }
    }
    if (c === '[') {
      i += 1;
      const l: PyValue[] = [];
      ws();
      if (text[i] === ']') {
        i += 1;
        return pyList(l);
      }
      for (;;) {
        l.push(value());
        ws();
        if (text[i] === ',') i += 1;
        else if (text[i] === ']') {
          i += 1;
          return pyList(l);
        } else fail();
      }
    }
    for (const [word, v] of [
      ['null', PY_NONE],
      ['true', pyBool(true)],
      ['false', pyBool(false)],
      ['NaN', { t: 'float', v: NaN }],
      ['Infinity', { t: 'float', v: Infinity }],
      ['-Infinity', { t: 'float', v: -Infinity }],
    ] as [string, PyValue][]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail();
    i = NUMBER.lastIndex;
    if (m[2] === undefined && m[3] === undefined) return { t: 'int', v: BigInt(m[1] ?? '0') };
    return { t: 'float', v: Number(m[0]) };
  };
  try {
    const v = value();
    ws();
    return i === text.length ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The toolkit's `read_hyperparameters`: each value json-decoded, the raw string where that fails. */
export function decodeHyperparameter(raw: string): PyValue {
  return pyJsonLoads(raw) ?? pyStr(raw);
}

/** Python's `float.__repr__` (shortest round-trip digits; exponent form when the exponent is < -4 or >= 16). */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mant = '', exp = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mant.replace('.', '');
  const decpt = Number(exp) + 1;
  if (decpt <= -4 || decpt > 16) {
    const e = decpt - 1;
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

export interface DumpOptions {
  sortKeys?: boolean;
  /** `separators=(",", ":")` instead of Python's default `(", ", ": ")`. */
  compact?: boolean;
}

/** `json.dumps(v, ensure_ascii=True, …)`. */
export function pyJsonDumps(v: PyValue, opts: DumpOptions = {}): string {
  const [item, key] = opts.compact ? [',', ':'] : [', ', ': '];
  const enc = (x: PyValue): string => {
    switch (x.t) {
      case 'str':
        return jsonString(x.v);
      case 'int':
        return x.v.toString();
      case 'float':
        return Number.isNaN(x.v) ? 'NaN' : !Number.isFinite(x.v) ? (x.v > 0 ? 'Infinity' : '-Infinity') : floatRepr(x.v);
      case 'bool':
        return x.v ? 'true' : 'false';
      case 'none':
        return 'null';
      case 'list':
        return `[${x.v.map(enc).join(item)}]`;
      case 'dict': {
        const keys = [...x.v.keys()];
        if (opts.sortKeys) keys.sort(compareCodePoints);
        return `{${keys.map((k) => `${jsonString(k)}${key}${enc(x.v.get(k) ?? PY_NONE)}`).join(item)}}`;
      }
    }
  };
  return enc(v);
}

/** Python's `str(v)`. */
export function pyToStr(v: PyValue): string {
  return v.t === 'str' ? v.v : pyRepr(v);
}

/** Python's `repr(v)`. */
export function pyRepr(v: PyValue): string {
  switch (v.t) {
    case 'str':
      return strRepr(v.v);
    case 'int':
      return v.v.toString();
    case 'float':
      return floatRepr(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list':
      return `[${v.v.map(pyRepr).join(', ')}]`;
    case 'dict':
      return `{${[...v.v].map(([k, x]) => `${strRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
}

/** Python sorts strings by code point (JS compares UTF-16 code units). */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function jsonString(s: string): string {
  const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    const code = s.charCodeAt(i);
    if (named[c] !== undefined) out += named[c];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    if (c === quote || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c !== ' ' && (code < 0x20 || code === 0x7f || NON_PRINTABLE.test(c))) {
      if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    } else out += c;
  }
  return out + quote;
}
