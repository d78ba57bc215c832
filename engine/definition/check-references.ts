import type { JsonValue } from '../../kernel/json.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { walkExpressions, joinShape, jsonGetShape } from './expression-syntax.js';
import { EXECUTION_VARIABLES } from './get-target.js';
import type { ReferenceScope } from './reference-scope.js';
import { checkStepProperty } from './step-properties.js';
import { didYouMean } from '../../kernel/suggest.js';

/** A dependency of one step on another, with where it is written (for file order). */
export interface Mention {
  name: string;
  path: string;
}

/**
 * Checks every expression in `value` (Get targets, Std:Join / Std:JsonGet shapes) and returns the steps it refers to,
 * in document order. Paths under `skip` (a Condition's nested steps) are left to those steps.
 */
export function checkReferences(
  value: JsonValue,
  basePath: string,
  step: string | undefined,
  scope: ReferenceScope,
  sink: DiagnosticSink,
  skip?: (path: string) => boolean,
): Mention[] {
  const mentions: Mention[] = [];
  walkExpressions(
    value,
    basePath,
    {
      get(expression, target, path) {
        const where = `Get "${expression}"`;
        if (!target.ok) {
          sink.report(path, 'invalid-reference', `${where} is not a valid reference: ${target.error}`, step);
          return;
        }
        const t = target.value;
        if (t.kind === 'parameter') {
          if (scope.parameters.has(t.name)) return;
          const known = scope.parameters.size === 0 ? 'no parameters are defined' : `known: ${[...scope.parameters].join(', ')}`;
          sink.report(path, 'unknown-parameter', `${where} names unknown parameter "${t.name}" (${known})`, step);
        } else if (t.kind === 'execution') {
          if (EXECUTION_VARIABLES.includes(t.name)) return;
          sink.report(path, 'unknown-execution-variable', `${where} names unknown execution variable "${t.name}" (valid: ${EXECUTION_VARIABLES.join(', ')})`, step);
        } else {
          const target = scope.steps.get(t.name);
          if (target === undefined) {
            sink.report(path, 'unknown-step', `${where} names unknown step "${t.name}"${didYouMean(t.name, scope.steps.keys())}`, step);
            return;
          }
          mentions.push({ name: t.name, path });
          const problem = checkStepProperty(target, t.segments);
          if (problem !== undefined) sink.report(path, 'unknown-property', `${where}: ${problem}`, step);
        }
      },
      join(body, path) {
        const shape = joinShape(body);
        if (!shape.ok) sink.report(path, 'invalid-join', shape.error, step);
      },
      jsonGet(body, path) {
        const shape = jsonGetShape(body);
        if (!shape.ok) sink.report(path, 'invalid-json-get', shape.error, step);
      },
    },
    skip,
  );
  return mentions;
}
