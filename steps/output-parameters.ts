import { isJsonObject, type JsonObject, type JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { DeclaredOutput, OutputType } from '../contracts/definition.js';

const OUTPUT_TYPES: readonly OutputType[] = ['String', 'Integer', 'Boolean', 'Float'];

/** Reads `OutputParameters: [{OutputName, OutputType}]` from the step object (OutputType defaults to String, as in the SDK). */
export function readDeclaredOutputs(step: JsonObject | undefined, where: string): Result<DeclaredOutput[], string> {
  const list = step?.OutputParameters;
  if (list === undefined || list === null) return ok([]);
  if (!Array.isArray(list)) return err(`${where}: OutputParameters must be a list of {"OutputName", "OutputType"} objects.`);
  const out: DeclaredOutput[] = [];
  for (const [i, o] of list.entries()) {
    if (!isJsonObject(o) || typeof o.OutputName !== 'string' || o.OutputName === '') {
      return err(`${where}: OutputParameters[${i}] must be an object with a non-empty "OutputName".`);
    }
    const type = o.OutputType ?? 'String';
    if (typeof type !== 'string' || !(OUTPUT_TYPES as readonly string[]).includes(type)) {
      return err(`${where}: OutputParameters[${i}] ("${o.OutputName}") has OutputType ${JSON.stringify(type)}; use one of ${OUTPUT_TYPES.join(', ')}.`);
    }
    if (out.some((d) => d.name === o.OutputName)) return err(`${where}: OutputParameters declares "${o.OutputName}" twice.`);
    out.push({ name: o.OutputName, type: type as OutputType });
  }
  return ok(out);
}

/**
 * Checks the values a handler or a callback gave against the declared outputs and converts them to their types.
 * A value may be the typed JSON value or its text (SendPipelineExecutionStepSuccess sends every Value as a string):
 * Integer `3` or `"3"`, Float `0.5` or `"0.5"`, Boolean `true` or `"true"`. Every declared output must be present;
 * undeclared names are ignored (listed in `ignored`). Errors name each offending output, one sentence each.
 */
export function checkOutputValues(
  declared: readonly DeclaredOutput[], given: unknown, source: string,
): Result<{ values: JsonObject; ignored: string[] }, string> {
  if (given === undefined || given === null) {
    if (declared.length === 0) return ok({ values: {}, ignored: [] });
    return err(`${source} returned nothing, but the step declares OutputParameters ${declared.map((d) => `"${d.name}"`).join(', ')}; return an object with them.`);
  }
  if (!isJsonObject(given as JsonValue)) {
    return err(`${source} must give an object of output values ({"name": value, …}), not ${describe(given)}.`);
  }
  const obj = given as Record<string, unknown>;
  const problems: string[] = [];
  const values: JsonObject = {};
  for (const d of declared) {
    if (!Object.hasOwn(obj, d.name) || obj[d.name] === undefined) {
      problems.push(`output "${d.name}" (${d.type}) is missing`);
      continue;
    }
    const v = coerce(d.type, obj[d.name]);
    if (v === undefined) problems.push(`output "${d.name}" must be ${article(d.type)} ${d.type}, not ${describe(obj[d.name])}`);
    else values[d.name] = v;
  }
  if (problems.length > 0) {
    const known = Object.keys(obj);
    const gave = known.length === 0 ? 'it gave no values' : `it gave ${known.map((k) => `"${k}"`).join(', ')}`;
    return err(`${source} does not match the declared OutputParameters: ${problems.join('; ')} (${gave}).`);
  }
  const ignored = Object.keys(obj).filter((k) => !declared.some((d) => d.name === k));
  return ok({ values, ignored });
}

function coerce(type: OutputType, v: unknown): JsonValue | undefined {
  switch (type) {
    case 'String':
      return typeof v === 'string' ? v : undefined;
    case 'Integer':
      if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
      if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) {
        const n = Number(v);
        return Number.isSafeInteger(n) ? n : undefined;
      }
      return undefined;
    case 'Float':
      if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      return undefined;
    case 'Boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v)) return v.trim().toLowerCase() === 'true';
      return undefined;
  }
}

function article(type: OutputType): string {
  return type === 'Integer' ? 'an' : 'a';
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)}`;
  if (typeof v === 'number') return `the number ${String(v)}`;
  if (typeof v === 'boolean') return `the boolean ${String(v)}`;
  return typeof v;
}

/**
 * The step's properties: `OutputParameters` maps each name to its value, so `Get: Steps.S.OutputParameters['x']`
 * (the SDK's LambdaOutput / CallbackOutput expression) resolves to the value itself.
 */
export function outputProperties(values: JsonObject): JsonObject {
  return { OutputParameters: values };
}
