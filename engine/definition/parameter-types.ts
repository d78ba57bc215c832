import type { JsonValue } from '../../kernel/json.js';
import type { ParameterType, ParameterValue } from '../../contracts/definition.js';

export const PARAMETER_TYPES: readonly ParameterType[] = ['String', 'Integer', 'Float', 'Boolean'];

export function isParameterType(v: unknown): v is ParameterType {
  return typeof v === 'string' && (PARAMETER_TYPES as readonly string[]).includes(v);
}

/** Whether a JSON value is a valid value of a parameter of `type`. */
export function matchesParameterType(type: ParameterType, v: JsonValue): v is ParameterValue {
  switch (type) {
    case 'String':
      return typeof v === 'string';
    case 'Integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'Float':
      return typeof v === 'number' && Number.isFinite(v);
    case 'Boolean':
      return typeof v === 'boolean';
  }
}

export function showValue(v: JsonValue): string {
  return JSON.stringify(v);
}
