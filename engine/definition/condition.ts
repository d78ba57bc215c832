import { appendIndex, appendKey } from '../../kernel/json-path.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../kernel/json.js';
import { err, ok, type Result } from '../../kernel/result.js';

/**
 * Evaluates a Condition step's `Conditions` once every expression in them has been resolved (Get, Std:JsonGet,
 * Std:Join, parameters). The list is an AND. Shapes as the SageMaker Python SDK writes them (workflow/conditions.py):
 *
 * - `{Type: Equals | GreaterThan | GreaterThanOrEqualTo | LessThan | LessThanOrEqualTo, LeftValue, RightValue}`
 * - `{Type: In, QueryValue, Values: [...]}`
 * - `{Type: Not, Expression: {...}}` (the SDK's key; `Condition` is accepted too)
 * - `{Type: Or, Conditions: [...]}`
 *
 * Types follow SageMaker (and the SDK's local mode): Equals needs both sides of the same type; the ordering
 * comparisons need two numbers or two strings (strings compare by code point); anything else is an error that fails
 * the Condition step, not a `false`. Integers and floats are one type (JSON does not tell them apart). `In` is plain
 * membership (a value of another type is simply not a member). And / Or stop at the first deciding condition.
 */
export interface ConditionError {
  /** Path of the failing condition, e.g. `Conditions[1].Conditions[0]`. */
  path: string;
  /** A sentence starting with that path. */
  message: string;
}

export const COMPARISON_TYPES = ['Equals', 'GreaterThan', 'GreaterThanOrEqualTo', 'LessThan', 'LessThanOrEqualTo'] as const;
const ALL_TYPES = [...COMPARISON_TYPES, 'In', 'Not', 'Or'];

export function evaluateConditions(conditions: JsonValue, path = 'Conditions'): Result<boolean, ConditionError> {
  if (!Array.isArray(conditions)) return fail(path, 'must be an array of conditions');
  for (const [i, c] of conditions.entries()) {
    const r = evaluateCondition(c, appendIndex(path, i));
    if (!r.ok || !r.value) return r;
  }
  return ok(true);
}

export function evaluateCondition(c: JsonValue, path: string): Result<boolean, ConditionError> {
  if (!isJsonObject(c)) return fail(path, 'must be an object with a "Type"');
  const type = c.Type;
  if (typeof type !== 'string' || !ALL_TYPES.includes(type)) {
    const got = typeof type === 'string' ? `"${type}"` : 'missing';
    return fail(path, `has an unknown condition Type (${got}); valid types: ${ALL_TYPES.join(', ')}`);
  }
  const at = `${path} (${type})`;
  if (type === 'Or') {
    if (!Array.isArray(c.Conditions)) return fail(at, 'needs "Conditions" (an array of conditions)');
    for (const [i, sub] of c.Conditions.entries()) {
      const r = evaluateCondition(sub, appendIndex(appendKey(path, 'Conditions'), i));
      if (!r.ok || r.value) return r;
    }
    return ok(false);
  }
  if (type === 'Not') {
    const key = Object.hasOwn(c, 'Expression') ? 'Expression' : Object.hasOwn(c, 'Condition') ? 'Condition' : undefined;
    if (key === undefined) return fail(at, 'needs "Expression" (the condition to negate)');
    const r = evaluateCondition(c[key] as JsonValue, appendKey(path, key));
    return r.ok ? ok(!r.value) : r;
  }
  if (type === 'In') return evaluateIn(c, at);
  return compare(type, c, at);
}

function evaluateIn(c: JsonObject, at: string): Result<boolean, ConditionError> {
  if (!Object.hasOwn(c, 'QueryValue')) return fail(at, 'needs "QueryValue"');
  if (!Array.isArray(c.Values)) return fail(at, 'needs "Values" (an array)');
  const q = c.QueryValue as JsonValue;
  if (!isPrimitive(q)) return fail(at, `has a QueryValue that is ${describe(q)}; it must be a string, number or boolean`);
  return ok(c.Values.some((v) => kindOf(v) === kindOf(q) && v === q));
}

function compare(type: string, c: JsonObject, at: string): Result<boolean, ConditionError> {
  for (const side of ['LeftValue', 'RightValue']) {
    if (!Object.hasOwn(c, side)) return fail(at, `needs "LeftValue" and "RightValue" (${side} is missing)`);
  }
  const l = c.LeftValue as JsonValue;
  const r = c.RightValue as JsonValue;
  const lk = kindOf(l);
  const rk = kindOf(r);
  const both = `LeftValue ${show(l)} (${describe(l)}) with RightValue ${show(r)} (${describe(r)})`;
  if (lk === 'other' || rk === 'other') {
    return fail(at, `cannot compare ${both}; only strings, numbers and booleans can be compared`);
  }
  if (type === 'Equals') {
    if (lk !== rk) return fail(at, `cannot compare ${both}; both sides must be of the same type`);
    return ok(l === r);
  }
  if (lk !== rk || lk === 'boolean') {
    return fail(at, `cannot compare ${both}; both sides must be numbers or both strings`);
  }
  const a = l as number | string;
  const b = r as number | string;
  switch (type) {
    case 'GreaterThan': return ok(a > b);
    case 'GreaterThanOrEqualTo': return ok(a >= b);
    case 'LessThan': return ok(a < b);
    default: return ok(a <= b);
  }
}

type Kind = 'number' | 'string' | 'boolean' | 'other';

function kindOf(v: JsonValue): Kind {
  if (typeof v === 'number') return Number.isFinite(v) ? 'number' : 'other';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  return 'other';
}

function isPrimitive(v: JsonValue): boolean {
  return kindOf(v) !== 'other';
}

function describe(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function show(v: JsonValue): string {
  const t = JSON.stringify(v);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

function fail(path: string, what: string): { ok: false; error: ConditionError } {
  return err({ path, message: `${path} ${what}.` });
}
