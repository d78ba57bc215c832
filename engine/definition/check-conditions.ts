import type { DiagnosticSink } from './diagnostic-sink.js';
import { COMPARISON_TYPES } from './condition.js';
import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import { appendIndex, appendKey } from '../../kernel/json-path.js';
import type { StepDraft } from './read-steps.js';

const TYPES: readonly string[] = [...COMPARISON_TYPES, 'In', 'Not', 'Or'];

/**
 * The shape of every Condition step's `Conditions`, checked at load time so that a malformed condition is refused
 * before anything runs (values are checked when the Condition is evaluated: engine/condition.ts).
 */
export function checkConditionSteps(drafts: readonly StepDraft[], sink: DiagnosticSink): void {
  for (const d of drafts) {
    if (d.type !== 'Condition' || d.args === undefined) continue;
    const args = appendKey(d.path, 'Arguments');
    if (d.args.Conditions === undefined) {
      sink.report(args, 'missing-field', 'Condition step has no "Conditions" (an array of conditions)', d.name);
      continue;
    }
    checkList(d.args.Conditions, appendKey(args, 'Conditions'), d.name, sink);
  }
}

function checkList(v: JsonValue, path: string, step: string | undefined, sink: DiagnosticSink): void {
  if (!Array.isArray(v)) {
    sink.report(path, 'invalid-condition', '"Conditions" must be an array of conditions', step);
    return;
  }
  v.forEach((c, i) => checkOne(c, appendIndex(path, i), step, sink));
}

function checkOne(c: JsonValue, path: string, step: string | undefined, sink: DiagnosticSink): void {
  if (!isJsonObject(c)) {
    sink.report(path, 'invalid-condition', 'a condition must be an object with a "Type"', step);
    return;
  }
  const type = c.Type;
  if (typeof type !== 'string' || !TYPES.includes(type)) {
    const got = typeof type === 'string' ? `"${type}"` : 'missing';
    sink.report(typeof type === 'string' ? appendKey(path, 'Type') : path, 'invalid-condition',
      `unknown condition Type (${got}); valid types: ${TYPES.join(', ')}`, step);
    return;
  }
  const need = (key: string, what: string): void => {
    if (!Object.hasOwn(c, key)) sink.report(path, 'invalid-condition', `${type} condition needs "${key}" (${what})`, step);
  };
  if ((COMPARISON_TYPES as readonly string[]).includes(type)) {
    need('LeftValue', 'the value to compare');
    need('RightValue', 'the value to compare it with');
  } else if (type === 'In') {
    need('QueryValue', 'the value to look for');
    if (c.Values !== undefined && !Array.isArray(c.Values)) sink.report(appendKey(path, 'Values'), 'invalid-condition', 'In condition "Values" must be an array', step);
    else need('Values', 'an array of values');
  } else if (type === 'Not') {
    const key = Object.hasOwn(c, 'Expression') ? 'Expression' : Object.hasOwn(c, 'Condition') ? 'Condition' : undefined;
    if (key === undefined) sink.report(path, 'invalid-condition', 'Not condition needs "Expression" (the condition to negate)', step);
    else checkOne(c[key] as JsonValue, appendKey(path, key), step, sink);
  } else if (c.Conditions === undefined) {
    sink.report(path, 'invalid-condition', 'Or condition needs "Conditions" (an array of conditions)', step);
  } else {
    checkList(c.Conditions, appendKey(path, 'Conditions'), step, sink);
  }
}
