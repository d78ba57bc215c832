import type { RunRecord } from '../../contracts/records.js';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import type { Services } from '../../engine/run/run-context.js';
import { startRun } from '../../engine/run/run-pipeline.js';
import { SUPPORTED_STEP_TYPES } from '../../steps/executor-registry.js';
import { definitionText, FILE } from './definition-helpers.js';

/** Runs a pipeline of one Processing step "P" (no arguments, no cache) on `services` and returns the finished run. */
export async function runOneProcessingStep(services: Services): Promise<RunRecord> {
  const text = definitionText({ Parameters: [], Steps: [{ Name: 'P', Type: 'Processing', Arguments: {} }] });
  const def = loadDefinitionText(text, FILE, { supportedStepTypes: SUPPORTED_STEP_TYPES });
  if (!def.ok) throw new Error(JSON.stringify(def.error));
  const r = await startRun(services, { definition: def.value, definitionText: text, pipeline: 'p', parameters: {}, options: { noCache: true, rerun: [] } },
    { signal: new AbortController().signal, emit: () => undefined, maxParallel: 1 });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}
