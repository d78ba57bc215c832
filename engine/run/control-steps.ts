import { buildFingerprint } from '../../cache/fingerprint.js';
import { stepFailure, type StepFailure } from '../../contracts/step-failure.js';
import { branchSteps, markSkipped, notTakenReason, skipBranchNotTaken } from './branches.js';
import { evaluateConditions } from '../definition/condition.js';
import { resolveValue } from '../definition/expressions.js';
import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import type { StepDef } from '../../contracts/definition.js';
import type { ControlStep } from '../../contracts/cache-decision.js';
import { decideCache, outputVerifier } from './cache-decision.js';
import { expressionContext } from './property-files.js';
import type { RunContext } from './run-context.js';
import type { TaskOutcome } from './scheduler.js';
import type { StepLifecycle } from './step-lifecycle.js';

/**
 * Steps the engine runs itself, with no container: Condition (evaluates its conditions and picks a branch) and Fail
 * (ends the run as failed with its ErrorMessage). Neither is cached, as in SageMaker: a Condition is evaluated every
 * time a run reaches it (it is cheap); on resume, a Condition that already succeeded keeps its recorded outcome.
 */
export const CONTROL_STEP_TYPES: ReadonlySet<string> = new Set(['Condition', 'Fail']);

/**
 * Runs `step` when the engine handles it: a step whose branch was not taken (or downstream of a skipped step) ends
 * `skipped`; Condition and Fail steps run here. Undefined: the step is for its executor.
 */
export async function runControlStep(rc: RunContext, step: StepDef, life: StepLifecycle): Promise<TaskOutcome | undefined> {
  const notTaken = notTakenReason(rc, step);
  if (notTaken !== undefined) {
    markSkipped(rc, [step.name], notTaken);
    return 'skipped';
  }
  const control = controlStep(rc, step);
  if (control === undefined) return undefined;
  const { decision } = await decideCache({
    step, cacheable: false, control, upstreamRunning: step.dependsOn.filter((d) => rc.decisions.get(d)?.action === 'run'),
    forced: rc.forced, fingerprint: undefined, pipeline: rc.run.pipeline, run: rc.run, now: Date.now(), store: rc.services.store,
    verify: outputVerifier(rc.services),
  });
  life.decided(decision);
  return control.stepType === 'Condition' ? runCondition(rc, step, life) : runFail(rc, step, life);
}

function runCondition(rc: RunContext, step: StepDef, life: StepLifecycle): TaskOutcome {
  const runId = rc.run.runId;
  life.start();
  const failed = (_rc: RunContext, _step: StepDef, failure: StepFailure): TaskOutcome => life.fail(failure);
  const conditions = isJsonObject(step.arguments) ? step.arguments.Conditions : undefined;
  if (conditions === undefined) {
    return failed(rc, step, stepFailure('invalid-arguments', { field: 'Conditions', message: `Condition step "${step.name}" has no "Conditions" (an array of conditions).` }));
  }
  const resolved = resolveValue(conditions, expressionContext(rc), 'Conditions');
  if (!resolved.ok) {
    const { path, message } = resolved.error;
    return failed(rc, step, stepFailure('expression', { field: path, message: `Condition step "${step.name}" cannot be evaluated: ${path}: ${message}` }));
  }
  const outcome = evaluateConditions(resolved.value);
  if (!outcome.ok) {
    const { path, message } = outcome.error;
    return failed(rc, step, stepFailure('invalid-arguments', { field: path, message: `Condition step "${step.name}" cannot be evaluated: ${message}` }));
  }
  const fp = buildFingerprint(step.type, { image: { uri: '', id: '' }, arguments: { Conditions: resolved.value }, inputs: {}, environment: {} });
  const properties = { Outcome: outcome.value };
  const branches = branchSteps(rc.definition, step.name);
  const [taken, other] = outcome.value ? (['IfSteps', 'ElseSteps'] as const) : (['ElseSteps', 'IfSteps'] as const);
  const list = (names: string[]): string => (names.length === 0 ? 'none' : names.join(', '));
  const message = `evaluated to ${String(outcome.value)}: ${taken} run (${list(branches[taken])}); ${other} are skipped (${list(branches[other])})`;
  rc.log.info({ step: step.name, outcome: outcome.value, conditions: resolved.value }, 'condition evaluated');
  rc.emit({ type: 'notice', runId, step: step.name, message, at: Date.now() });
  life.succeed({ fingerprintKey: fp.key, fingerprint: fp.canonical, properties, outputs: [] }, { cacheable: false });
  skipBranchNotTaken(rc, step, outcome.value);
  return 'succeeded';
}

function runFail(rc: RunContext, step: StepDef, life: StepLifecycle): TaskOutcome {
  life.start();
  const failed = (_rc: RunContext, _step: StepDef, failure: StepFailure): TaskOutcome => life.fail(failure);
  const resolved = resolveValue(step.arguments, expressionContext(rc));
  if (!resolved.ok) {
    const { path, message } = resolved.error;
    return failed(rc, step, stepFailure('expression', { field: path, message: `${path}: ${message}` }));
  }
  const errorMessage = messageText(isJsonObject(resolved.value) ? resolved.value.ErrorMessage : undefined);
  return failed(rc, step, stepFailure('fail-step', { errorMessage }));
}

function messageText(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** What the engine does with a Condition or Fail step (undefined for other types), for its cache decision. */
export function controlStep(rc: Pick<RunContext, 'definition' | 'run' | 'properties' | 'outputs' | 'services'>, step: StepDef): ControlStep | undefined {
  if (step.type === 'Condition') {
    const b = branchSteps(rc.definition, step.name);
    return { stepType: 'Condition', ifSteps: b.IfSteps.length, elseSteps: b.ElseSteps.length };
  }
  if (step.type === 'Fail') {
    const resolved = resolveValue(step.arguments, expressionContext(rc));
    const text = resolved.ok && isJsonObject(resolved.value) ? messageText(resolved.value.ErrorMessage) : undefined;
    return text === undefined ? { stepType: 'Fail' } : { stepType: 'Fail', errorMessage: text };
  }
  return undefined;
}
