import { readFile } from 'node:fs/promises';
import { checkConditionSteps } from './check-conditions.js';
import { checkLiteralArguments } from './check-literal-arguments.js';
import type { Diagnostic } from '../../kernel/diagnostic.js';
import { DiagnosticSink, ROOT_PATH } from './diagnostic-sink.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../kernel/json.js';
import { appendKey } from '../../kernel/json-path.js';
import type { Definition, StepDef } from '../../contracts/definition.js';
import { readParameters } from './read-parameters.js';
import { readSteps, type StepDraft } from './read-steps.js';
import { resolveDependencies } from './resolve-dependencies.js';
import { err, ok, type Result } from '../../kernel/result.js';
import { parseJsonDocument } from './source-map.js';
import { DEFAULT_SUPPORTED_STEP_TYPES } from './step-types.js';

export const DEFINITION_VERSION = '2020-12-01';

export interface LoadOptions {
  /** Step types that may run; other SDK step types get `unsupported-step-type`. Default: Processing, Training. */
  supportedStepTypes?: ReadonlySet<string>;
}

/** Reads, parses and validates a pipeline definition file. */
export async function loadDefinitionFile(file: string, opts?: LoadOptions): Promise<Result<Definition, Diagnostic[]>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    return err([{ file, line: 1, column: 1, path: ROOT_PATH, code: 'unreadable-file', message: `cannot read the definition: ${reason}` }]);
  }
  return loadDefinitionText(text, file, opts);
}

/** Parses and validates definition text; every problem is reported at once, sorted by position. */
export function loadDefinitionText(text: string, file: string, opts?: LoadOptions): Result<Definition, Diagnostic[]> {
  const doc = parseJsonDocument(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (!doc.ok) {
    const { line, column, message, tooDeep } = doc.error;
    if (tooDeep !== undefined) return err([{ file, line, column, path: tooDeep.path || ROOT_PATH, code: 'nested-too-deep', message }]);
    return err([{ file, line, column, path: ROOT_PATH, code: 'json-syntax', message }]);
  }
  const sink = new DiagnosticSink(file, doc.value.locate);
  const root = doc.value.value;
  if (!isJsonObject(root)) {
    sink.report(ROOT_PATH, 'not-an-object', 'a pipeline definition must be a JSON object');
    return err(sink.sorted());
  }
  checkVersion(root, sink);
  const parameters = readParameters(root.Parameters, sink);
  const maxParallelSteps = readParallelism(root.ParallelismConfiguration, sink);
  let drafts: StepDraft[] = [];
  if (root.Steps === undefined) sink.report('Steps', 'missing-field', 'missing "Steps" (the list of steps)');
  else drafts = readSteps(root.Steps, opts?.supportedStepTypes ?? DEFAULT_SUPPORTED_STEP_TYPES, sink);
  checkConditionSteps(drafts, sink);
  checkLiteralArguments(drafts, sink);
  const steps = resolveDependencies(root, drafts, parameters.names, sink, doc.value.locate);
  if (sink.count > 0) return err(sink.sorted());

  const def: Definition = {
    file,
    version: DEFINITION_VERSION,
    metadata: root.Metadata ?? {},
    parameters: parameters.params,
    steps: steps as StepDef[],
    raw: root,
  };
  if (root.PipelineExperimentConfig !== undefined) def.experimentConfig = root.PipelineExperimentConfig;
  if (maxParallelSteps !== undefined) def.maxParallelSteps = maxParallelSteps;
  return ok(def);
}

function checkVersion(root: JsonObject, sink: DiagnosticSink): void {
  if (root.Version === undefined) {
    sink.report('Version', 'missing-field', `missing "Version" (expected "${DEFINITION_VERSION}")`);
  } else if (root.Version !== DEFINITION_VERSION) {
    sink.report('Version', 'unsupported-version', `Version is ${JSON.stringify(root.Version)}; expected "${DEFINITION_VERSION}"`);
  }
}

function readParallelism(v: JsonValue | undefined, sink: DiagnosticSink): number | undefined {
  if (v === undefined) return undefined;
  const path = 'ParallelismConfiguration';
  const max = isJsonObject(v) ? v.MaxParallelExecutionSteps : undefined;
  if (typeof max === 'number' && Number.isInteger(max) && max >= 1) return max;
  const at = isJsonObject(v) ? appendKey(path, 'MaxParallelExecutionSteps') : path;
  sink.report(at, 'invalid-parallelism', 'ParallelismConfiguration needs "MaxParallelExecutionSteps" (an integer of at least 1)');
  return undefined;
}
