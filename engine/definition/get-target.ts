import { parsePropertyPath, type PropertySegment } from './property-path.js';
import { err, ok, type Result } from '../../kernel/result.js';

/** What a `{"Get": "..."}` points at. */
export type GetTarget =
  | { kind: 'parameter'; name: string }
  | { kind: 'execution'; name: string }
  | { kind: 'step'; name: string; property: string; segments: PropertySegment[] };

export const EXECUTION_VARIABLES: readonly string[] = [
  'PipelineExecutionId',
  'PipelineName',
  'PipelineArn',
  'PipelineExecutionArn',
  'StartDateTime',
  'CurrentDateTime',
];

/** Parses `Parameters.X`, `Execution.X` or `Steps.S.<property path>`. The error says what is wrong with the text. */
export function parseGetTarget(text: string): Result<GetTarget, string> {
  const dot = text.indexOf('.');
  const root = dot < 0 ? text : text.slice(0, dot);
  const rest = dot < 0 ? '' : text.slice(dot + 1);
  if (root === 'Parameters' || root === 'Execution') {
    if (rest === '' || /[.[\]]/.test(rest)) return err(`expected ${root}.<name>`);
    return ok({ kind: root === 'Parameters' ? 'parameter' : 'execution', name: rest });
  }
  if (root !== 'Steps') return err('it must start with "Parameters.", "Execution." or "Steps."');
  const end = rest.search(/[.[]/);
  const name = end < 0 ? rest : rest.slice(0, end);
  if (name === '') return err('expected Steps.<step>.<property>');
  if (end < 0 || rest[end] !== '.') return err(`expected a property after "Steps.${name}"`);
  const property = rest.slice(end + 1);
  const segments = parsePropertyPath(property);
  if (!segments.ok) return err(`bad property path "${property}": ${segments.error}`);
  return ok({ kind: 'step', name, property, segments: segments.value });
}
