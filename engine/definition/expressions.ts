import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import { appendIndex, appendKey } from '../../kernel/json-path.js';
import type { ParameterValue } from '../../contracts/definition.js';
import { expressionKind, joinShape, jsonGetShape } from './expression-syntax.js';
import { parseGetTarget } from './get-target.js';
import { lookupProperty } from './property-path.js';
import { err, ok, type Result } from '../../kernel/result.js';

export { collectReferences, expressionKind, type Reference } from './expression-syntax.js';

/** What expressions are evaluated against: parameter values, execution variables and what has run so far. */
export interface ExpressionContext {
  parameters: Record<string, ParameterValue>;
  execution: Record<string, string>;
  /** Properties of a step that has run (DescribeXJob-shaped), or undefined when it has not. */
  stepProperties(step: string): JsonValue | undefined;
  /** Reads `path` from a JSON file: a step's property file, or an S3 object. */
  jsonGet?(args: { stepName?: string; propertyFile?: string; s3Uri?: string; path: string }): Result<JsonValue, string>;
}

export interface ExpressionError {
  message: string;
  /** JSON path of the failing expression, relative to the base path given to `resolveValue`. */
  path: string;
}

/** Replaces every Get / Std:Join / Std:JsonGet in `value` with its value. */
export function resolveValue(value: JsonValue, ctx: ExpressionContext, basePath = ''): Result<JsonValue, ExpressionError> {
  const kind = expressionKind(value);
  if (kind !== undefined && isJsonObject(value)) {
    const body = value[kind] as JsonValue;
    if (kind === 'Get') return resolveGet(body as string, ctx, basePath);
    if (kind === 'Std:Join') return resolveJoin(body, ctx, basePath);
    return resolveJsonGet(body, ctx, basePath);
  }
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const [i, v] of value.entries()) {
      const r = resolveValue(v, ctx, appendIndex(basePath, i));
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  }
  if (isJsonObject(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = resolveValue(v, ctx, appendKey(basePath, k));
      if (!r.ok) return r;
      Object.defineProperty(out, k, { value: r.value, enumerable: true, writable: true, configurable: true });
    }
    return ok(out);
  }
  return ok(value);
}

function resolveGet(text: string, ctx: ExpressionContext, path: string): Result<JsonValue, ExpressionError> {
  const target = parseGetTarget(text);
  if (!target.ok) return err({ message: `Get "${text}" is not a valid reference: ${target.error}`, path });
  const t = target.value;
  if (t.kind === 'parameter') {
    if (!Object.hasOwn(ctx.parameters, t.name)) return err({ message: `parameter "${t.name}" has no value`, path });
    return ok(ctx.parameters[t.name] as ParameterValue);
  }
  if (t.kind === 'execution') {
    if (!Object.hasOwn(ctx.execution, t.name)) return err({ message: `execution variable "${t.name}" has no value`, path });
    return ok(ctx.execution[t.name] as string);
  }
  const properties = ctx.stepProperties(t.name);
  if (properties === undefined) return err({ message: `step "${t.name}" has no properties yet (it has not run)`, path });
  const found = lookupProperty(properties, t.segments);
  if (found === undefined) return err({ message: `property "${text}" not found`, path });
  return ok(found);
}

function resolveJoin(body: JsonValue, ctx: ExpressionContext, path: string): Result<JsonValue, ExpressionError> {
  const shape = joinShape(body);
  if (!shape.ok) return err({ message: shape.error, path });
  const parts: string[] = [];
  for (const [i, v] of shape.value.values.entries()) {
    const valuePath = appendIndex(appendKey(appendKey(path, 'Std:Join'), 'Values'), i);
    const r = resolveValue(v, ctx, valuePath);
    if (!r.ok) return r;
    const part = r.value;
    if (typeof part === 'string') parts.push(part);
    else if (typeof part === 'number' || typeof part === 'boolean') parts.push(String(part));
    else {
      const what = part === null ? 'null' : Array.isArray(part) ? 'an array' : 'an object';
      return err({ message: `Std:Join value ${i} is ${what}; only strings, numbers and booleans can be joined`, path: valuePath });
    }
  }
  return ok(parts.join(shape.value.on));
}

function resolveJsonGet(body: JsonValue, ctx: ExpressionContext, path: string): Result<JsonValue, ExpressionError> {
  const shape = jsonGetShape(body);
  if (!shape.ok) return err({ message: shape.error, path });
  if (ctx.jsonGet === undefined) return err({ message: 'Std:JsonGet cannot be evaluated here (no property files available)', path });
  const s = shape.value;
  let r: Result<JsonValue, string>;
  if (s.source === 's3') {
    const uriPath = appendKey(appendKey(path, 'Std:JsonGet'), 'S3Uri');
    const uri = resolveValue(s.s3Uri, ctx, uriPath);
    if (!uri.ok) return uri;
    if (typeof uri.value !== 'string') return err({ message: 'Std:JsonGet S3Uri must be a string', path: uriPath });
    r = ctx.jsonGet({ s3Uri: uri.value, path: s.path });
  } else {
    r = ctx.jsonGet({ stepName: s.stepName, propertyFile: s.propertyFile, path: s.path });
  }
  return r.ok ? r : err({ message: r.error, path });
}
