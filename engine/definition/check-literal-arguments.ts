import type { DiagnosticSink } from './diagnostic-sink.js';
import { parseImageReference } from '../../kernel/image-reference.js';
import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import { appendIndex, appendKey, type JsonPathSegment } from '../../kernel/json-path.js';
import { outputUriProblem } from '../../kernel/output-uri.js';
import type { StepDraft } from './read-steps.js';

/** `'*'` stands for every element of a list. */
type FieldPath = readonly (string | '*')[];

/** Where each step type names the images it runs. */
const IMAGE_FIELDS: Record<string, FieldPath[]> = {
  Processing: [['AppSpecification', 'ImageUri']],
  Training: [['AlgorithmSpecification', 'TrainingImage']],
  Model: [['PrimaryContainer', 'Image'], ['Containers', '*', 'Image']],
};

/** Where each step type names the places its outputs are committed to (kernel/output-uri.ts). */
const OUTPUT_FIELDS: Record<string, FieldPath[]> = {
  Processing: [['ProcessingOutputConfig', 'Outputs', '*', 'S3Output', 'S3Uri']],
  Training: [['OutputDataConfig', 'S3OutputPath'], ['CheckpointConfig', 'S3Uri']],
  Transform: [['TransformOutput', 'S3OutputPath']],
};

/**
 * Image references (Docker's grammar) and output URIs (no `.` or `..` segments) written as literal strings
 * are checked at load time, so `plan` refuses them before anything runs. Values given by expressions are checked
 * when the step's Arguments are resolved (containers/docker-image-resolver.ts, steps/arguments.ts).
 */
export function checkLiteralArguments(drafts: readonly StepDraft[], sink: DiagnosticSink): void {
  for (const d of drafts) {
    if (d.type === undefined || d.args === undefined) continue;
    const args = appendKey(d.path, 'Arguments');
    for (const field of IMAGE_FIELDS[d.type] ?? []) {
      for (const { value, path } of literalsAt(d.args, field, args)) {
        const grammar = parseImageReference(value);
        if (!grammar.ok) sink.report(path, 'invalid-image-reference', `${lastKey(field)} ${quoted(value)} is not a valid Docker image reference: ${grammar.error}`, d.name);
      }
    }
    for (const field of OUTPUT_FIELDS[d.type] ?? []) {
      for (const { value, path } of literalsAt(d.args, field, args)) {
        const problem = outputUriProblem(value);
        if (problem !== undefined) sink.report(path, 'invalid-output-uri', `${lastKey(field)} ${quoted(value)} ${problem}; write the URI without it`, d.name);
      }
    }
  }
}

/** The string values found at `field` (lists expanded at `*`); expressions and other kinds of value are skipped. */
function literalsAt(root: JsonValue, field: FieldPath, base: string): { value: string; path: string }[] {
  let level: { v: JsonValue; path: string }[] = [{ v: root, path: base }];
  for (const seg of field) {
    const next: { v: JsonValue; path: string }[] = [];
    for (const { v, path } of level) {
      if (seg === '*') {
        if (Array.isArray(v)) v.forEach((item, i) => next.push({ v: item, path: appendIndex(path, i) }));
      } else if (isJsonObject(v) && Object.hasOwn(v, seg)) {
        next.push({ v: v[seg] as JsonValue, path: appendKey(path, seg) });
      }
    }
    level = next;
  }
  return level.flatMap(({ v, path }) => (typeof v === 'string' ? [{ value: v, path }] : []));
}

function lastKey(field: FieldPath): JsonPathSegment {
  return field[field.length - 1] ?? '';
}

function quoted(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
}
