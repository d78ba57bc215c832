import { buildFingerprint } from '../../cache/fingerprint.js';
import type { RecordedOutput } from '../../contracts/artifacts.js';
import type { ImageResolver } from '../../contracts/image-resolver.js';
import { containerLabels } from '../../containers/labels.js';
import { MemoImageResolver } from '../../containers/memo-image-resolver.js';
import type { StepContext } from '../../contracts/executor.js';
import { stepFailure, type StepFailure } from '../../contracts/step-failure.js';
import { runControlStep } from './control-steps.js';
import { resolveValue } from '../definition/expressions.js';
import { upstreamIndex } from '../definition/graph.js';
import type { Definition, StepDef } from '../../contracts/definition.js';
import { expressionContext } from './property-files.js';
import type { RunContext } from './run-context.js';
import { runAttempts } from './step-attempt.js';
import type { TaskOutcome } from './scheduler.js';

/** Runs one step of a run: resolve its arguments, fingerprint, reuse a cached execution or run a container, record. */
export async function runStep(rc: RunContext, step: StepDef): Promise<TaskOutcome> {
  const { store } = rc.services;
  const runId = rc.run.runId;
  const fail = (failure: StepFailure, attempt?: number): TaskOutcome => {
    const status = failure.reason === 'stopped' ? 'stopped' : 'failed';
    const exitCode = 'exitCode' in failure ? failure.exitCode : null;
    store.setStepStatus(runId, step.name, status, { failure, exitCode, endedAt: Date.now() });
    rc.emit({ type: 'step', runId, step: step.name, status, reused: false, failure, at: Date.now(), ...(attempt ? { attempt } : {}) });
    rc.log.warn({ step: step.name, failure }, 'step did not succeed');
    return status;
  };

  const control = runControlStep(rc, step);
  if (control !== undefined) return control;
  const executor = rc.services.executors.get(step.type);
  if (executor === undefined) {
    return fail(stepFailure('invalid-arguments', { field: 'Type', message: `step type "${step.type}" cannot run locally yet` }));
  }
  const resolved = resolveArguments(rc, step);
  if (!resolved.ok) return fail(resolved.error);

  const attempt = store.getAttempts(runId, step.name).length + 1;
  const ctx = stepContext(rc, step, attempt, upstreamOutputs(rc, step));
  const prepared = await executor.prepare(resolved.value, ctx, { pull: true });
  if (!prepared.ok) return fail(prepared.error);
  const fp = buildFingerprint(step.type, prepared.value.fingerprint);

  if (!rc.forced.has(step.name) && step.cacheConfig?.enabled !== false && executor.cacheable !== false) {
    const notBefore = step.cacheConfig?.expireAfterMs === undefined ? 0 : Date.now() - step.cacheConfig.expireAfterMs;
    const hit = store.findCacheEntry(fp.key, notBefore);
    const source = hit === undefined ? undefined : store.getStep(hit.runId, hit.step);
    if (hit !== undefined && source?.properties !== undefined) {
      const outputs = store.getOutputs(hit.runId, hit.step);
      store.commitStepSuccess(runId, step.name, {
        fingerprintKey: fp.key, fingerprint: fp.canonical, properties: source.properties,
        outputs, cacheable: true, reused: true, reusedFrom: hit.runId, endedAt: Date.now(),
      });
      rc.properties.set(step.name, source.properties);
      rc.outputs.set(step.name, outputs);
      rc.log.info({ step: step.name, from: hit.runId, key: fp.key }, 'reused cached execution');
      rc.emit({ type: 'step', runId, step: step.name, status: 'succeeded', reused: true, reusedFrom: hit.runId, at: Date.now() });
      return 'succeeded';
    }
  }

  // Not reused: record the fingerprint now, so `explain` has it even if the step then fails (a reuse records it on commit).
  store.setStepFingerprint(runId, step.name, fp.key, fp.canonical);
  if (rc.signal.aborted) return fail(stepFailure('stopped', { when: 'before-start' }));
  // Attempts under the step's RetryPolicies; each retry gets a fresh context (its own attempt number and directory).
  const att = await runAttempts(rc, step, executor, prepared.value,
    (n) => (n === 1 ? ctx : stepContext(rc, step, store.getAttempts(runId, step.name).length + 1, ctx.upstreamOutputs)), fp.key);
  const result = att.result;
  if (!result.ok) return fail(result.error, att.attempt);
  const endedAt = Date.now();
  store.transaction(() => {
    store.finishAttempt(runId, step.name, att.attempt, 'succeeded', endedAt);
    store.commitStepSuccess(runId, step.name, {
      fingerprintKey: fp.key, fingerprint: fp.canonical, properties: result.value.properties, outputs: result.value.outputs,
      cacheable: step.cacheConfig?.enabled !== false && executor.cacheable !== false, reused: false, endedAt,
    });
  });
  rc.properties.set(step.name, result.value.properties);
  rc.outputs.set(step.name, result.value.outputs);
  rc.log.info({ step: step.name, attempt: att.attempt }, 'step succeeded');
  rc.emit({ type: 'step', runId, step: step.name, status: 'succeeded', reused: false, attempt: att.attempt, at: endedAt });
  return 'succeeded';
}

export function resolveArguments(rc: Pick<RunContext, 'run' | 'properties' | 'outputs' | 'definition' | 'services'>, step: StepDef) {
  const r = resolveValue(step.arguments, expressionContext(rc));
  if (r.ok) return r;
  const failure: StepFailure = stepFailure('expression', { field: r.error.path, message: `${r.error.path}: ${r.error.message}` });
  return { ok: false as const, error: failure };
}

/** Outputs recorded by every (transitive) upstream step of this run. */
export function upstreamOutputs(rc: Pick<RunContext, 'definition' | 'outputs'>, step: StepDef): RecordedOutput[] {
  return upstreamNames(rc, step).flatMap((u) => rc.outputs.get(u) ?? []);
}

/** Names of every (transitive) upstream step. */
function upstreamNames(rc: Pick<RunContext, 'definition'>, step: StepDef): string[] {
  let index = upstreamIndexes.get(rc.definition);
  if (index === undefined) upstreamIndexes.set(rc.definition, (index = upstreamIndex(rc.definition)));
  return index(step.name);
}

/** One upstream index per definition (a loaded definition is never modified). */
const upstreamIndexes = new WeakMap<Definition, (name: string) => string[]>();

export function stepContext(rc: RunContext, step: StepDef, attempt: number, upstream: RecordedOutput[]): StepContext {
  const { home } = rc.services;
  return {
    runId: rc.run.runId,
    pipelineName: rc.run.pipeline,
    executionId: rc.run.execution.PipelineExecutionId ?? rc.run.runId,
    stepName: step.name,
    stepType: step.type,
    step,
    attempt,
    attemptDir: home.attemptDir(rc.run.runId, step.name, attempt),
    labels: containerLabels({ home: home.root, runId: rc.run.runId, step: step.name, attempt }),
    runtime: rc.services.runtime,
    artifacts: rc.services.artifacts,
    images: runImages(rc),
    upstreamOutputs: upstream,
    upstreamProperties: upstreamNames(rc, step).flatMap((u) => { const p = rc.properties.get(u); return p === undefined ? [] : [p]; }),
    signal: rc.signal,
    onLine: () => undefined,
    onContainer: () => undefined,
    onPullProgress: (image, progress) => rc.emit({ type: 'pull', runId: rc.run.runId, step: step.name, image, progress }),
    onMetric: () => undefined,
    onNotice: (message) => rc.emit({ type: 'notice', runId: rc.run.runId, step: step.name, message, at: Date.now() }),
    log: rc.log.child({ step: step.name }),
  };
}

/** Image resolutions are remembered for the run (one engine round trip per image, not per step). */
const imageResolvers = new WeakMap<RunContext, ImageResolver>();

function runImages(rc: RunContext): ImageResolver {
  let images = imageResolvers.get(rc);
  if (images === undefined) imageResolvers.set(rc, (images = new MemoImageResolver(rc.services.images)));
  return images;
}
