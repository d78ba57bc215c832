import { PropertyReference } from './properties.js';

/** Output types of Lambda and Callback steps (LambdaOutputTypeEnum, CallbackOutputTypeEnum). */
export type OutputParameterType = 'String' | 'Integer' | 'Boolean' | 'Float';

/** One declared output of a Lambda or Callback step: `{OutputName, OutputType}`. */
export interface OutputParameter<N extends string = string> {
  outputName: N;
  /** Default String. */
  outputType?: OutputParameterType;
}

/** `properties.outputs(name)`: `Steps.<S>.OutputParameters['name']`, for a declared name only. */
export interface OutputParameterProperties<N extends string> {
  outputs(name: N): PropertyReference;
}

export function outputParameterProperties<N extends string>(kind: string, step: string, outputs: readonly OutputParameter<N>[]): OutputParameterProperties<N> {
  const names: string[] = outputs.map((o) => o.outputName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`step "${step}": two ${kind} outputs are named "${dup}"`);
  return {
    outputs(name: N): PropertyReference {
      if (!names.includes(name)) {
        throw new Error(`step "${step}" has no output "${name}" (${names.length === 0 ? 'it has none' : `it has ${names.map((n) => `"${n}"`).join(', ')}`})`);
      }
      return new PropertyReference(step, `OutputParameters['${name}']`);
    },
  };
}

export function outputParametersRequest(outputs: readonly OutputParameter[]): Record<string, unknown>[] {
  return outputs.map((o) => ({ OutputName: o.outputName, OutputType: o.outputType ?? 'String' }));
}
