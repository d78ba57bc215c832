import pino from 'pino';
import { sideEffectCheck } from './side-effect-check.js';
import { buildFingerprint } from '../../cache/fingerprint.js';
import type { CacheDecision } from '../../contracts/cache-decision.js';
import type { RunOptions, RunRecord } from '../../contracts/records.js';
import { annotateBranches } from './branches.js';
import { decideCache, forcedSteps, outputVerifier, selectionDecision, type CacheQuery } from './cache-decision.js';
import type { PlanBlocker, PlannedStep } from './planned-step.js';
import { controlStep } from './control-steps.js';
import { executionVariables } from '../definition/execution-vars.js';
import { topologicalOrder } from '../definition/graph.js';
import type { Definition, ParameterValue, StepDef } from '../../contracts/definition.js';
import { newRunContext, type RunContext, type Services } from './run-context.js';
import { loadReferenceStep } from './selective.js';
import { checkImages, type ImageCheck } from './step-images.js';
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
    planned.set(name, p);
    if (p.decision !== undefined) rc.decisions.set(name, p.decision);
  }
  return annotateBranches(definition, topologicalOrder(definition).map((n) => planned.get(n)!));
}

async function planStep(rc: RunContext, step: StepDef, image: ImageCheck | undefined, planned: Map<string, PlannedStep>): Promise<PlannedStep> {
  const { store } = rc.services;
  const base = { name: step.name, type: step.type, ...(image ? { image } : {}) };
  const decided = (decision: CacheDecision, reusedFrom?: string): PlannedStep =>
    ({ ...base, action: decision.action, decision, ...(reusedFrom !== undefined ? { reusedFrom } : {}) });
  const blocked = (blocker: PlanBlocker): PlannedStep => ({ ...base, action: 'blocked', blocker });

  const selected = selectionDecision(rc.selection, step.name);
  if (selected !== undefined) {
    if (selected.reason.kind !== 'reference-run') return decided(selected);
    loadReferenceStep(store, selected.reason.sourceRun, step.name, rc);
    return decided(selected, selected.reason.sourceRun);
  }
  if (image?.status === 'missing') return blocked({ kind: 'image', uri: image.uri, ...(image.problem ? { problem: image.problem } : {}) });
  const waits = step.dependsOn.filter((d) => planned.get(d)?.action === 'blocked');
  if (waits.length > 0) return blocked({ kind: 'waits-on', steps: waits });
  const upstreamRunning = step.dependsOn.filter((d) => planned.get(d)?.action !== 'reuse');
  const query: Omit<CacheQuery, 'cacheable' | 'fingerprint'> = {
    step, upstreamRunning, forced: rc.forced, pipeline: rc.run.pipeline, run: rc.run, now: Date.now(), store,
    verify: outputVerifier(rc.services), sideEffects: sideEffectCheck(rc.services),
  };
  const control = controlStep(rc, step);
  // Upstream steps that run: their outputs (so this step's fingerprint) are not known before they do.
  if (control !== undefined || upstreamRunning.length > 0) {
    return decided((await decideCache({ ...query, cacheable: false, fingerprint: undefined, ...(control ? { control } : {}) })).decision);
  }
  const executor = rc.services.executors.get(step.type);
  if (executor === undefined) return blocked({ kind: 'unsupported-type', stepType: step.type });
  const args = resolveArguments(rc, step);
  if (!args.ok) return blocked({ kind: 'failure', failure: args.error });
  const prepared = await executor.prepare(args.value, stepContext(rc, step, 1, upstreamOutputs(rc, step)), { pull: false });
  if (!prepared.ok) return blocked({ kind: 'failure', failure: prepared.error });
  const parts = prepared.value.fingerprint;
  const fingerprint = parts.image.id === '' ? { pendingImage: parts.image.uri } : buildFingerprint(step.type, parts);
  const verdict = await decideCache({ ...query, cacheable: executor.cacheable !== false, fingerprint });
  if (verdict.source === undefined) return decided(verdict.decision);
  const { source } = verdict;
  const s = store.getStep(source.runId, source.step);
  if (s?.properties !== undefined) rc.properties.set(step.name, s.properties);
  rc.outputs.set(step.name, store.getOutputs(source.runId, source.step));
  return decided(verdict.decision, source.runId);
}
