import { buildFingerprint } from '../../cache/fingerprint.js';
import { recordStepWarning } from '../../cache/step-warnings.js';
import type { RecordedOutput } from '../../contracts/artifacts.js';
import { containerLabels } from '../../containers/labels.js';
import type { StepContext } from '../../contracts/executor.js';
import { stepFailure, type StepFailure } from '../../contracts/step-failure.js';
import { decideCache, outputVerifier, type OutputLoss } from './cache-decision.js';
import { sagemakerKey } from './cache-rules.js';
import { runControlStep } from './control-steps.js';
import { resolveValue } from '../definition/expressions.js';
import type { StepDef } from '../../contracts/definition.js';
import { expressionContext } from './property-files.js';
import type { RunContext } from './run-context.js';
import { runAttempts } from './step-attempt.js';
import { sideEffectCheck } from './side-effect-check.js';
import { replaySideWrites } from './side-write-replay.js';
import { StepLifecycle } from './step-lifecycle.js';
import type { TaskOutcome } from './scheduler.js';

/**
 * Runs one step of a run: resolve its arguments, fingerprint, decide (run or reuse), reuse or run a container, record.
 * A reuse first puts the reused outputs' destinations back from the content store where they were changed; a run
 * because outputs were lost first drops their damaged blobs, so its commit stores the bytes anew.
 * `lostOnResume`: a resume did not keep the step, whose earlier outputs in this run were lost.
 */
export async function runStep(rc: RunContext, step: StepDef, lostOnResume?: OutputLoss): Promise<TaskOutcome> {
  const { store, artifacts } = rc.services;
  const runId = rc.run.runId;
  const life = new StepLifecycle(rc, step.name);

  const control = await runControlStep(rc, step, life);
  if (control !== undefined) return control;
  const executor = rc.services.executors.get(step.type);
  if (executor === undefined) {
    return life.fail(stepFailure('invalid-arguments', { field: 'Type', message: `step type "${step.type}" cannot run locally yet` }));
  }
  const resolved = resolveArguments(rc, step);
  if (!resolved.ok) return life.fail(resolved.error);

  const attempt = store.getAttempts(runId, step.name).length + 1;
  const ctx = stepContext(rc, step, attempt, upstreamOutputs(rc, step));
  const prepared = await executor.prepare(resolved.value, ctx, { pull: true });
  if (!prepared.ok) return life.fail(prepared.error);
  const fp = buildFingerprint(step.type, prepared.value.fingerprint);
  const cacheable = step.cacheConfig?.enabled !== false && executor.cacheable !== false;
  const smKey = sagemakerKey(rc.run.pipeline, step, resolved.value);

  const verdict = await decideCache({
    step, cacheable: executor.cacheable !== false, upstreamRunning: upstreamRunning(rc, step), forced: rc.forced,
    fingerprint: fp, pipeline: rc.run.pipeline, run: rc.run, now: Date.now(), store, verify: outputVerifier(rc.services),
    sideEffects: sideEffectCheck(rc.services),
    ...(rc.run.options.cache !== undefined ? { mode: rc.run.options.cache } : {}), ...(smKey !== undefined ? { sagemakerKey: smKey } : {}),
    ...(lostOnResume !== undefined ? { lostOnResume } : {}),
  });
  const { source } = verdict;
  if (source !== undefined) {
    const properties = store.getStep(source.runId, source.step)?.properties;
    if (properties === undefined) throw new Error(`bug: cache source ${source.runId}/${source.step} has no properties`);
    const outputs = store.getOutputs(source.runId, source.step);
    const restored = await artifacts.restoreDestinations(outputs);
    if (!restored.ok) return life.fail(restored.error);
    if (restored.value.length > 0) rc.log.info({ step: step.name, restored: restored.value }, 'output destinations restored from the content store');
    const replayed = await replaySideWrites(rc, source);
    if (!replayed.ok) return life.fail(replayed.error);
    return life.reuse({ fingerprintKey: fp.key, fingerprint: fp.canonical, properties, outputs }, source.runId,
      { announce: true, decision: verdict.decision });
  }
  if (verdict.lost !== undefined) await artifacts.discardDamaged(verdict.lost);
  life.decided(verdict.decision, fp);
  if (rc.signal.aborted) return life.fail(stepFailure('stopped', { when: 'before-start' }));
  // Attempts under the step's RetryPolicies; each retry gets a fresh context (its own attempt number and directory).
  const att = await runAttempts(rc, step, executor, prepared.value, life,
    (n) => (n === 1 ? ctx : stepContext(rc, step, store.getAttempts(runId, step.name).length + 1, ctx.upstreamOutputs)), fp.key);
  const result = att.result;
  if (!result.ok) return life.fail(result.error, att.attempt);
  if (verdict.lostFrom !== undefined) await restoreLostFrom(rc, step, verdict.lostFrom);
  return life.succeed(
    {
      fingerprintKey: fp.key, fingerprint: fp.canonical, properties: result.value.properties, outputs: result.value.outputs,
      ...(smKey !== undefined ? { sagemakerKey: smKey } : {}),
    },
    { attempt: att.attempt, cacheable },
  );
}

/**
 * After a step ran again because the outputs of an earlier execution were lost, that execution's destinations in the
 * s3/ view still hold the damaged files (hard links of the damaged blob): put them back from the re-created blobs.
 * Best effort: a file the re-run did not re-create (other bytes this time) stays as it is, and is logged.
 */
async function restoreLostFrom(rc: RunContext, step: StepDef, from: { runId: string; step: string }): Promise<void> {
  const restored = await rc.services.artifacts.restoreDestinations(rc.services.store.getOutputs(from.runId, from.step));
  if (restored.ok) {
    if (restored.value.length > 0) rc.log.info({ step: step.name, from, restored: restored.value }, 'lost output destinations restored');
  } else rc.log.warn({ step: step.name, from, problem: restored.error }, 'lost output destinations not all restored');
}

/** The steps this step depends on that ran (not reused) in this invocation. */
export function upstreamRunning(rc: Pick<RunContext, 'decisions'>, step: StepDef): string[] {
  return step.dependsOn.filter((d) => rc.decisions.get(d)?.action === 'run');
}

export function resolveArguments(rc: Pick<RunContext, 'run' | 'properties' | 'outputs' | 'definition' | 'services'>, step: StepDef) {
  const r = resolveValue(step.arguments, expressionContext(rc));
  if (r.ok) return r;
  const failure: StepFailure = stepFailure('expression', { field: r.error.path, message: `${r.error.path}: ${r.error.message}` });
  return { ok: false as const, error: failure };
}

/** Outputs recorded by every (transitive) upstream step of this run. */
export function upstreamOutputs(rc: Pick<RunContext, 'upstream' | 'outputs'>, step: StepDef): RecordedOutput[] {
  return rc.upstream(step.name).flatMap((u) => rc.outputs.get(u) ?? []);
}

export function stepContext(rc: RunContext, step: StepDef, attempt: number, upstream: RecordedOutput[]): StepContext {
  const { home } = rc.services;
  return {
    runId: rc.run.runId,
    pipelineName: rc.run.pipeline,
    executionId: rc.run.execution.PipelineExecutionId ?? rc.run.runId,
    stepName: step.name,
    stepType: step.type,
    step,
    forced: rc.forced.has(step.name),
    attempt,
    attemptDir: home.attemptDir(rc.run.runId, step.name, attempt),
    labels: containerLabels({ home: home.root, runId: rc.run.runId, step: step.name, attempt }),
    runtime: rc.services.runtime,
    artifacts: rc.services.artifacts,
    images: rc.images,
    upstreamOutputs: upstream,
    upstreamProperties: rc.upstream(step.name).flatMap((u) => { const p = rc.properties.get(u); return p === undefined ? [] : [p]; }),
    signal: rc.signal,
    onLine: () => undefined,
    onContainer: () => undefined,
    onPullProgress: (image, progress) => rc.emit({ type: 'pull', runId: rc.run.runId, step: step.name, image, progress }),
    onMetric: () => undefined,
    onNotice: (message) => rc.emit({ type: 'notice', runId: rc.run.runId, step: step.name, message, at: Date.now() }),
    onWarning: (warning) => {
      try {
        recordStepWarning(home.attemptDir(rc.run.runId, step.name, attempt), warning);
      } catch (e) {
        rc.log.warn({ step: step.name, warning, problem: (e as Error).message }, 'step warning not recorded');
      }
      rc.emit({ type: 'warning', runId: rc.run.runId, step: step.name, warning, at: Date.now() });
    },
    log: rc.log.child({ step: step.name }),
  };
}
