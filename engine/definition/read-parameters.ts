import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import { appendIndex, appendKey } from '../../kernel/json-path.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { ParameterDef, ParameterValue } from '../../contracts/definition.js';
import { isParameterType, matchesParameterType, showValue } from './parameter-types.js';

export interface ReadParameters {
  /** Parameters whose definition is sound. */
  params: ParameterDef[];
  /** Every parameter name defined, sound or not (so references to a broken parameter are not reported twice). */
  names: Set<string>;
}

/** Reads and checks the top-level `Parameters` list. Problems go to `sink`. */
export function readParameters(value: JsonValue | undefined, sink: DiagnosticSink): ReadParameters {
  const result: ReadParameters = { params: [], names: new Set() };
  if (value === undefined) return result;
  if (!Array.isArray(value)) {
    sink.report('Parameters', 'invalid-field', '"Parameters" must be an array');
    return result;
  }
  const seen = new Map<string, string>();
  value.forEach((p, i) => {
    const path = appendIndex('Parameters', i);
    if (isJsonObject(p) && typeof p.Name === 'string' && p.Name !== '') {
      const earlier = seen.get(p.Name);
      if (earlier !== undefined) {
        sink.report(appendKey(path, 'Name'), 'duplicate-parameter', `parameter name "${p.Name}" is also used at ${earlier}`);
        return;
      }
      seen.set(p.Name, path);
      result.names.add(p.Name);
    }
    const def = readParameter(p, path, sink);
    if (def !== undefined) result.params.push(def);
  });
  return result;
}

function readParameter(p: JsonValue, path: string, sink: DiagnosticSink): ParameterDef | undefined {
  if (!isJsonObject(p)) {
    sink.report(path, 'invalid-parameter', 'parameter must be an object with "Name" and "Type"');
    return undefined;
  }
  if (typeof p.Name !== 'string' || p.Name === '') {
    sink.report(appendKey(path, 'Name'), 'invalid-parameter', 'parameter needs a "Name" (a non-empty string)');
    return undefined;
  }
  const name = p.Name;
  if (!isParameterType(p.Type)) {
    const was = p.Type === undefined ? 'has no "Type"' : `has Type ${showValue(p.Type)}`;
    sink.report(appendKey(path, 'Type'), 'invalid-parameter', `parameter "${name}" ${was}; expected String, Integer, Float or Boolean`);
    return undefined;
  }
  const def: ParameterDef = { name, type: p.Type };
  let sound = true;
  if (p.DefaultValue !== undefined) {
    if (matchesParameterType(def.type, p.DefaultValue)) def.defaultValue = p.DefaultValue;
    else {
      sink.report(appendKey(path, 'DefaultValue'), 'parameter-type', `parameter "${name}" is ${def.type} but its DefaultValue is ${showValue(p.DefaultValue)}`);
      sound = false;
    }
  }
  if (p.EnumValues !== undefined) {
    const enumValues = readEnumValues(p.EnumValues, def, appendKey(path, 'EnumValues'), sink);
    if (enumValues === undefined) sound = false;
    else {
      def.enumValues = enumValues;
      if (def.defaultValue !== undefined && !enumValues.includes(def.defaultValue)) {
        const list = enumValues.map(showValue).join(', ');
        sink.report(appendKey(path, 'DefaultValue'), 'parameter-enum', `DefaultValue ${showValue(def.defaultValue)} of parameter "${name}" is not one of its EnumValues (${list})`);
        sound = false;
      }
    }
  }
  return sound ? def : undefined;
}

function readEnumValues(v: JsonValue, def: ParameterDef, path: string, sink: DiagnosticSink): ParameterValue[] | undefined {
  if (!Array.isArray(v)) {
    sink.report(path, 'invalid-parameter', `EnumValues of parameter "${def.name}" must be an array`);
    return undefined;
  }
  const out: ParameterValue[] = [];
  let sound = true;
  v.forEach((e, i) => {
    if (matchesParameterType(def.type, e)) out.push(e);
    else {
      sink.report(appendIndex(path, i), 'parameter-type', `parameter "${def.name}" is ${def.type} but EnumValues holds ${showValue(e)}`);
      sound = false;
    }
  });
  return sound ? out : undefined;
}
