import type { RecordedOutput } from '../../contracts/artifacts.js';
import type { CacheDecision } from '../../contracts/cache-decision.js';
import type { AttemptRecord } from '../../contracts/records.js';
import type { RetryInfo } from '../../contracts/retry.js';
import type { RunEvent } from '../../contracts/run-events.js';
import type { StepFailure } from '../../contracts/step-failure.js';
import type { JsonObject } from '../../kernel/json.js';
import type { RunContext } from './run-context.js';
import type { TaskOutcome } from './scheduler.js';

/** What a succeeded (or reused) step leaves: its fingerprint, properties and outputs. */
export interface StepResult {
  fingerprintKey: string;
  fingerprint: string;
  properties: JsonObject;
  outputs: RecordedOutput[];
  /** SageMaker's cache key (engine/run/cache-rules.ts), recorded with an execution that ran. */
  sagemakerKey?: string;
}

/**
 * The one owner of a step's status in a run invocation: every transition (decision, start, attempt start, attempt
 * end, retry, succeed, reuse, fail, stop, skip, and a resume's carry-over) writes the store, emits the RunEvent and
 * logs here, so the three never disagree. (Modelled on lage's WrappedTarget: the scheduler's unit owns its state.)
 */
export class StepLifecycle {
  private decision: CacheDecision | undefined;

  constructor(private readonly rc: RunContext, readonly step: string) {
    this.decision = rc.decisions.get(step);
  }

  private get store() { return this.rc.services.store; }
  private get runId() { return this.rc.run.runId; }

  private emit(e: Omit<Extract<RunEvent, { type: 'step' }>, 'type' | 'runId' | 'step' | 'at'>, at = Date.now()): void {
    this.rc.emit({ type: 'step', runId: this.runId, step: this.step, ...e, ...(this.decision ? { decision: this.decision } : {}), at });
  }

  /** The cache decision for the step (engine/run/cache-decision.ts), stored with it. */
  decided(decision: CacheDecision, fingerprint?: { key: string; canonical: string }): void {
    this.decision = decision;
    this.rc.decisions.set(this.step, decision);
    this.store.transaction(() => {
      this.store.setStepDecision(this.runId, this.step, decision);
      // A run records its fingerprint now, so `explain` has it even if the step then fails (a reuse records it on commit).
      if (fingerprint !== undefined) this.store.setStepFingerprint(this.runId, this.step, fingerprint.key, fingerprint.canonical);
    });
    this.rc.log.info({ step: this.step, decision }, 'cache decision');
  }

  /** A step the engine runs itself (Condition, Fail) has started. */
  start(): void {
    this.store.setStepStatus(this.runId, this.step, 'running', { startedAt: Date.now(), failure: null });
  }

  /** A new attempt (its `attempts` row; the step is `running`). */
  attemptStart(logFile: (attempt: number) => string, fingerprintKey: string): AttemptRecord {
    const att = this.store.startAttempt(this.runId, this.step, Date.now(), logFile);
    this.emit({ status: 'running', reused: false, attempt: att.attempt });
    this.rc.log.info({ step: this.step, attempt: att.attempt, key: fingerprintKey }, 'step started');
    return att;
  }

  /** The container of an attempt exists (its id is recorded, so a stop or a reconcile can find it). */
  attemptContainer(attempt: number, containerId: string): void {
    this.store.setAttemptContainer(this.runId, this.step, attempt, containerId);
  }

  /** A failed or stopped attempt (the step's own status follows with `fail`, or a retry starts another attempt). */
  attemptEnd(attempt: number, failure: StepFailure): void {
    this.store.finishAttempt(this.runId, this.step, attempt, failure.reason === 'stopped' ? 'stopped' : 'failed', Date.now(), failure);
  }

  retry(info: RetryInfo): void {
    this.rc.log.warn({ step: this.step, attempt: info.attempt, exceptionType: info.exceptionType, retry: info.retry, waitMs: info.waitMs }, 'retrying step');
    this.rc.emit({ type: 'retry', runId: this.runId, step: this.step, info, at: Date.now() });
  }

  /** Ran and succeeded (`attempt`: the attempt that succeeded, finished with the commit; none for control steps). */
  succeed(result: StepResult, opts: { attempt?: number; cacheable: boolean }): TaskOutcome {
    const endedAt = Date.now();
    this.store.transaction(() => {
      if (opts.attempt !== undefined) this.store.finishAttempt(this.runId, this.step, opts.attempt, 'succeeded', endedAt);
      this.store.commitStepSuccess(this.runId, this.step, { ...result, cacheable: opts.cacheable, reused: false, endedAt });
    });
    this.remember(result);
    this.rc.log.info({ step: this.step, attempt: opts.attempt }, 'step succeeded');
    this.emit({ status: 'succeeded', reused: false, ...(opts.attempt !== undefined ? { attempt: opts.attempt } : {}) }, endedAt);
    return 'succeeded';
  }

  /**
   * Reused an execution of run `from` (a cache hit, or a selective run's reference run). A cache hit passes its
   * decision, stored in the same transaction as the reuse (one commit per reused step).
   */
  reuse(result: StepResult, from: string, opts: { announce: boolean; decision?: CacheDecision } = { announce: true }): TaskOutcome {
    const endedAt = Date.now();
    const { decision } = opts;
    if (decision !== undefined) {
      this.decision = decision;
      this.rc.decisions.set(this.step, decision);
      this.rc.log.info({ step: this.step, decision }, 'cache decision');
    }
    this.store.transaction(() => {
      if (decision !== undefined) this.store.setStepDecision(this.runId, this.step, decision);
      this.store.commitStepSuccess(this.runId, this.step, { ...result, cacheable: false, reused: true, reusedFrom: from, endedAt });
    });
    this.remember(result);
    if (opts.announce) {
      this.rc.log.info({ step: this.step, from, key: result.fingerprintKey }, 'reused cached execution');
      this.emit({ status: 'succeeded', reused: true, reusedFrom: from }, endedAt);
    }
    return 'succeeded';
  }

  /** Failed, or stopped (a failure whose reason is `stopped`). */
  fail(failure: StepFailure, attempt?: number): TaskOutcome {
    const status = failure.reason === 'stopped' ? 'stopped' : 'failed';
    const exitCode = 'exitCode' in failure ? failure.exitCode : null;
    this.store.setStepStatus(this.runId, this.step, status, { failure, exitCode, endedAt: Date.now() });
    this.emit({ status, reused: false, failure, ...(attempt ? { attempt } : {}) });
    this.rc.log.warn({ step: this.step, failure }, 'step did not succeed');
    return status;
  }

  /** Not run: its Condition branch was not taken, or an upstream step was skipped. */
  skip(why: string): TaskOutcome {
    const at = Date.now();
    this.rc.skipped.add(this.step);
    this.store.setStepStatus(this.runId, this.step, 'skipped', { failure: null, exitCode: null, endedAt: at });
    this.rc.log.info({ step: this.step, why }, 'step skipped');
    this.emit({ status: 'skipped', reused: false }, at);
    return 'skipped';
  }

  /** A resume: the step succeeded in an earlier invocation of this run and is kept. */
  carriedOver(properties: JsonObject, outputs: RecordedOutput[], resumed: boolean): void {
    this.rc.properties.set(this.step, properties);
    this.rc.outputs.set(this.step, outputs);
    if (resumed) this.store.setStepStatus(this.runId, this.step, 'succeeded', { reused: true });
  }

  /** Announces a carried-over step once the run has started. */
  announceCarriedOver(): void {
    this.emit({ status: 'succeeded', reused: true });
  }

  /** A resume: a step that did not succeed is `not-run` again until the scheduler reaches it. */
  reset(): void {
    this.store.transaction(() => {
      this.store.setStepStatus(this.runId, this.step, 'not-run', { failure: null, exitCode: null, endedAt: null });
      this.store.setStepDecision(this.runId, this.step, null);
    });
  }

  private remember(result: StepResult): void {
    this.rc.properties.set(this.step, result.properties);
    this.rc.outputs.set(this.step, result.outputs);
  }
}
