import { isJsonObject, type JsonObject, type JsonValue } from '../kernel/json.js';
import { outputUriProblem } from '../kernel/output-uri.js';
import { err, ok, type Result } from '../kernel/result.js';
import { stepFailure, type StepFailure } from '../contracts/step-failure.js';

/**
 * Reads resolved step Arguments (a CreateProcessingJob / CreateTrainingJob body) with field paths, so every problem
 * becomes an `invalid-arguments` failure naming the step, the field (e.g. `ProcessingInputs[1].S3Input.LocalPath`)
 * and the fix.
 */
export class ArgumentReader {
  constructor(
    readonly stepName: string,
    readonly stepType: string,
  ) {}

  fail(field: string, problem: string, fix: string): { ok: false; error: StepFailure } {
    return err(stepFailure('invalid-arguments', { field, problem, fix }));
  }

  object(v: JsonValue | undefined, field: string, fix: string): Result<JsonObject, StepFailure> {
    if (v === undefined) return this.fail(field, 'is missing', fix);
    return isJsonObject(v) ? ok(v) : this.fail(field, `must be an object, not ${describe(v)}`, fix);
  }

  optionalObject(v: JsonValue | undefined, field: string, fix: string): Result<JsonObject | undefined, StepFailure> {
    return v === undefined || v === null ? ok(undefined) : this.object(v, field, fix);
  }

  array(v: JsonValue | undefined, field: string, fix: string): Result<JsonValue[], StepFailure> {
    if (v === undefined || v === null) return ok([]);
    return Array.isArray(v) ? ok(v) : this.fail(field, `must be a list, not ${describe(v)}`, fix);
  }

  string(v: JsonValue | undefined, field: string, fix: string): Result<string, StepFailure> {
    if (v === undefined || v === null || v === '') return this.fail(field, 'is missing', fix);
    return typeof v === 'string' ? ok(v) : this.fail(field, `must be a string, not ${describe(v)}`, fix);
  }

  optionalString(v: JsonValue | undefined, field: string, fix: string): Result<string | undefined, StepFailure> {
    return v === undefined || v === null ? ok(undefined) : this.string(v, field, fix);
  }

  /** A list of strings; numbers and booleans (resolved parameters) are written out as text, as SageMaker would. */
  stringList(v: JsonValue | undefined, field: string, fix: string): Result<string[] | undefined, StepFailure> {
    if (v === undefined || v === null) return ok(undefined);
    if (!Array.isArray(v)) return this.fail(field, `must be a list of strings, not ${describe(v)}`, fix);
    const out: string[] = [];
    for (const [i, item] of v.entries()) {
      const s = scalarText(item);
      if (s === undefined) return this.fail(`${field}[${i}]`, `must be a string, not ${describe(item)}`, fix);
      out.push(s);
    }
    return ok(out);
  }

  /** A string → string map (Environment, HyperParameters); scalar values are written out as text. */
  stringMap(v: JsonValue | undefined, field: string, fix: string): Result<Record<string, string>, StepFailure> {
    if (v === undefined || v === null) return ok({});
    if (!isJsonObject(v)) return this.fail(field, `must be an object of strings, not ${describe(v)}`, fix);
    const out: Record<string, string> = {};
    for (const [k, item] of Object.entries(v)) {
      const s = scalarText(item);
      if (s === undefined) return this.fail(`${field}.${k}`, `must be a string, not ${describe(item)}`, fix);
      out[k] = s;
    }
    return ok(out);
  }

  /** An optional boolean (EnableNetworkIsolation …): absent or null is false. */
  flag(v: JsonValue | undefined, field: string, fix: string): Result<boolean, StepFailure> {
    if (v === undefined || v === null) return ok(false);
    return typeof v === 'boolean' ? ok(v) : this.fail(field, `must be true or false, not ${describe(v)}`, fix);
  }

  /** InstanceCount: a whole number of at least 1; absent is 1. */
  instanceCount(v: JsonValue | undefined, field: string): Result<number, StepFailure> {
    if (v === undefined || v === null) return ok(1);
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1) return ok(v);
    return this.fail(field, `must be a whole number of at least 1, not ${describe(v)}`, 'give how many instances (containers) the job runs on, e.g. 1 or 2');
  }

  /** S3DataDistributionType: `FullyReplicated` (absent) or `ShardedByS3Key`; true when sharded. */
  sharded(v: JsonValue | undefined, field: string): Result<boolean, StepFailure> {
    if (v === undefined || v === null || v === 'FullyReplicated') return ok(false);
    if (v === 'ShardedByS3Key') return ok(true);
    return this.fail(field, `is ${describe(v)}, not "FullyReplicated" or "ShardedByS3Key"`, 'use "FullyReplicated" (every instance gets every object) or "ShardedByS3Key" (each gets its share)');
  }

  /** Where outputs are committed: a URI without `.` or `..` segments (kernel/output-uri.ts). */
  outputUri(v: JsonValue | undefined, field: string, fix: string): Result<string, StepFailure> {
    const s = this.string(v, field, fix);
    if (!s.ok) return s;
    const problem = outputUriProblem(s.value);
    return problem === undefined ? s : this.fail(field, `is ${JSON.stringify(s.value)}, which ${problem}`, 'write the URI without it');
  }

  /** An absolute container path, no `..`. */
  containerPath(v: JsonValue | undefined, field: string, fix: string): Result<string, StepFailure> {
    const s = this.string(v, field, fix);
    if (!s.ok) return s;
    if (!s.value.startsWith('/') || s.value.split('/').includes('..')) {
      return this.fail(field, `must be an absolute path inside the container without "..", not "${s.value}"`, fix);
    }
    return ok(s.value.length > 1 ? s.value.replace(/\/+$/, '') : s.value);
  }
}

function scalarText(v: JsonValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function describe(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}
