import { downstreamOf, topologicalOrder } from '../definition/graph.js';
import type { Definition, StepDef } from '../../contracts/definition.js';
import type { BranchGuard, PlannedStep } from './planned-step.js';
import type { RunContext } from './run-context.js';
import { StepLifecycle } from './step-lifecycle.js';

/**
 * Condition branches at run time. A step nested in a Condition's IfSteps / ElseSteps waits for that Condition; when the
 * Condition has decided, the steps of the branch not taken, and every step downstream of one of them, end `skipped`
 * (SageMaker does not run a step that depends on a step that was not executed). The Condition's recorded
 * `{Outcome}` decides again on resume, so a resumed run keeps the branch it took.
 */

/** What the scheduler waits on before a step may start: its dependencies and, for a branch step, its Condition. */
export function schedulingUpstream(step: StepDef | undefined): string[] {
  if (step === undefined) return [];
  return step.branchOf === undefined ? step.dependsOn : [...step.dependsOn, step.branchOf.condition];
}

/** Why `step` must not run (its branch was not taken, or an upstream step was skipped); undefined when it may run. */
export function notTakenReason(rc: Pick<RunContext, 'skipped' | 'properties'>, step: StepDef): string | undefined {
  const { skipped } = rc;
  if (skipped.has(step.name)) return 'its branch was not taken';
  if (step.branchOf !== undefined) {
    const outcome = rc.properties.get(step.branchOf.condition)?.Outcome;
    if (typeof outcome === 'boolean' && (step.branchOf.branch === 'IfSteps') !== outcome) {
      return `Condition "${step.branchOf.condition}" evaluated to ${String(outcome)} (the step is in its ${step.branchOf.branch})`;
    }
  }
  const up = schedulingUpstream(step).find((u) => skipped.has(u));
  return up === undefined ? undefined : `upstream step "${up}" was skipped`;
}

/** Records `names` as skipped (store, events, log); names already recorded in this invocation are left alone. */
export function markSkipped(rc: RunContext, names: readonly string[], why: string): void {
  for (const name of names) {
    if (!rc.skipped.has(name)) new StepLifecycle(rc, name).skip(why);
  }
}

/** Marks the branch not taken by `condition`, and everything downstream of it, as skipped at once. */
export function skipBranchNotTaken(rc: RunContext, condition: StepDef, outcome: boolean): string[] {
  const notTaken = outcome ? 'ElseSteps' : 'IfSteps';
  const branch = rc.definition.steps
    .filter((s) => s.branchOf?.condition === condition.name && s.branchOf.branch === notTaken)
    .map((s) => s.name);
  const names = [...downstreamOf(rc.definition, branch)].filter((n) => !rc.properties.has(n));
  markSkipped(rc, names, `Condition "${condition.name}" evaluated to ${String(outcome)}`);
  return names;
}

/** The branch steps of a Condition, by branch, in file order. */
export function branchSteps(def: Definition, condition: string): { IfSteps: string[]; ElseSteps: string[] } {
  const of = (b: 'IfSteps' | 'ElseSteps'): string[] =>
    def.steps.filter((s) => s.branchOf?.condition === condition && s.branchOf.branch === b).map((s) => s.name);
  return { IfSteps: of('IfSteps'), ElseSteps: of('ElseSteps') };
}

/**
 * For each step that runs only if a Condition decides so: the nearest such Condition. A branch step is guarded by its
 * own Condition; a step downstream of a guarded step inherits that guard.
 */
export function branchGuards(def: Definition): Map<string, BranchGuard> {
  const byName = new Map(def.steps.map((s) => [s.name, s]));
  const guards = new Map<string, BranchGuard>();
  for (const name of topologicalOrder(def)) {
    const step = byName.get(name);
    if (step === undefined) continue;
    if (step.branchOf !== undefined) {
      guards.set(name, { condition: step.branchOf.condition, outcome: step.branchOf.branch === 'IfSteps' });
      continue;
    }
    const inherited = step.dependsOn.map((d) => guards.get(d)).find((g) => g !== undefined);
    if (inherited !== undefined) guards.set(name, inherited);
  }
  return guards;
}

/** `cairn plan`: a guarded step says under which outcome it runs (`when`, printed by cli/decision-words.ts); the Condition decides only when the run reaches it. */
export function annotateBranches(def: Definition, planned: PlannedStep[]): PlannedStep[] {
  const guards = branchGuards(def);
  return planned.map((p) => {
    const g = guards.get(p.name);
    if (g === undefined) return p;
    return { ...p, when: g };
  });
}
