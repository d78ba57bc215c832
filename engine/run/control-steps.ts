import { buildFingerprint } from '../../cache/fingerprint.js';
import { stepFailure, type StepFailure } from '../../contracts/step-failure.js';
import { branchSteps, markSkipped, notTakenReason, skipBranchNotTaken } from './branches.js';
import { evaluateConditions } from '../definition/condition.js';
import { resolveValue } from '../definition/expressions.js';
import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import type { StepDef } from '../../contracts/definition.js';
import type { PlannedStep } from './planned-step.js';
import { expressionContext } from './property-files.js';
import type { RunContext } from './run-context.js';
import type { TaskOutcome } from './scheduler.js';

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
export function runControlStep(rc: RunContext, step: StepDef): TaskOutcome | undefined {
  const notTaken = notTakenReason(rc, step);
  if (notTaken !== undefined) {
    markSkipped(rc, [step.name], notTaken);
    return 'skipped';
  }
  if (step.type === 'Condition') return runCondition(rc, step);
  if (step.type === 'Fail') return runFail(rc, step);
  return undefined;
}

function runCondition(rc: RunContext, step: StepDef): TaskOutcome {
  const { store } = rc.services;
  const runId = rc.run.runId;
  store.setStepStatus(runId, step.name, 'running', { startedAt: Date.now(), failure: null });
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
  const endedAt = Date.now();
  store.commitStepSuccess(runId, step.name, {
    fingerprintKey: fp.key, fingerprint: fp.canonical, properties, outputs: [], cacheable: false, reused: false, endedAt,
  });
  rc.properties.set(step.name, properties);
  rc.outputs.set(step.name, []);
  const branches = branchSteps(rc.definition, step.name);
  const [taken, other] = outcome.value ? (['IfSteps', 'ElseSteps'] as const) : (['ElseSteps', 'IfSteps'] as const);
  const list = (names: string[]): string => (names.length === 0 ? 'none' : names.join(', '));
  const message = `evaluated to ${String(outcome.value)}: ${taken} run (${list(branches[taken])}); ${other} are skipped (${list(branches[other])})`;
  rc.log.info({ step: step.name, outcome: outcome.value, conditions: resolved.value }, 'condition evaluated');
  rc.emit({ type: 'notice', runId, step: step.name, message, at: endedAt });
  rc.emit({ type: 'step', runId, step: step.name, status: 'succeeded', reused: false, at: endedAt });
  skipBranchNotTaken(rc, step, outcome.value);
  return 'succeeded';
}

function runFail(rc: RunContext, step: StepDef): TaskOutcome {
  rc.services.store.setStepStatus(rc.run.runId, step.name, 'running', { startedAt: Date.now(), failure: null });
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

function failed(rc: RunContext, step: StepDef, failure: StepFailure): TaskOutcome {
  const runId = rc.run.runId;
  rc.services.store.setStepStatus(runId, step.name, 'failed', { failure, exitCode: null, endedAt: Date.now() });
  rc.emit({ type: 'step', runId, step: step.name, status: 'failed', reused: false, failure, at: Date.now() });
  rc.log.warn({ step: step.name, failure }, 'step did not succeed');
  return 'failed';
}

/** `cairn plan` for Condition and Fail steps (undefined for other types): they always run, and never start a container. */
export function planControlStep(rc: RunContext, step: StepDef): Pick<PlannedStep, 'action' | 'why'> | undefined {
  if (step.type === 'Condition') {
    const b = branchSteps(rc.definition, step.name);
    const n = (names: string[]): string => `${names.length} step(s)`;
    return { action: 'run', why: `evaluated when the run reaches it (never cached): IfSteps ${n(b.IfSteps)}, ElseSteps ${n(b.ElseSteps)}` };
  }
  if (step.type === 'Fail') {
    const resolved = resolveValue(step.arguments, expressionContext(rc));
    const text = resolved.ok && isJsonObject(resolved.value) ? messageText(resolved.value.ErrorMessage) : undefined;
    return { action: 'run', why: text === undefined ? 'ends the run as failed' : `ends the run as failed: ${JSON.stringify(text)}` };
  }
  return undefined;
}
