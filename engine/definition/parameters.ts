import type { Definition, ParameterDef, ParameterValue } from '../../contracts/definition.js';
import { err, ok, type Result } from '../../kernel/result.js';

/** Reads `Name=Value` arguments (the value may itself contain "="). All problems at once. */
export function parseParamArgs(args: string[]): Result<Record<string, string>, string[]> {
  const out = new Map<string, string>();
  const errors: string[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) {
      errors.push(`expected Name=Value, got "${arg}"`);
      continue;
    }
    const name = arg.slice(0, eq);
    if (out.has(name)) errors.push(`parameter "${name}" is given more than once`);
    else out.set(name, arg.slice(eq + 1));
  }
  return errors.length > 0 ? err(errors) : ok(Object.fromEntries(out));
}

/** Every parameter's value for one run: its override, converted to its type, or its default. All problems at once. */
export function resolveParameters(
  def: Definition,
  overrides: Record<string, string>,
): Result<Record<string, ParameterValue>, string[]> {
  const errors: string[] = [];
  const known = new Map(def.parameters.map((p) => [p.name, p]));
  for (const name of Object.keys(overrides)) {
    if (!known.has(name)) {
      const list = def.parameters.length === 0 ? 'the pipeline has no parameters' : `known: ${def.parameters.map((p) => p.name).join(', ')}`;
      errors.push(`unknown parameter "${name}" (${list})`);
    }
  }
  const values = new Map<string, ParameterValue>();
  for (const p of def.parameters) {
    const given = Object.hasOwn(overrides, p.name) ? overrides[p.name] : undefined;
    if (given === undefined) {
      if (p.defaultValue === undefined) errors.push(`parameter "${p.name}" has no DefaultValue and no value was given`);
      else values.set(p.name, p.defaultValue);
      continue;
    }
    const converted = convert(p, given);
    if (!converted.ok) errors.push(converted.error);
    else if (p.enumValues !== undefined && !p.enumValues.includes(converted.value)) {
      errors.push(`parameter "${p.name}" must be one of ${p.enumValues.map((v) => JSON.stringify(v)).join(', ')}; got "${given}"`);
    } else values.set(p.name, converted.value);
  }
  return errors.length > 0 ? err(errors) : ok(Object.fromEntries(values));
}

function convert(p: ParameterDef, text: string): Result<ParameterValue, string> {
  switch (p.type) {
    case 'String':
      return ok(text);
    case 'Integer': {
      const n = Number(text);
      if (/^[+-]?\d+$/.test(text) && Number.isSafeInteger(n)) return ok(n);
      return err(`parameter "${p.name}" is Integer; "${text}" is not an integer`);
    }
    case 'Float': {
      const n = Number(text);
      if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) && Number.isFinite(n)) return ok(n);
      return err(`parameter "${p.name}" is Float; "${text}" is not a number`);
    }
    case 'Boolean':
      if (text === 'true' || text === 'false') return ok(text === 'true');
      return err(`parameter "${p.name}" is Boolean; "${text}" is not true or false`);
  }
}
