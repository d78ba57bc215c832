import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import { appendIndex, appendKey } from '../../kernel/json-path.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { EXCEPTION_TYPES, parseExceptionType, RETRY_DEFAULTS, RETRY_LIMITS, type ExceptionType, type RetryPolicy } from '../../contracts/retry.js';
import { didYouMean } from '../../kernel/suggest.js';

const CODE = 'invalid-retry-policy';
const FIELDS = ['ExceptionType', 'IntervalSeconds', 'BackoffRate', 'MaxAttempts', 'ExpireAfterMin'];
const TYPES = EXCEPTION_TYPES.join(', ');

/**
 * `RetryPolicies: [{ExceptionType: [..], IntervalSeconds?, BackoffRate?, MaxAttempts? | ExpireAfterMin?}]`, checked as
 * SageMaker documents it: known exception types, IntervalSeconds 0..43200 (default 1), BackoffRate ≥ 0 (default 2.0),
 * MaxAttempts 0..20 retries or ExpireAfterMin 0..14400 minutes, not both (neither: MaxAttempts 5).
 * Returns the policies when every one of them is sound.
 */
export function readRetryPolicies(v: JsonValue, path: string, step: string | undefined, sink: DiagnosticSink): RetryPolicy[] | undefined {
  if (!Array.isArray(v)) {
    sink.report(path, CODE, '"RetryPolicies" must be an array of retry policies', step);
    return undefined;
  }
  const before = sink.count;
  const policies = v.map((p, i) => readPolicy(p, appendIndex(path, i), step, sink));
  return sink.count === before ? policies.filter((p): p is RetryPolicy => p !== undefined) : undefined;
}

function readPolicy(p: JsonValue, path: string, step: string | undefined, sink: DiagnosticSink): RetryPolicy | undefined {
  if (!isJsonObject(p)) {
    sink.report(path, CODE, 'a retry policy must be an object like {"ExceptionType": ["SageMaker.JOB_INTERNAL_ERROR"], "MaxAttempts": 3}', step);
    return undefined;
  }
  const report = (key: string, message: string): void => sink.report(appendKey(path, key), CODE, message, step);
  for (const key of Object.keys(p)) {
    if (!FIELDS.includes(key)) report(key, `unknown retry policy field "${key}"${didYouMean(key, FIELDS)} (fields: ${FIELDS.join(', ')})`);
  }
  const exceptionTypes = readExceptionTypes(p.ExceptionType, appendKey(path, 'ExceptionType'), step, sink);
  const policy: RetryPolicy = {
    exceptionTypes: exceptionTypes ?? [],
    intervalSeconds: RETRY_DEFAULTS.intervalSeconds,
    backoffRate: RETRY_DEFAULTS.backoffRate,
  };
  const whole = (key: string, max: number, what: string): number | undefined => {
    const x = p[key];
    if (x === undefined) return undefined;
    if (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max) return x;
    report(key, `${key} must be ${what}; it is ${JSON.stringify(x)}`);
    return undefined;
  };
  const interval = whole('IntervalSeconds', RETRY_LIMITS.intervalSeconds, 'a whole number of seconds from 0 to 43200 (12 hours)');
  if (interval !== undefined) policy.intervalSeconds = interval;
  if (p.BackoffRate !== undefined) {
    if (typeof p.BackoffRate === 'number' && Number.isFinite(p.BackoffRate) && p.BackoffRate >= 0) policy.backoffRate = p.BackoffRate;
    else report('BackoffRate', `BackoffRate must be a number of at least 0 (the interval's multiplier after each retry); it is ${JSON.stringify(p.BackoffRate)}`);
  }
  const max = whole('MaxAttempts', RETRY_LIMITS.maxAttempts, 'a whole number of retries from 0 to 20');
  const expire = whole('ExpireAfterMin', RETRY_LIMITS.expireAfterMin, 'a whole number of minutes from 0 to 14400 (10 days)');
  if (p.MaxAttempts !== undefined && p.ExpireAfterMin !== undefined) {
    sink.report(path, CODE, 'a retry policy takes "MaxAttempts" or "ExpireAfterMin", not both', step);
  }
  if (expire !== undefined) policy.expireAfterMin = expire;
  else if (p.ExpireAfterMin === undefined) policy.maxAttempts = max ?? RETRY_DEFAULTS.maxAttempts;
  return exceptionTypes === undefined ? undefined : policy;
}

function readExceptionTypes(v: JsonValue | undefined, path: string, step: string | undefined, sink: DiagnosticSink): ExceptionType[] | undefined {
  if (!Array.isArray(v) || v.length === 0) {
    const what = v === undefined ? 'a retry policy needs "ExceptionType":' : '"ExceptionType" must be';
    sink.report(path, CODE, `${what} a non-empty array of exception types (${TYPES})`, step);
    return undefined;
  }
  const types: ExceptionType[] = [];
  let sound = true;
  v.forEach((t, i) => {
    const type = typeof t === 'string' ? parseExceptionType(t) : undefined;
    if (type !== undefined) {
      if (!types.includes(type)) types.push(type);
      return;
    }
    sound = false;
    const hint = typeof t === 'string' ? didYouMean(t, EXCEPTION_TYPES) : '';
    sink.report(appendIndex(path, i), CODE, `unknown exception type ${JSON.stringify(t)}${hint} (SageMaker's exception types: ${TYPES})`, step);
  });
  return sound ? types : undefined;
}
