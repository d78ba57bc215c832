import type { RunRecord } from '../../contracts/records.js';
import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import { resolveValue } from '../definition/expressions.js';
import { err, ok, type Result } from '../../kernel/result.js';

/**
 * SageMaker's default PipelineExperimentConfig (what the Python SDK writes when `pipeline_experiment_config` is not
 * given, and what the service uses for a missing ExperimentName / TrialName).
 */
export const DEFAULT_EXPERIMENT_CONFIG = {
  ExperimentName: { Get: 'Execution.PipelineName' },
  TrialName: { Get: 'Execution.PipelineExecutionId' },
} as const;

/** The experiment and trial a run belongs to, or why it belongs to none. */
export type ExperimentNames =
  | { kind: 'named'; experiment: string; trial: string }
  /** `PipelineExperimentConfig: null` (the SDK's `pipeline_experiment_config=None`): SageMaker creates no experiment. */
  | { kind: 'disabled' }
  /** An expression that cannot be resolved, or resolves to something that is not a name. */
  | { kind: 'unresolved'; message: string };

/**
 * Resolves a run's experiment and trial names from its stored definition text, parameter values and execution
 * variables, as SageMaker does when the execution starts: absent config or field → the default; `null` → no
 * experiment. `CurrentDateTime` is the execution's start (the moment SageMaker creates the trial).
 */
export function experimentNames(run: Pick<RunRecord, 'definition' | 'parameters' | 'execution'>): ExperimentNames {
  let root: unknown;
  try {
    root = JSON.parse(run.definition);
  } catch (e) {
    return { kind: 'unresolved', message: `the stored definition is not JSON: ${(e as Error).message}` };
  }
  const config = isJsonObject(root) ? root.PipelineExperimentConfig : undefined;
  if (config === null) return { kind: 'disabled' };
  if (config !== undefined && !isJsonObject(config)) {
    return { kind: 'unresolved', message: 'PipelineExperimentConfig must be an object with ExperimentName and TrialName' };
  }
  const execution = { CurrentDateTime: run.execution.StartDateTime ?? '', ...run.execution };
  const names: string[] = [];
  for (const field of ['ExperimentName', 'TrialName'] as const) {
    const expr = config?.[field] ?? DEFAULT_EXPERIMENT_CONFIG[field];
    const r = resolveName(expr as JsonValue, field, run.parameters, execution);
    if (!r.ok) return { kind: 'unresolved', message: r.error };
    names.push(r.value);
  }
  return { kind: 'named', experiment: names[0]!, trial: names[1]! };
}

function resolveName(expr: JsonValue, field: string, parameters: RunRecord['parameters'],
  execution: Record<string, string>): Result<string, string> {
  const where = `PipelineExperimentConfig.${field}`;
  const r = resolveValue(expr, {
    parameters, execution,
    // Experiment names are fixed before any step runs: a step property cannot name them.
    stepProperties: () => undefined,
  }, where);
  if (!r.ok) return err(`${r.error.path}: ${r.error.message}`);
  const v = r.value;
  if (typeof v === 'number' || typeof v === 'boolean') return ok(String(v));
  if (typeof v !== 'string') return err(`${where} resolves to ${JSON.stringify(v)}, not a name`);
  if (v === '') return err(`${where} resolves to an empty name`);
  return ok(v);
}
