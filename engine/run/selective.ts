import type { RecordedOutput } from '../../contracts/artifacts.js';
import type { Store } from '../../cache/store.js';
import type { RunRecord, SelectiveOptions, StepRecord } from '../../contracts/records.js';
import { buildGraph, downstreamOf, nodeId, topologicalOrder, upstreamOf, type GraphInput } from '../definition/graph.js';
import type { JsonObject } from '../../kernel/json.js';
import type { StepDef } from '../../contracts/definition.js';
import { err, ok, type Result } from '../../kernel/result.js';
import { selectionDecision } from './cache-decision.js';
import type { RunContext } from './run-context.js';
import { StepLifecycle } from './step-lifecycle.js';

/**
 * Selective execution, as SageMaker's `SelectiveExecutionConfig` (StartPipelineExecution) does it:
 * - the selected steps must be connected in the DAG, and every step on a path between two selected steps must be
 *   selected too ("All step(s) in all path(s) between two selected steps should be included");
 * - steps upstream of the selection are not run: their outputs and properties are reused from a reference execution
 *   of the same pipeline, whose status must be Failed or Succeeded (SageMaker: "can be either Failed or Success");
 * - without a reference, SageMaker uses the pipeline's latest execution; cairn uses the newest failed or succeeded run
 *   of the pipeline in which every needed upstream step succeeded, and says which;
 * - steps that are neither selected nor upstream of the selection (downstream ones included) do not run: `not-run`.
 * The definition may differ from the reference run's (that is the point: change a step, run it again), but every
 * upstream step must exist in the reference run with the same name and type, and have succeeded there.
 */
export interface SelectionPlan {
  selective: SelectiveOptions;
  /** Steps upstream of the selection, whose results come from the reference run (file order). */
  reused: string[];
  /** True when the reference run was chosen by cairn (no `--from-run`). */
  picked: boolean;
}

type StoreReader = Pick<Store, 'getRun' | 'getSteps' | 'listRuns'>;

/** Validates `--steps` (and `--from-run`) against the definition and the store; every problem as a complete sentence. */
export function resolveSelection(
  store: StoreReader, def: { steps: readonly Pick<StepDef, 'name' | 'type' | 'dependsOn' | 'branchOf'>[] }, pipeline: string,
  steps: readonly string[], fromRun: string | undefined,
): Result<SelectionPlan, string[]> {
  const checked = checkSelection(def, steps);
  if (!checked.ok) return checked;
  const { ordered, reused } = checked.value;
  const types = new Map(def.steps.map((s) => [s.name, s.type]));

  if (fromRun !== undefined) {
    const run = store.getRun(fromRun);
    if (run === undefined) return err([`--from-run: there is no run "${fromRun}" in this cairn home (see \`cairn runs\`).`]);
    const problems = referenceProblems(run, store.getSteps(fromRun), pipeline, reused, types);
    if (problems.length > 0) return err(problems.map((p) => `--from-run ${fromRun}: ${p}`));
    return ok({ selective: { steps: ordered, fromRun }, reused, picked: false });
  }
  if (reused.length === 0) return ok({ selective: { steps: ordered }, reused, picked: false });
  for (const run of store.listRuns()) {
    if (run.pipeline !== pipeline) continue;
    if (referenceProblems(run, store.getSteps(run.runId), pipeline, reused, types).length === 0) {
      return ok({ selective: { steps: ordered, fromRun: run.runId }, reused, picked: true });
    }
  }
  return err([
    `--steps ${ordered.join(',')}: no failed or succeeded run of pipeline "${pipeline}" has ${reused.length === 1 ? 'the upstream step' : 'all the upstream steps'} ${quote(reused)} succeeded, so there is nothing to reuse; run the pipeline first, or name a reference run with --from-run.`,
  ]);
}

/**
 * The definition-only part of the rules (no store): the names exist, at least one is given, and the selection is
 * connected with every step between two selected steps selected. `ordered`: the selection in topological order;
 * `reused`: the steps upstream of it, whose results come from a reference run or execution.
 */
export function checkSelection(
  def: { steps: readonly Pick<StepDef, 'name' | 'dependsOn' | 'branchOf'>[] }, steps: readonly string[],
): Result<{ ordered: string[]; reused: string[] }, string[]> {
  const names = new Set(def.steps.map((s) => s.name));
  const selected = [...new Set(steps)];
  const unknown = selected.filter((s) => !names.has(s));
  if (unknown.length > 0) return err([`--steps names step(s) that the definition does not have: ${quote(unknown)}.`]);
  if (selected.length === 0) return err(['--steps needs at least one step name.']);
  const shape = checkConnected(def, selected);
  if (!shape.ok) return err([shape.error]);
  const chosen = new Set(selected);
  const reused = [...upstreamOf(def, selected)].filter((n) => !chosen.has(n));
  return ok({ ordered: topologicalOrder(def).filter((n) => chosen.has(n)), reused });
}

function referenceProblems(
  run: RunRecord, recorded: StepRecord[], pipeline: string, reused: string[], types: Map<string, string>,
): string[] {
  if (run.pipeline !== pipeline) return [`it is a run of pipeline "${run.pipeline}", not of "${pipeline}"; a reference run must be of the same pipeline.`];
  if (run.status !== 'succeeded' && run.status !== 'failed') {
    return [`it is ${run.status}; as in SageMaker, the reference run must have failed or succeeded (resume it first, or choose another run).`];
  }
  const byName = new Map(recorded.map((s) => [s.name, s]));
  const problems: string[] = [];
  for (const name of reused) {
    const s = byName.get(name);
    if (s === undefined) problems.push(`it has no step "${name}", which is upstream of the selected steps.`);
    else if (s.type !== types.get(name)) problems.push(`its step "${name}" is a ${s.type} step, but the definition's is a ${types.get(name) ?? '?'} step.`);
    else if (s.status !== 'succeeded' || s.properties === undefined) problems.push(`its step "${name}", which is upstream of the selected steps, did not succeed (${s.status}).`);
  }
  return problems;
}

/** SageMaker's rule: selected steps form one connected piece, and every path between two of them stays inside it. */
function checkConnected(def: GraphInput, selected: string[]): Result<void, string> {
  const chosen = new Set(selected);
  const down = downstreamOf(def, selected);
  const up = upstreamOf(def, selected);
  const between = [...down].filter((n) => up.has(n) && !chosen.has(n));
  if (between.length > 0) {
    return err(`--steps: ${quote(between)} ${between.length === 1 ? 'lies' : 'lie'} on a path between selected steps but ${between.length === 1 ? 'is' : 'are'} not selected; as in SageMaker, every step on a path between two selected steps must be selected (add ${quote(between)}).`);
  }
  const g = buildGraph(def);
  const seen = new Set<string>();
  const stack = [selected[0] as string];
  while (stack.length > 0) {
    const at = stack.pop() as string;
    if (seen.has(at)) continue;
    seen.add(at);
    const near = [...(g.successors(nodeId(at)) ?? []), ...(g.predecessors(nodeId(at)) ?? [])].map((id) => g.node(id) as string);
    stack.push(...near.filter((n) => chosen.has(n)));
  }
  const apart = selected.filter((n) => !seen.has(n));
  if (apart.length > 0) {
    return err(`--steps: the selected steps are not connected (${quote([...seen])} and ${quote(apart)} share no dependency); as in SageMaker, select steps that are connected in the pipeline's graph.`);
  }
  return ok(undefined);
}

/** The steps a selective run schedules: the selection and the upstream steps reused for it. Undefined: every step. */
export function scheduledSteps(def: GraphInput, selective: SelectiveOptions | undefined): Set<string> | undefined {
  return selective === undefined ? undefined : upstreamOf(def, selective.steps);
}

/**
 * Records, in a fresh selective run, each upstream step as succeeded with the reference run's outputs and
 * properties (reused, reusedFrom = the reference run), as a cache hit is recorded, and the decision of every step
 * outside the selection (engine/run/cache-decision.ts `selectionDecision`).
 */
export function recordSelection(rc: RunContext, selective: SelectiveOptions): void {
  const { store } = rc.services;
  const from = selective.fromRun;
  const recorded = new Map(from === undefined ? [] : store.getSteps(from).map((s) => [s.name, s]));
  store.transaction(() => {
    for (const step of rc.definition.steps) {
      const decision = selectionDecision(rc.selection, step.name);
      if (decision === undefined) continue;
      const life = new StepLifecycle(rc, step.name);
      life.decided(decision);
      if (decision.action !== 'reuse') continue;
      const s = recorded.get(step.name);
      if (s?.properties === undefined || from === undefined) throw new Error(`bug: reference step "${step.name}" of run ${from ?? '?'} has no properties`);
      life.reuse({
        fingerprintKey: s.fingerprintKey ?? '', fingerprint: s.fingerprint ?? '', properties: s.properties, outputs: store.getOutputs(from, step.name),
      }, from, { announce: false });
    }
  });
}

function quote(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/** `plan`: loads the reference run's properties and outputs of a step reused from it (a selective run). */
export function loadReferenceStep(
  store: Pick<Store, 'getStep' | 'getOutputs'>, from: string, name: string,
  into: { properties: Map<string, JsonObject>; outputs: Map<string, RecordedOutput[]> },
): void {
  const s = store.getStep(from, name);
  if (s?.properties !== undefined) into.properties.set(name, s.properties);
  into.outputs.set(name, store.getOutputs(from, name));
}
