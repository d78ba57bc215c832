/**
 * Why a step did not succeed, as data. cli/render-failure.ts turns every record into words (one exhaustive switch);
 * a record holds no sentence of cairn's own where its reason is typed: only facts (exit code, image, field path …) and
 * text that came from outside (a container's failure file, a handler's thrown message, Docker's error text).
 *
 * `retryable` says whether a retry could help at all (engine/run/exception-types.ts maps a retryable failure onto a
 * SageMaker exception type from its fields). Records are stored as JSON with their version `v`; readStepFailure reads
 * them back, records of the previous cairn (no `v`) as `legacy`.
 *
 * Still carrying words made where they fail (`message`, to be moved into the renderer): `input-missing`,
 * `invalid-arguments` outside ArgumentReader, `expression`, `output-commit`, and `handler-error` of kind `checked`.
 */
import type { ImageProblem } from './image-resolver.js';

export const STEP_FAILURE_VERSION = 2;

/** The platform faults a job can report in /opt/ml/output/failure (cairn's convention, see README "Retries"). */
export type PlatformFault = 'InternalServerError' | 'CapacityError' | 'ResourceLimitExceeded';

/** How a model server container (Transform) ended before it was ready. */
export type ServingStart =
  | { image: string; field: string; port: number; command: string; ready: 'exited' }
  | { image: string; field: string; port: number; ready: 'timeout'; timeoutS: number; lastAnswer: string }
  | { image: string; field: string; ready: 'oom' };

/**
 * What became of a content-store blob that an input needs (cache/blob-check.ts `BlobState` other than ok): gone, or
 * no longer the recorded bytes (not a regular file, another size, another hash).
 */
export type LostBlob =
  | { state: 'missing'; path: string }
  | {
      state: 'damaged'; path: string;
      detail: { kind: 'not-a-file' } | { kind: 'size'; expected: number; actual: number } | { kind: 'content'; actualHash: string };
    };
/** What cairn was writing when the disk filled up: an output's commit (or its archive), an input's staging, the log. */
export type DiskFullDuring = 'output-commit' | 'output-archive' | 'staging' | 'log' | 'step';

/** When a step was stopped. */
export type StopPoint =
  | { when: 'before-start' }
  | { when: 'container' }
  | { when: 'model-ready' }
  | { when: 'transforming'; file: string }
  | { when: 'handler' }
  | { when: 'callback'; token: string; runId: string }
  | { when: 'retry-wait'; attempt: number; exceptionType: string }
  | { when: 'interrupted' };

/** What a Lambda handler did wrong. `text`: the handler's thrown message, or Node's / the checker's text. */
export type HandlerProblem =
  | { kind: 'worker-missing'; workerFile: string }
  | { kind: 'threw'; text: string; stack?: string[] }
  | { kind: 'worker-error'; where: string; text: string }
  | { kind: 'exited'; where: string; exitCode: number }
  | { kind: 'timeout'; where: string; timeoutS: number; runner: 'handler' | 'command' }
  | { kind: 'no-result'; where: string; resultFile: string }
  | { kind: 'not-json'; where: string; from: string; error: string; text: string }
  /** The outputs did not match OutputParameters: `message` is the output checker's sentence. */
  | { kind: 'checked'; message: string; callback?: boolean };

/** The instance of a multi-instance job (InstanceCount > 1) a failure happened on: its host name and the job's count. */
export interface FailedInstance {
  host: string;
  count: number;
}

interface Common {
  v: typeof STEP_FAILURE_VERSION;
  /** Whether retrying could help; never true for validation errors, stops or the job's own errors. */
  retryable: boolean;
  /** Set when the step runs several instances and one of them failed first (the others were stopped). */
  instance?: FailedInstance;
}

export type StepFailure = Common & (
  | {
      reason: 'exit-nonzero'; exitCode: number; logTail: string[];
      /** /opt/ml/output/failure as the container wrote it, and its one-line summary. */
      failureFile?: string; failureSummary?: string;
      /** The platform fault the failure file names by its first word, parsed once when the failure is made. */
      platformFault?: PlatformFault;
      serving?: ServingStart;
      /** A Transform request the model container failed: records `first`…`first+count-1` of `file`; `error`: how. */
      invocation?: { first: number; count: number; file: string; error: string };
    }
  | { reason: 'oom-killed'; exitCode: number; logTail: string[]; serving?: ServingStart }
  /** `local`: what the image resolved to, when it disappeared from the engine before the step ran. */
  | { reason: 'image-missing'; image: string; local?: string; field?: string; problem?: ImageProblem }
  | { reason: 'input-missing'; message: string; input: string; uri: string }
  /**
   * An input served from an upstream step's recorded output (`output`, recorded at `outputUri`) needs a blob the
   * content store no longer holds intact: `file` (relative to the input) should hold `hash`. Found before staging, so
   * the job never sees the bytes; not retryable (re-running the producer re-creates the blob). `input` and `field`
   * (the input's field path in the Arguments) are set by the step executor; the store leaves them empty.
   */
  | { reason: 'input-lost'; input: string; field?: string; uri: string; output: string; outputUri: string; file: string; hash: string; blob: LostBlob }
  /** `problem` and `fix` complete "Arguments.<field> …; …" (steps/arguments.ts); other checks still give `message`. */
  | { reason: 'invalid-arguments'; field: string; problem: string; fix: string }
  | { reason: 'invalid-arguments'; field: string; message: string }
  | { reason: 'expression'; message: string; field?: string }
  | { reason: 'output-commit'; message: string; output?: string }
  /**
   * A symbolic link the job left in an output leads outside that output (nothing it points to was read). `link`: its
   * path as the job saw it (inside the container); `target`: as the job wrote it.
   */
  | { reason: 'output-link'; output: string; link: string; target: string; why: 'absolute' | 'escapes' | 'loop' }
  /**
   * The disk filled up (ENOSPC) or a quota ran out (EDQUOT) while cairn wrote for the step: `during` what, the output or
   * input it was for, the `path` written, and the bytes then free on that path's filesystem (statfs; absent if unknown).
   */
  | {
      reason: 'disk-full'; during: DiskFullDuring; code: 'ENOSPC' | 'EDQUOT'; path: string; freeBytes?: number;
      output?: string; input?: string; uri?: string;
    }
  /**
   * The Docker engine failed. `engineText`: Docker's own error text; `status`: the HTTP status of its API answer;
   * `gpu`: GPUs were asked from an engine without a GPU runtime (not retryable).
   */
  | {
      reason: 'docker-error'; during: 'create' | 'run' | 'start'; engineText: string; status?: number; containerId?: string;
      gpu?: { instanceType: string; field: string; gpus?: number; cpuAlternative: string };
    }
  | ({ reason: 'stopped' } & StopPoint)
  | { reason: 'upstream-failed'; upstream?: string }
  /** A Lambda step's handler threw, timed out or gave outputs that do not match its OutputParameters. */
  | ({ reason: 'handler-error' } & HandlerProblem)
  /** A Callback step was completed with `--failure`: `failureReason` as given there. */
  | { reason: 'callback-failure'; token: string; failureReason: string }
  /** A Fail step was reached: `errorMessage` is its resolved ErrorMessage (engine/run/control-steps.ts). */
  | { reason: 'fail-step'; errorMessage: string }
  /**
   * A record written by an earlier cairn (no version): its words as stored, and the facts other views read.
   * Also what a malformed record reads back as (`was: 'unreadable'`).
   */
  | { reason: 'legacy'; was: string; message: string; exitCode?: number; failureFile?: string; errorMessage?: string }
);

export type StepFailureReason = StepFailure['reason'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Fields<R extends StepFailureReason> = DistributiveOmit<Extract<StepFailure, { reason: R }>, 'v' | 'retryable' | 'reason' | 'instance'>;

/** A failure record of the current version; `retryable` is false unless given (see `exitFailure`, `dockerFailure`). */
export function stepFailure<R extends StepFailureReason>(reason: R, fields: Fields<R>, retryable = false): StepFailure {
  return { v: STEP_FAILURE_VERSION, retryable, reason, ...fields } as unknown as StepFailure;
}

/**
 * Adds where a failure happened to the words of a reason that still carries them (`message`): the artifact store's
 * failures, which know the URI but not the step or input. A typed failure is returned as it is.
 */
export function withWhere(f: StepFailure, where: string): StepFailure {
  return 'message' in f && f.reason !== 'legacy' ? ({ ...f, message: `${where}: ${f.message}` } as StepFailure) : f;
}

/** Names the instance of a multi-instance job a failure happened on (a one-instance job's failures stay as they are). */
export function onInstance(f: StepFailure, instance: FailedInstance): StepFailure {
  return instance.count > 1 ? { ...f, instance } : f;
}

/** Names the input a store failure belongs to (the store knows only the URI): `input-missing` and `input-lost`. */
export function forInput(f: StepFailure, input: string, field?: string): StepFailure {
  if (f.reason === 'input-missing' || f.reason === 'disk-full') return { ...f, input };
  if (f.reason === 'input-lost') return { ...f, input, ...(field !== undefined ? { field } : {}) };
  return f;
}

const FAULT_PREFIXES: [RegExp, PlatformFault][] = [
  [/^InternalServerError\b/, 'InternalServerError'],
  [/^(CapacityError|InsufficientCapacityError)\b/, 'CapacityError'],
  [/^ResourceLimitExceeded\b/, 'ResourceLimitExceeded'],
];

/** The platform fault a failure file starts with (leading blanks ignored), if any. */
export function platformFaultOf(failureFile: string | undefined): PlatformFault | undefined {
  const text = failureFile?.trimStart();
  return text === undefined ? undefined : FAULT_PREFIXES.find(([re]) => re.test(text))?.[1];
}

/** A non-zero exit: the failure file's platform fault is parsed here, once; only such a fault is retryable. */
export function exitFailure(fields: Fields<'exit-nonzero'>): StepFailure {
  const fault = fields.serving === undefined ? platformFaultOf(fields.failureFile) : undefined;
  return stepFailure('exit-nonzero', { ...fields, ...(fault !== undefined ? { platformFault: fault } : {}) }, fault !== undefined);
}

/** A Docker engine failure: retryable unless GPUs were asked from an engine that has no GPU runtime. */
export function dockerFailure(fields: Fields<'docker-error'>): StepFailure {
  return stepFailure('docker-error', fields, fields.gpu === undefined);
}
