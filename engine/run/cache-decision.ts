import type { Fingerprint, BuiltFingerprint } from '../../contracts/fingerprint.js';
import { diffFingerprints } from '../../cache/fingerprint.js';
import type { Store } from '../../cache/store.js';
import type { ArtifactStore, LostFile } from '../../contracts/artifacts.js';
import type { CacheDecision, CacheReason, ControlStep, ForcedBy } from '../../contracts/cache-decision.js';
import type { RunOptions, SelectiveOptions } from '../../contracts/records.js';
import type { StepDef } from '../../contracts/definition.js';
import type { SideEffectCheck } from './side-effect-check.js';
import { downstreamOf, upstreamOf, type GraphInput } from '../definition/graph.js';

/**
 * The one place that decides whether a step runs or reuses an earlier execution, and why. `runStep` (a run) and
 * `planRun` (a dry run) both call `decideCache`; they differ only in what they know: a plan cannot fingerprint a step
 * whose upstream runs in the same invocation (it does not know the outputs yet), so it passes no fingerprint there.
 *
 * Order: a reason to run that needs no fingerprint (control step, --no-cache / --rerun, CacheConfig.Enabled=false,
 * a step type that is never cached) comes first; then the cache is looked up. A reuse is a reuse even when upstream
 * steps ran (their outputs may be the same as before); any other reason to run is reported as "upstream will run"
 * when a step it depends on runs in this invocation, since that is the cause a reader can act on — except a lost
 * output, which is said as it is (the store, not the upstream, is the cause).
 *
 * Before a hit is reused, the query's `verify` checks the recorded outputs of the execution it would reuse (the same
 * function for a plan and a run); a missing or damaged file makes the step run with `output-lost`. A resume hands
 * in `lostOnResume` for a step it did not keep because its own earlier outputs were lost.
 */
export interface CacheQuery {
  step: StepDef;
  /** False for executors whose results are never reused (`executor.cacheable === false`). */
  cacheable: boolean;
  /** For Condition and Fail steps: what the engine will do with them. */
  control?: ControlStep;
  /** Steps in the step's dependsOn that run (not reuse) in this invocation. */
  upstreamRunning: readonly string[];
  forced: ForcedSteps;
  /** Undefined when it cannot be known (a plan, with upstream steps that will run); `pendingImage`: not pulled yet. */
  fingerprint: BuiltFingerprint | { pendingImage: string } | undefined;
  pipeline: string;
  run: { runId: string; startedAt: number };
  now: number;
  store: Pick<Store, 'findCacheEntry' | 'getStep' | 'previousFingerprint'>;
  /** The lost files of an execution's recorded outputs (none: all intact); see `outputVerifier`. */
  verify: OutputVerifier;
  /** What the execution to reuse read and wrote through the S3 endpoint, checked after `verify` (side-effect-check.ts). */
  sideEffects?: SideEffectCheck;
  /** A resume: this step succeeded earlier in the run, but a file of its outputs is lost (so it was not kept). */
  lostOnResume?: OutputLoss;
}

export type OutputVerifier = (execution: { runId: string; step: string }) => Promise<LostFile[]>;

/** A lost file of the outputs of run `sourceRun`'s execution of a step. */
export interface OutputLoss {
  sourceRun: string;
  lost: LostFile;
}

/**
 * A decision, and for a reuse the execution reused; `lost`: every lost file behind an `output-lost` decision, and
 * `lostFrom` the execution whose outputs they were (its destinations are restored once the step has run again).
 */
export interface CacheVerdict {
  decision: CacheDecision;
  source?: { runId: string; step: string };
  lost?: LostFile[];
  lostFrom?: { runId: string; step: string };
}

/** Steps that must run even when a cached execution matches, and why (`--no-cache`, or `--rerun` and downstream). */
export type ForcedSteps = ReadonlyMap<string, ForcedBy>;

/** The forced steps of a run or plan with these options: built here only. */
export function forcedSteps(def: GraphInput, options: Pick<RunOptions, 'noCache' | 'rerun'>): ForcedSteps {
  if (options.noCache) return new Map(def.steps.map((s) => [s.name, { by: 'no-cache' }]));
  const rerun = [...options.rerun];
  return new Map([...downstreamOf(def, rerun)].map((n) => [n, { by: 'rerun', steps: rerun }]));
}

export async function decideCache(q: CacheQuery): Promise<CacheVerdict> {
  const key = q.fingerprint !== undefined && 'key' in q.fingerprint ? q.fingerprint.key : undefined;
  const run = (reason: CacheReason): CacheVerdict => {
    const upstream = q.upstreamRunning.length > 0 && reason.kind !== 'output-lost' && reason.kind !== 'side-read-changed';
    const r: CacheReason = upstream ? { kind: 'upstream-will-run', steps: [...q.upstreamRunning] } : reason;
    return { decision: { action: 'run', reason: r, ...(key !== undefined ? { fingerprintKey: key } : {}) } };
  };
  if (q.control !== undefined) return run({ kind: 'control-step', control: q.control });
  if (q.lostOnResume !== undefined) {
    return { ...run(lostReason(q.lostOnResume.sourceRun, q.lostOnResume.lost)), lostFrom: { runId: q.lostOnResume.sourceRun, step: q.step.name } };
  }
  const forced = q.forced.get(q.step.name);
  if (forced !== undefined) return run({ kind: 'forced', forced });
  if (q.step.cacheConfig?.enabled === false) return run({ kind: 'cache-disabled' });
  if (!q.cacheable) return run({ kind: 'never-cached', stepType: q.step.type });
  if (q.fingerprint === undefined) {
    if (q.upstreamRunning.length === 0) throw new Error(`bug: step "${q.step.name}" has no fingerprint to decide with`);
    return run({ kind: 'upstream-will-run', steps: [...q.upstreamRunning] });
  }
  if (!('key' in q.fingerprint)) return run({ kind: 'image-not-pulled', image: q.fingerprint.pendingImage });
  return lookUp(q, q.fingerprint, run);
}

async function lookUp(q: CacheQuery, fp: BuiltFingerprint, run: (r: CacheReason) => CacheVerdict): Promise<CacheVerdict> {
  const expireAfterMs = q.step.cacheConfig?.expireAfterMs;
  const hit = q.store.findCacheEntry(fp.key, expireAfterMs === undefined ? 0 : q.now - expireAfterMs);
  if (hit !== undefined) {
    if (q.store.getStep(hit.runId, hit.step)?.properties === undefined) return run({ kind: 'source-lacks-properties', sourceRun: hit.runId });
    const lost = await q.verify({ runId: hit.runId, step: hit.step });
    const first = lost[0];
    if (first !== undefined) return { ...run(lostReason(hit.runId, first)), lost, lostFrom: { runId: hit.runId, step: hit.step } };
    const side = await q.sideEffects?.({ runId: hit.runId, step: hit.step });
    if (side !== undefined) return { ...run(side.reason), ...(side.lost !== undefined ? { lost: side.lost } : {}) };
    return {
      decision: { action: 'reuse', reason: { kind: 'same-fingerprint', sourceRun: hit.runId, createdAt: hit.createdAt }, fingerprintKey: fp.key },
      source: { runId: hit.runId, step: hit.step },
    };
  }
  const stale = expireAfterMs === undefined ? undefined : q.store.findCacheEntry(fp.key, 0);
  if (stale !== undefined && expireAfterMs !== undefined) {
    return run({ kind: 'expired', sourceRun: stale.runId, createdAt: stale.createdAt, expireAfterMs });
  }
  const prev = q.store.previousFingerprint(q.pipeline, q.step.name, q.run);
  if (prev === undefined) return run({ kind: 'no-earlier-execution' });
  const paths = diffFingerprints(JSON.parse(prev.fingerprint) as Fingerprint, fp.fingerprint).map((c) => c.path);
  return run(paths.length === 0 ? { kind: 'not-cached-before', sinceRun: prev.runId } : { kind: 'fingerprint-changed', sinceRun: prev.runId, paths });
}

function lostReason(sourceRun: string, lost: LostFile): CacheReason {
  return { kind: 'output-lost', sourceRun, output: lost.output, file: lost.file, state: lost.state };
}

/** The verifier a run and a plan both hand to the decision: the artifact store's check of the recorded outputs. */
export function outputVerifier(services: { store: Pick<Store, 'getOutputs'>; artifacts: Pick<ArtifactStore, 'verifyOutputs'> }): OutputVerifier {
  return ({ runId, step }) => services.artifacts.verifyOutputs(services.store.getOutputs(runId, step));
}

/** A selective run's selection and what it reuses from the reference run, worked out once per invocation. */
export interface SelectionScope {
  selected: ReadonlySet<string>;
  /** The selected steps and everything upstream of them. */
  upstream: ReadonlySet<string>;
  fromRun?: string;
}

export function selectionScope(def: GraphInput, selective: SelectiveOptions | undefined): SelectionScope | undefined {
  if (selective === undefined) return undefined;
  return {
    selected: new Set(selective.steps), upstream: upstreamOf(def, selective.steps),
    ...(selective.fromRun !== undefined ? { fromRun: selective.fromRun } : {}),
  };
}

/** A selective run: steps outside the selection are reused from the reference run or not run; undefined: selected. */
export function selectionDecision(scope: SelectionScope | undefined, name: string): CacheDecision | undefined {
  if (scope === undefined || scope.selected.has(name)) return undefined;
  if (!scope.upstream.has(name)) return { action: 'not-run', reason: { kind: 'selected-out' } };
  return { action: 'reuse', reason: { kind: 'reference-run', sourceRun: scope.fromRun ?? '?' } };
}
