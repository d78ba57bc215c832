import { expressionKind } from '../engine/definition/expression-syntax.js';
import { isJsonObject, type JsonValue } from '../kernel/json.js';
import { appendIndex, appendKey } from '../kernel/json-path.js';
import { OUTPUT_KEYS } from './promote-plan.js';

/**
 * What `cairn pull` fetches: every `s3://` URI a definition names literally outside the places steps write to
 * (cloud/promote-plan.ts OUTPUT_KEYS). Its kind follows where it stands: an `S3Uri` beside `S3DataType: S3Prefix` is a
 * key prefix (every object whose key starts with it, as SageMaker reads it), beside `S3Object`/`ManifestFile`/
 * `AugmentedManifestFile` one object; `ModelDataUrl`, `sagemaker_submit_directory` and `SAGEMAKER_SUBMIT_DIRECTORY`
 * name one object; a URI anywhere else (an argument, an environment value) is `auto`: the object when it exists,
 * else the prefix. A value known only at run time (a step's property, `Execution.*`, a parameter without a default,
 * a `Std:JsonGet`) is listed, never guessed; a parameter with a default resolves to it, and that is reported.
 */
export type TargetKind = 'object' | 'prefix' | 'auto';

export interface PullTarget {
  uri: string;
  kind: TargetKind;
  /** Where the definition names it: the step and the JSON path inside the step. */
  step: string;
  path: string;
  /** The parameters whose defaults made this URI (empty: written literally). */
  defaults: string[];
}

export interface RuntimeValue {
  step: string;
  path: string;
  /** The expression as compact JSON. */
  expression: string;
  why: string;
}

export interface PullTargets {
  targets: PullTarget[];
  runtime: RuntimeValue[];
  /** Parameters whose default was used for a URI: name and default. */
  defaulted: { name: string; value: string }[];
}

const OBJECT_KEYS = new Set(['ModelDataUrl', 'sagemaker_submit_directory', 'SAGEMAKER_SUBMIT_DIRECTORY']);
const DATA_TYPE_KIND: Record<string, TargetKind> = {
  S3Prefix: 'prefix', S3Object: 'object', ManifestFile: 'object', AugmentedManifestFile: 'object',
};
const URI_IN_TEXT = /s3:\/\/[^\s"'<>,;\\]+/g;
/** Step-level keys that name what a step writes or reads back at run time. */
const SKIPPED_STEP_KEYS = new Set(['PropertyFiles', 'DependsOn']);

type Resolved = { ok: true; value: string; defaults: string[] } | { ok: false; why: string };

export function pullTargets(definition: JsonValue): PullTargets {
  const out: PullTargets = { targets: [], runtime: [], defaulted: [] };
  const defaults = parameterDefaults(definition);
  const steps = isJsonObject(definition) && Array.isArray(definition.Steps) ? definition.Steps : [];
  const visitStep = (step: JsonValue): void => {
    if (!isJsonObject(step)) return;
    const name = typeof step.Name === 'string' ? step.Name : '?';
    for (const [k, v] of Object.entries(step)) {
      if (SKIPPED_STEP_KEYS.has(k) || k === 'Name') continue;
      walk(v, appendKey('', k), { step: name, kind: 'auto' }, k);
    }
  };
  const add = (uri: string, kind: TargetKind, step: string, path: string, used: string[]): void => {
    out.targets.push({ uri, kind, step, path, defaults: used });
    for (const n of used) {
      if (!out.defaulted.some((d) => d.name === n)) out.defaulted.push({ name: n, value: defaults.get(n) ?? '' });
    }
  };
  const walk = (v: JsonValue, path: string, ctx: { step: string; kind: TargetKind }, key: string | undefined): void => {
    if (key !== undefined && OUTPUT_KEYS.has(key)) return;
    if ((key === 'IfSteps' || key === 'ElseSteps') && Array.isArray(v)) { v.forEach(visitStep); return; }
    const kind = expressionKind(v);
    if (kind !== undefined || typeof v === 'string') {
      const r = kind === undefined ? { ok: true as const, value: v as string, defaults: [] } : resolve(v, defaults);
      if (!r.ok) {
        if (mayNameS3(v, key)) out.runtime.push({ step: ctx.step, path, expression: JSON.stringify(v), why: r.why });
        return;
      }
      for (const uri of new Set(r.value.match(URI_IN_TEXT) ?? [])) add(uri, ctx.kind, ctx.step, path, r.defaults);
      return;
    }
    if (Array.isArray(v)) { v.forEach((x, i) => walk(x, appendIndex(path, i), ctx, undefined)); return; }
    if (!isJsonObject(v)) return;
    const dataType = typeof v.S3DataType === 'string' ? DATA_TYPE_KIND[v.S3DataType] : undefined;
    for (const [k, x] of Object.entries(v)) {
      const childKind = k === 'S3Uri' && dataType !== undefined ? dataType : OBJECT_KEYS.has(k) ? 'object' : 'auto';
      walk(x, appendKey(path, k), { step: ctx.step, kind: childKind }, k);
    }
  };
  steps.forEach(visitStep);
  return { ...out, targets: dedupe(out.targets) };
}

/** Same URI named twice: once is enough; a prefix covers the object, and a typed place wins over `auto`. */
function dedupe(targets: PullTarget[]): PullTarget[] {
  const rank: Record<TargetKind, number> = { prefix: 2, object: 1, auto: 0 };
  const byUri = new Map<string, PullTarget>();
  for (const t of targets) {
    const seen = byUri.get(t.uri);
    if (seen === undefined || rank[t.kind] > rank[seen.kind]) byUri.set(t.uri, t);
  }
  return [...byUri.values()];
}

function parameterDefaults(definition: JsonValue): Map<string, string> {
  const out = new Map<string, string>();
  const params = isJsonObject(definition) && Array.isArray(definition.Parameters) ? definition.Parameters : [];
  for (const p of params) {
    if (!isJsonObject(p) || typeof p.Name !== 'string' || !('DefaultValue' in p)) continue;
    const d = p.DefaultValue;
    if (typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean') out.set(p.Name, String(d));
  }
  return out;
}

/** The value of a Get/Std:Join from parameter defaults alone; anything else is known only at run time. */
function resolve(v: JsonValue, defaults: Map<string, string>): Resolved {
  if (typeof v === 'string') return { ok: true, value: v, defaults: [] };
  if (typeof v === 'number' || typeof v === 'boolean') return { ok: true, value: String(v), defaults: [] };
  const kind = expressionKind(v);
  if (!isJsonObject(v) || kind === undefined) return { ok: false, why: 'not a value cairn can read before the run' };
  if (kind === 'Std:JsonGet') return { ok: false, why: 'a JsonGet reads a property file written during the run' };
  if (kind === 'Get') {
    const target = v.Get as string;
    if (target.startsWith('Parameters.')) {
      const name = target.slice('Parameters.'.length);
      const d = defaults.get(name);
      return d === undefined ? { ok: false, why: `the parameter ${name} has no default` } : { ok: true, value: d, defaults: [name] };
    }
    if (target.startsWith('Steps.')) return { ok: false, why: `${target} is a step's property, known once that step ran` };
    return { ok: false, why: `${target} is known only during an execution` };
  }
  const body = v['Std:Join'];
  const on = isJsonObject(body) && typeof body.On === 'string' ? body.On : '';
  const values = isJsonObject(body) && Array.isArray(body.Values) ? body.Values : [];
  const parts: string[] = [];
  const used: string[] = [];
  for (const x of values) {
    const r = resolve(x, defaults);
    if (!r.ok) return r;
    parts.push(r.value);
    used.push(...r.defaults);
  }
  return { ok: true, value: parts.join(on), defaults: [...new Set(used)] };
}

/** An expression that could stand for an S3 URI: one with an `s3://` piece, or one in a place that holds a URI. */
function mayNameS3(v: JsonValue, key: string | undefined): boolean {
  return JSON.stringify(v).includes('s3://') || (key !== undefined && (URI_KEY.test(key) || OBJECT_KEYS.has(key)));
}
const URI_KEY = /(Uri|Url)$|^S3/;
