import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { JsonValue } from '../../kernel/json.js';
import { findTooDeep, MAX_JSON_DEPTH } from '../../kernel/json-depth.js';
import { formatJsonPath, parseJsonPath, type JsonPathSegment } from '../../kernel/json-path.js';
import { err, ok, type Result } from '../../kernel/result.js';

/** 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** A parsed JSON file that remembers where every value was written. */
export interface SourceDocument {
  value: JsonValue;
  /** Position of the value at `path` (JSON path text), or of its nearest existing ancestor. */
  locate(path: string): Position;
}

export interface JsonSyntaxError extends Position {
  message: string;
  /** Set when the text is well-formed as far as it goes but nests deeper than MAX_JSON_DEPTH. */
  tooDeep?: { path: string; limit: number };
}

const MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ',' or a closing bracket",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'unexpected content after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'incomplete number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape sequence in string',
  InvalidCharacter: 'control character in string (escape it)',
};

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function positionAt(starts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
}

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/**
 * Parses strict JSON (no comments, no trailing commas). Only the first syntax error is reported: later ones are echoes
 * of it. Text that `JSON.parse` accepts takes the fast way: its value comes from `JSON.parse`, and the syntax tree
 * that positions are read from is built on the first `locate` (a definition that loads cleanly may never ask).
 * Text nested deeper than MAX_JSON_DEPTH is refused first, at the bracket that goes too deep: the parser that gives
 * positions (jsonc-parser) and every later walk recurse once or more per level.
 */
export function parseJsonDocument(text: string): Result<SourceDocument, JsonSyntaxError> {
  const deep = findTooDeep(text);
  if (deep !== undefined) {
    const message = `nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`;
    return err({ ...positionAt(lineStarts(text), deep.offset), message, tooDeep: { path: formatJsonPath(deep.path), limit: MAX_JSON_DEPTH } });
  }
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return parseWithTree(text);
  }
  let where: { root: Node; starts: number[] } | undefined;
  return ok({
    value,
    locate: (path) => {
      where ??= { root: parseTree(text, [], STRICT) ?? { type: 'null', offset: 0, length: text.length }, starts: lineStarts(text) };
      return positionAt(where.starts, locateNode(where.root, path).offset);
    },
  });
}

function parseWithTree(text: string): Result<SourceDocument, JsonSyntaxError> {
  const starts = lineStarts(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, STRICT);
  const first = errors[0];
  if (first !== undefined || root === undefined) {
    const offset = first?.offset ?? 0;
    const code = first === undefined ? 'ValueExpected' : printParseErrorCode(first.error);
    const comma = trailingCommaBefore(text, offset, code);
    if (comma !== undefined) return err({ ...positionAt(starts, comma), message: 'invalid JSON: trailing comma' });
    return err({ ...positionAt(starts, offset), message: `invalid JSON: ${MESSAGES[code] ?? code}` });
  }
  return ok({ value: toValue(root), locate: (path) => positionAt(starts, locateNode(root, path).offset) });
}

function trailingCommaBefore(text: string, offset: number, code: string): number | undefined {
  if (code !== 'PropertyNameExpected' && code !== 'ValueExpected') return undefined;
  const next = text.slice(offset).trimStart()[0];
  if (next !== '}' && next !== ']') return undefined;
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i] ?? '')) i--;
  return text[i] === ',' ? i : undefined;
}

function toValue(node: Node): JsonValue {
  switch (node.type) {
    case 'object': {
      const obj: Record<string, JsonValue> = {};
      for (const prop of node.children ?? []) {
        const [keyNode, valueNode] = prop.children ?? [];
        if (keyNode === undefined || valueNode === undefined) continue;
        // defineProperty: a key named "__proto__" must stay an ordinary key.
        Object.defineProperty(obj, String(keyNode.value), {
          value: toValue(valueNode),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return obj;
    }
    case 'array':
      return (node.children ?? []).map(toValue);
    case 'property':
      throw new Error('bug: property node outside an object');
    default:
      return node.value as JsonValue;
  }
}

function childAt(node: Node, segment: JsonPathSegment): Node | undefined {
  if (node.type === 'array' && typeof segment === 'number') return node.children?.[segment];
  if (node.type !== 'object' || typeof segment !== 'string') return undefined;
  let found: Node | undefined;
  for (const prop of node.children ?? []) {
    if (prop.children?.[0]?.value === segment) found = prop.children[1]; // last one wins, as in JSON.parse
  }
  return found;
}

function locateNode(root: Node, path: string): Node {
  const segments = parseJsonPath(path) ?? [];
  let node = root;
  for (const segment of segments) {
    const child = childAt(node, segment);
    if (child === undefined) break;
    node = child;
  }
  return node;
}
