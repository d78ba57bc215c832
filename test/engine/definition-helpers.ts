import { formatDiagnostic } from '../../kernel/diagnostic.js';
import type { JsonValue } from '../../kernel/json.js';
import { loadDefinitionText, type LoadOptions } from '../../engine/definition/load-definition.js';
import type { Definition } from '../../contracts/definition.js';

export const FILE = 'pipeline.json';

/** Definition text for a test: pretty-printed so that line:column are predictable. */
export function definitionText(body: Record<string, unknown>): string {
  return JSON.stringify({ Version: '2020-12-01', ...body }, null, 2);
}

/** The formatted diagnostics of a definition (an empty list when it loads). */
export function diagnose(input: string | Record<string, unknown>, opts?: LoadOptions): string[] {
  const text = typeof input === 'string' ? input : definitionText(input);
  const r = loadDefinitionText(text, FILE, opts);
  return r.ok ? [] : r.error.map(formatDiagnostic);
}

export function load(input: string | Record<string, unknown>, opts?: LoadOptions): Definition {
  const text = typeof input === 'string' ? input : definitionText(input);
  const r = loadDefinitionText(text, FILE, opts);
  if (!r.ok) throw new Error(`expected the definition to load:\n${r.error.map(formatDiagnostic).join('\n')}`);
  return r.value;
}

export function processing(name: string, extra: Record<string, JsonValue> = {}, args: Record<string, JsonValue> = {}): JsonValue {
  return {
    Name: name,
    Type: 'Processing',
    Arguments: {
      ProcessingOutputConfig: {
        Outputs: [
          { OutputName: 'train', S3Output: { S3Uri: 's3://b/train', LocalPath: '/opt/ml/processing/train' } },
          { OutputName: 'test', S3Output: { S3Uri: 's3://b/test', LocalPath: '/opt/ml/processing/test' } },
        ],
      },
      ...args,
    },
    ...extra,
  };
}

export function training(name: string, args: Record<string, JsonValue> = {}, extra: Record<string, JsonValue> = {}): JsonValue {
  return { Name: name, Type: 'Training', Arguments: { AlgorithmSpecification: { TrainingImage: 'img' }, ...args }, ...extra };
}

export function get(ref: string): JsonValue {
  return { Get: ref };
}
