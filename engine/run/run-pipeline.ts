import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { acquireRunLock, releaseRunLock, type LockHeld } from '../../cache/run-lock.js';
import type { RunOptions, RunRecord, RunStatus } from '../../contracts/records.js';
import { executionVariables, newExecutionId } from '../definition/execution-vars.js';
import { topologicalOrder } from '../definition/graph.js';
import type { Definition, ParameterValue } from '../../contracts/definition.js';
import { err, ok, type Result } from '../../kernel/result.js';
import { newRunContext, type Services, type RunContext } from './run-context.js';
import { forcedSteps, type ForcedSteps } from './cache-decision.js';
import { keptSteps } from './kept-steps.js';
import { StepLifecycle } from './step-lifecycle.js';
import type { RunEventListener, SweepProblem } from '../../contracts/run-events.js';
import { markInterrupted, reconcile, removeRunContainers, removeRunNetworks } from './reconcile.js';
import { schedule, type TaskOutcome } from './scheduler.js';
import { schedulingUpstream } from './branches.js';
import { recordSelection, scheduledSteps } from './selective.js';
import { runStep } from './step-runner.js';
import { openRunS3 } from './run-s3.js';

export interface StartRunRequest {
  definition: Definition;
  /** Definition JSON text, stored with the run so a resume executes exactly what was started. */
  definitionText: string;
  pipeline: string;
  parameters: Record<string, ParameterValue>;
  options: RunOptions;
}

/** Why a run or resume did not start, as data (cli/render-refusal.ts has the words). */
export type RunRefusal =
  | { reason: 'locked'; runId: string; held: LockHeld }
  | { reason: 'unknown-run'; runId: string; home: string }
  /** `problem`: what the definition loader handed in (its own words, made in cli/). */
  | { reason: 'invalid-definition'; problem: string };

export interface Invocation {
  signal: AbortSignal;
  emit: RunEventListener;
  maxParallel: number;
}

export async function startRun(services: Services, req: StartRunRequest, inv: Invocation): Promise<Result<RunRecord, RunRefusal>> {
  const swept = await reconcile(services.store, services.runtime, services.home.root);
  const startedAt = Date.now();
  const runId = newExecutionId();
  const run: RunRecord = {
    runId, pipeline: req.pipeline, definitionFile: req.definition.file, definition: req.definitionText,
    parameters: req.parameters, execution: executionVariables(req.pipeline, runId, startedAt), options: req.options,
    status: 'running', startedAt,
  };
  services.store.createRun(run, req.definition.steps.map((s) => ({ name: s.name, type: s.type })));
  const lock = acquireRunLock(services.store, runId);
  if (!lock.ok) throw new Error(`fresh run ${runId} is locked by pid ${lock.error.owner.pid}`);
  // Into the database file now: a -wal file lost after a crash cannot take the run's record with it (only its progress).
  services.store.checkpoint();
  return ok(await execute(services, run, req.definition, forcedSteps(req.definition, req.options), false, inv, problems(swept.problem)));
}

export async function resumeRun(
  services: Services, runId: string, definition: (run: RunRecord) => Result<Definition, string>, inv: Invocation,
): Promise<Result<RunRecord, RunRefusal>> {
  const found = services.store.getRun(runId);
  if (found === undefined) return err({ reason: 'unknown-run', runId, home: services.home.root });
  const lock = acquireRunLock(services.store, runId);
  if (!lock.ok) {
    const h = lock.error;
    return err({ reason: 'locked', runId, held: h });
  }
  // We own the run now: anything still marked running, and any container of it, is left over from a dead process.
  markInterrupted(services.store, runId);
  const own = await removeRunContainers(services.runtime, runId);
  if (own === undefined) await removeRunNetworks(services.runtime, runId);
  const swept = await reconcile(services.store, services.runtime, services.home.root);
  const def = definition(found);
  if (!def.ok) {
    releaseRunLock(services.store, runId);
    return err({ reason: 'invalid-definition', problem: def.error });
  }
  const run = services.store.getRun(runId) as RunRecord;
  services.store.setRunStatus(runId, 'running');
  return ok(await execute(services, run, def.value, forcedSteps(def.value, run.options), true, inv, [...problems(own), ...problems(swept.problem)]));
}

const problems = (p: SweepProblem | undefined): SweepProblem[] => (p === undefined ? [] : [p]);

async function execute(
  services: Services, run: RunRecord, definition: Definition, forced: ForcedSteps, resumed: boolean, inv: Invocation,
  sweepProblems: SweepProblem[],
): Promise<RunRecord> {
  const { store } = services;
  const runDir = services.home.runDir(run.runId);
  mkdirSync(runDir, { recursive: true });
  const dest = pino.destination({ dest: join(runDir, 'cairn.log'), sync: true, mkdir: true });
  // The run log is a diagnostic: a write it cannot make (a full disk) must not end the run, whose records are in the store.
  dest.on('error', () => undefined);
  const log: Logger = pino({ base: { runId: run.runId } }, dest);
  // The run's S3 endpoint and network (closed in the `finally` below); without them containers get no S3.
  const s3 = await openRunS3(services, run.runId, log);
  if (!s3.ok) log.warn({ problem: s3.error }, 'no S3 endpoint for this run: its containers cannot reach S3');
  const rc: RunContext = newRunContext({
    services, run, definition, forced, signal: inv.signal, log, ...(s3.ok && s3.value !== undefined ? { s3: s3.value } : {}),
    emit: (e) => {
      if (e.type !== 'log' && e.type !== 'metric') log.debug({ event: e }, e.type);
      inv.emit(e);
    },
  });
  if (!resumed && run.options.selective !== undefined) recordSelection(rc, run.options.selective);
  const done = new Map<string, TaskOutcome>();
  const byName = new Map(definition.steps.map((s) => [s.name, s]));
  const steps = store.getSteps(run.runId);
  const { kept, lost, redecide } = await keptSteps(rc, steps);
  const keep = new Set(kept.map((s) => s.name));
  for (const s of steps) {
    if (keep.has(s.name) && s.properties !== undefined) {
      done.set(s.name, 'succeeded');
      new StepLifecycle(rc, s.name).carriedOver(s.properties, store.getOutputs(run.runId, s.name), resumed);
    } else if (s.status !== 'not-run' && !redecide.has(s.name)) {
      new StepLifecycle(rc, s.name).reset();
    }
  }
  rc.emit({ type: 'run-started', runId: run.runId, pipeline: run.pipeline, resumed, steps: definition.steps.map((s) => ({ name: s.name, type: s.type })), at: Date.now() });
  for (const problem of sweepProblems) {
    log.warn({ problem }, 'leftover containers not swept');
    rc.emit({ type: 'sweep-problem', runId: run.runId, problem, at: Date.now() });
  }
  for (const name of done.keys()) new StepLifecycle(rc, name).announceCarriedOver();
  log.info({ resumed, done: [...done.keys()] }, resumed ? 'run resumed' : 'run started');

  let status: RunStatus;
  const scope = scheduledSteps(definition, run.options.selective);
  const order = topologicalOrder(definition).filter((n) => scope === undefined || scope.has(n));
  try {
    const outcome = await schedule({
      order,
      upstream: (n) => schedulingUpstream(byName.get(n)),
      done,
      maxParallel: inv.maxParallel,
      signal: inv.signal,
      run: (n) => runStep(rc, byName.get(n)!, lost.get(n)),
    });
    const values = [...outcome.values()];
    if (values.includes('failed')) status = 'failed';
    else if (inv.signal.aborted || values.includes('stopped') || outcome.size < order.length) status = 'stopped';
    else status = 'succeeded';
  } catch (e) {
    log.error({ err: e }, 'internal error');
    store.setRunStatus(run.runId, 'failed', Date.now());
    releaseRunLock(store, run.runId);
    throw e;
  } finally {
    await rc.s3?.close();
  }
  store.setRunStatus(run.runId, status, Date.now());
  releaseRunLock(store, run.runId);
  store.checkpoint();
  rc.emit({ type: 'run-finished', runId: run.runId, status, at: Date.now() });
  log.info({ status }, 'run finished');
  log.flush();
  return store.getRun(run.runId) as RunRecord;
}
