import pino from 'pino';
import { sideEffectCheck } from './side-effect-check.js';
import { buildFingerprint } from '../../cache/fingerprint.js';
import type { CacheDecision } from '../../contracts/cache-decision.js';
import type { RunOptions, RunRecord } from '../../contracts/records.js';
import { annotateBranches } from './branches.js';
import { decideCache, forcedSteps, outputVerifier, selectionDecision, type CacheQuery } from './cache-decision.js';
import { sagemakerKey } from './cache-rules.js';
import type { PlanBlocker, PlannedStep } from './planned-step.js';
import { controlStep } from './control-steps.js';
import { executionVariables } from '../definition/execution-vars.js';
import { topologicalOrder } from '../definition/graph.js';
import type { Definition, ParameterValue, StepDef } from '../../contracts/definition.js';
import type { StepFailure } from '../../contracts/step-failure.js';
import { newRunContext, type RunContext, type Services } from './run-context.js';
import { loadReferenceStep } from './selective.js';
import { checkImages, type ImageCheck } from './step-images.js';
import { stepOversubscription } from './plan-capacity.js';
import { resolveArguments, stepContext, upstreamOutputs } from './step-runner.js';

/**
 * A dry run: validates, resolves, and says per step "reuse" or "run" and why, with the decision a run would make
 * (engine/run/cache-decision.ts), in the definition's topological order. Starts no container and writes nothing.
 */
export async function planRun(
  services: Services, definition: Definition, pipeline: string, parameters: Record<string, ParameterValue>, options: RunOptions,
): Promise<PlannedStep[]> {
  const runId = 'plan';
  const run: RunRecord = {
    runId, pipeline, definitionFile: definition.file, definition: '', parameters, options, status: 'running',
    startedAt: Date.now(), execution: executionVariables(pipeline, runId, Date.now()),
  };
  const rc = newRunContext({
    services, run, definition, signal: new AbortController().signal, emit: () => undefined,
    log: pino({ level: 'silent' }), forced: forcedSteps(definition, options),
  });
  const images = new Map((await checkImages(services.images, definition, parameters, run.execution)).map((c) => [c.step, c]));
  const byName = new Map(definition.steps.map((s) => [s.name, s]));
  const planned = new Map<string, PlannedStep>();
  for (const name of topologicalOrder(definition)) {
    const step = byName.get(name)!;
    const p = await planStep(rc, step, images.get(name), planned);
    const oversubscribed = await stepOversubscription(rc, step);
    planned.set(name, oversubscribed === undefined ? p : { ...p, oversubscribed });
    if (p.decision !== undefined) rc.decisions.set(name, p.decision);
  }
  return annotateBranches(definition, topologicalOrder(definition).map((n) => planned.get(n)!));
}

async function planStep(rc: RunContext, step: StepDef, image: ImageCheck | undefined, planned: Map<string, PlannedStep>): Promise<PlannedStep> {
  const { store } = rc.services;
  const base = { name: step.name, type: step.type, ...(image ? { image } : {}) };
  const decided = (decision: CacheDecision, reusedFrom?: string): PlannedStep =>
    ({ ...base, action: decision.action, decision, ...(reusedFrom !== undefined ? { reusedFrom } : {}) });
  const blocked = (first: PlanBlocker, ...more: PlanBlocker[]): PlannedStep =>
    ({ ...base, action: 'blocked', blocker: first, ...(more.length > 0 ? { problems: [first, ...more] } : {}) });

  const selected = selectionDecision(rc.selection, step.name);
  if (selected !== undefined) {
    if (selected.reason.kind !== 'reference-run') return decided(selected);
    loadReferenceStep(store, selected.reason.sourceRun, step.name, rc);
    return decided(selected, selected.reason.sourceRun);
  }
  const imageBlocker: PlanBlocker[] = image?.status === 'missing' ? [{ kind: 'image', uri: image.uri, ...(image.problem ? { problem: image.problem } : {}) }] : [];
  const waits = step.dependsOn.filter((d) => planned.get(d)?.action === 'blocked');
  if (waits.length > 0) return blockedBy(blocked, [...imageBlocker, { kind: 'waits-on', steps: waits }]);
  const upstreamRunning = step.dependsOn.filter((d) => planned.get(d)?.action !== 'reuse');
  const query: Omit<CacheQuery, 'cacheable' | 'fingerprint'> = {
    step, upstreamRunning, forced: rc.forced, pipeline: rc.run.pipeline, run: rc.run, now: Date.now(), store,
    verify: outputVerifier(rc.services), sideEffects: sideEffectCheck(rc.services), ...(rc.run.options.cache !== undefined ? { mode: rc.run.options.cache } : {}),
  };
  const control = controlStep(rc, step);
  const executor = rc.services.executors.get(step.type);
  // Upstream steps that run: their outputs (so this step's fingerprint) are not known before they do.
  if (control !== undefined || upstreamRunning.length > 0) {
    if (imageBlocker[0] !== undefined) return blocked(imageBlocker[0]);
    const cacheable = control === undefined && executor?.cacheable !== false;
    return decided((await decideCache({ ...query, cacheable, fingerprint: undefined, ...(control ? { control } : {}) })).decision);
  }
  if (executor === undefined) return blockedBy(blocked, [...imageBlocker, { kind: 'unsupported-type', stepType: step.type }]);
  const args = resolveArguments(rc, step);
  if (!args.ok) return blockedBy(blocked, [...imageBlocker, { kind: 'failure', failure: args.error }]);
  // Every problem preparation finds (image, inputs, code, Lambda mapping), not only the first: `onProblem` goes on.
  const problems: StepFailure[] = [];
  const ctx = { ...stepContext(rc, step, 1, upstreamOutputs(rc, step)), onProblem: (f: StepFailure) => { problems.push(f); } };
  const prepared = await executor.prepare(args.value, ctx, { pull: false });
  if (!prepared.ok && !problems.includes(prepared.error)) problems.push(prepared.error);
  const found: PlanBlocker[] = [
    ...imageBlocker,
    ...problems.filter((f) => imageBlocker.length === 0 || f.reason !== 'image-missing').map((failure) => ({ kind: 'failure' as const, failure })),
  ];
  if (found.length > 0) return blockedBy(blocked, found);
  if (!prepared.ok) throw new Error(`bug: step "${step.name}" failed to prepare with no problem reported`);
  const parts = prepared.value.fingerprint;
  const fingerprint = parts.image.id === '' ? { pendingImage: parts.image.uri } : buildFingerprint(step.type, parts);
  const smKey = sagemakerKey(rc.run.pipeline, step, args.value);
  const verdict = await decideCache({ ...query, cacheable: executor.cacheable !== false, fingerprint, ...(smKey !== undefined ? { sagemakerKey: smKey } : {}) });
  if (verdict.source === undefined) return decided(verdict.decision);
  const { source } = verdict;
  const s = store.getStep(source.runId, source.step);
  if (s?.properties !== undefined) rc.properties.set(step.name, s.properties);
  rc.outputs.set(step.name, store.getOutputs(source.runId, source.step));
  return decided(verdict.decision, source.runId);
}

/** The step blocked by every problem in `list` (at least one). */
function blockedBy(blocked: (first: PlanBlocker, ...more: PlanBlocker[]) => PlannedStep, list: PlanBlocker[]): PlannedStep {
  const [first, ...more] = list;
  if (first === undefined) throw new Error('bug: a blocked step with no problem');
  return blocked(first, ...more);
}
