import { STEP_FAILURE_VERSION, stepFailure, type StepFailure, type StepFailureReason } from './step-failure.js';

type Kind = 'string' | 'number' | 'lines' | 'object';

/** The fields every record of a reason must have, with their kinds (optional fields are checked by the renderer's types). */
const REQUIRED: Record<StepFailureReason, [string, Kind][]> = {
  'exit-nonzero': [['exitCode', 'number'], ['logTail', 'lines']],
  'oom-killed': [['exitCode', 'number'], ['logTail', 'lines']],
  'image-missing': [['image', 'string']],
  'input-missing': [['message', 'string'], ['input', 'string'], ['uri', 'string']],
  'input-lost': [['input', 'string'], ['uri', 'string'], ['output', 'string'], ['outputUri', 'string'], ['file', 'string'], ['hash', 'string'], ['blob', 'object']],
  'invalid-arguments': [['field', 'string']],
  expression: [['message', 'string']],
  'output-commit': [['message', 'string']],
  'output-link': [['output', 'string'], ['link', 'string'], ['target', 'string'], ['why', 'string']],
  'disk-full': [['during', 'string'], ['code', 'string'], ['path', 'string']],
  'docker-error': [['during', 'string'], ['engineText', 'string']],
  stopped: [['when', 'string']],
  'upstream-failed': [],
  'handler-error': [['kind', 'string']],
  'callback-failure': [['token', 'string'], ['failureReason', 'string']],
  'fail-step': [['errorMessage', 'string']],
  legacy: [['was', 'string'], ['message', 'string']],
};

function isKind(v: unknown, kind: Kind): boolean {
  if (kind === 'lines') return Array.isArray(v) && v.every((l) => typeof l === 'string');
  if (kind === 'object') return typeof v === 'object' && v !== null && !Array.isArray(v);
  return typeof v === kind;
}

const unreadable = (why: string): StepFailure => stepFailure('legacy', { was: 'unreadable', message: why });

/**
 * The one reader of a stored failure record (the `failure` column of cairn's SQLite store). A record of this version
 * is checked field by field; one written by the previous cairn (no `v`, a `message` sentence) becomes `legacy`,
 * keeping its words and the facts `show --json` reads; anything else becomes `legacy` of kind `unreadable`. Never throws.
 */
export function readStepFailure(json: string): StepFailure {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return unreadable('the stored failure record is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return unreadable('the stored failure record is not an object');
  const r = value as Record<string, unknown>;
  if (r.v === undefined) return fromPrevious(r);
  if (r.v !== STEP_FAILURE_VERSION) return unreadable(`the stored failure record has version ${JSON.stringify(r.v)}, not ${STEP_FAILURE_VERSION}`);
  const reason = r.reason;
  if (typeof reason !== 'string' || !Object.hasOwn(REQUIRED, reason)) return unreadable(`the stored failure record has an unknown reason ${JSON.stringify(reason)}`);
  if (typeof r.retryable !== 'boolean') return unreadable(`the stored ${reason} failure record has no "retryable"`);
  for (const [field, kind] of REQUIRED[reason as StepFailureReason]) {
    if (!isKind(r[field], kind)) return unreadable(`the stored ${reason} failure record has no valid "${field}"`);
  }
  return r as unknown as StepFailure;
}

/** A record of cairn before failures were versioned: `{ reason, message, … }` with the facts some views read. */
function fromPrevious(r: Record<string, unknown>): StepFailure {
  if (typeof r.reason !== 'string' || typeof r.message !== 'string') return unreadable('the stored failure record has no reason or message');
  return stepFailure('legacy', {
    was: r.reason,
    message: r.message,
    ...(typeof r.exitCode === 'number' ? { exitCode: r.exitCode } : {}),
    ...(typeof r.failureFile === 'string' ? { failureFile: r.failureFile } : {}),
    ...(typeof r.errorMessage === 'string' ? { errorMessage: r.errorMessage } : {}),
  });
}
