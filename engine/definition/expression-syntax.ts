import { isJsonObject, type JsonObject, type JsonValue } from '../../kernel/json.js';
import { appendIndex, appendKey } from '../../kernel/json-path.js';
import { parseGetTarget, type GetTarget } from './get-target.js';
import type { PropertySegment } from './property-path.js';
import { err, ok, type Result } from '../../kernel/result.js';

/**
 * Which JSON objects are expressions: exactly `{"Get": "<string>"}`, `{"Std:Join": ...}` or `{"Std:JsonGet": ...}`
 * (one key). Any other object, even one holding a "Get" key among others, is plain data.
 */
export type ExpressionKind = 'Get' | 'Std:Join' | 'Std:JsonGet';

export function expressionKind(value: JsonValue): ExpressionKind | undefined {
  if (!isJsonObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0];
  if (key === 'Get') return typeof value.Get === 'string' ? 'Get' : undefined;
  if (key === 'Std:Join' || key === 'Std:JsonGet') return key;
  return undefined;
}

/** A reference found in a value: `path` is the JSON path of the `{"Get": ...}` object. */
export type Reference =
  | { kind: 'parameter'; name: string; expression: string; path: string }
  | { kind: 'execution'; name: string; expression: string; path: string }
  | { kind: 'step'; name: string; property: string; segments: PropertySegment[]; expression: string; path: string };

export interface ExpressionVisitor {
  get?(expression: string, target: Result<GetTarget, string>, path: string): void;
  join?(body: JsonValue, path: string): void;
  jsonGet?(body: JsonValue, path: string): void;
}

/** Visits every expression in `value`, depth first in document order. `skip` prunes paths (nested steps). */
export function walkExpressions(
  value: JsonValue,
  basePath: string,
  visitor: ExpressionVisitor,
  skip?: (path: string) => boolean,
): void {
  if (skip?.(basePath)) return;
  const kind = expressionKind(value);
  if (kind === 'Get' && isJsonObject(value)) {
    const text = value.Get as string;
    visitor.get?.(text, parseGetTarget(text), basePath);
    return;
  }
  if (kind === 'Std:Join' && isJsonObject(value)) visitor.join?.(value['Std:Join'] as JsonValue, basePath);
  if (kind === 'Std:JsonGet' && isJsonObject(value)) visitor.jsonGet?.(value['Std:JsonGet'] as JsonValue, basePath);
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkExpressions(v, appendIndex(basePath, i), visitor, skip));
  } else if (isJsonObject(value)) {
    for (const [k, v] of Object.entries(value)) walkExpressions(v, appendKey(basePath, k), visitor, skip);
  }
}

/** Every well-formed `Get` reference in `value`, in document order. */
export function collectReferences(value: JsonValue, basePath: string, skip?: (path: string) => boolean): Reference[] {
  const refs: Reference[] = [];
  walkExpressions(
    value,
    basePath,
    {
      get(expression, target, path) {
        if (!target.ok) return;
        const t = target.value;
        if (t.kind === 'step') refs.push({ ...t, expression, path });
        else refs.push({ kind: t.kind, name: t.name, expression, path });
      },
    },
    skip,
  );
  return refs;
}

export interface JoinShape {
  on: string;
  values: JsonValue[];
}

export const JOIN_SHAPE_MESSAGE = 'Std:Join needs "On" (a string) and "Values" (an array)';
export const JSON_GET_SHAPE_MESSAGE =
  'Std:JsonGet needs "Path" (a string) and either "PropertyFile" ({"Get": "Steps.<step>.PropertyFiles.<name>"}) or "S3Uri"';

export function joinShape(body: JsonValue): Result<JoinShape, string> {
  if (!isJsonObject(body) || typeof body.On !== 'string' || !Array.isArray(body.Values)) return err(JOIN_SHAPE_MESSAGE);
  return ok({ on: body.On, values: body.Values });
}

export type JsonGetShape =
  | { source: 'property-file'; stepName: string; propertyFile: string; path: string }
  | { source: 's3'; s3Uri: JsonValue; path: string };

export function jsonGetShape(body: JsonValue): Result<JsonGetShape, string> {
  if (!isJsonObject(body) || typeof body.Path !== 'string') return err(JSON_GET_SHAPE_MESSAGE);
  const hasFile = Object.hasOwn(body, 'PropertyFile');
  const hasUri = Object.hasOwn(body, 'S3Uri');
  if (hasFile === hasUri) return err(JSON_GET_SHAPE_MESSAGE);
  if (hasUri) return ok({ source: 's3', s3Uri: body.S3Uri as JsonValue, path: body.Path });
  const file = propertyFileOf(body);
  if (file === undefined) return err(JSON_GET_SHAPE_MESSAGE);
  return ok({ source: 'property-file', ...file, path: body.Path });
}

function propertyFileOf(body: JsonObject): { stepName: string; propertyFile: string } | undefined {
  const ref = body.PropertyFile as JsonValue;
  if (expressionKind(ref) !== 'Get' || !isJsonObject(ref)) return undefined;
  const target = parseGetTarget(ref.Get as string);
  if (!target.ok || target.value.kind !== 'step') return undefined;
  const [a, b, ...more] = target.value.segments;
  if (a?.kind !== 'key' || a.name !== 'PropertyFiles' || b?.kind !== 'key' || more.length > 0) return undefined;
  return { stepName: target.value.name, propertyFile: b.name };
}
