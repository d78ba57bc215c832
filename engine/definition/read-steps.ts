import { isJsonObject, type JsonObject, type JsonValue } from '../../kernel/json.js';
import { appendIndex, appendKey } from '../../kernel/json-path.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { StepDef } from '../../contracts/definition.js';
import { readCacheConfig, readPropertyFiles } from './read-step-options.js';
import { readRetryPolicies } from './read-retry-policies.js';
import { SDK_STEP_TYPES, isSdkStepType } from './step-types.js';
import { didYouMean } from '../../kernel/suggest.js';

/** A step as read from the file, before its references are checked. Fields are absent when they are unusable. */
export interface StepDraft {
  path: string;
  raw: JsonObject;
  name?: string;
  type?: string;
  args?: JsonObject;
  /** False for the second and later steps using the same name. */
  unique: boolean;
  explicitDependsOn: { name: string; path: string }[];
  displayName?: string;
  description?: string;
  cacheConfig?: StepDef['cacheConfig'];
  retryPolicies?: StepDef['retryPolicies'];
  propertyFiles?: StepDef['propertyFiles'];
  branchOf?: StepDef['branchOf'];
}

/** Reads `Steps` and every Condition branch inside it, in file order. */
export function readSteps(value: JsonValue, supported: ReadonlySet<string>, sink: DiagnosticSink): StepDraft[] {
  const drafts: StepDraft[] = [];
  readList(value, 'Steps', undefined, supported, sink, drafts);
  const seen = new Map<string, string>();
  for (const d of drafts) {
    if (d.name === undefined) continue;
    const earlier = seen.get(d.name);
    if (earlier === undefined) seen.set(d.name, d.path);
    else {
      d.unique = false;
      sink.report(appendKey(d.path, 'Name'), 'duplicate-step', `step name "${d.name}" is also used at ${earlier}`, d.name);
    }
  }
  return drafts;
}

function readList(
  value: JsonValue,
  path: string,
  branchOf: StepDef['branchOf'],
  supported: ReadonlySet<string>,
  sink: DiagnosticSink,
  out: StepDraft[],
): void {
  if (!Array.isArray(value)) {
    sink.report(path, 'invalid-field', `"${path.replace(/^.*\./, '')}" must be an array of steps`, branchOf?.condition);
    return;
  }
  value.forEach((s, i) => {
    const stepPath = appendIndex(path, i);
    if (!isJsonObject(s)) {
      sink.report(stepPath, 'invalid-step', 'step must be an object with "Name", "Type" and "Arguments"');
      return;
    }
    const draft = readStep(s, stepPath, supported, sink);
    if (branchOf !== undefined) draft.branchOf = branchOf;
    out.push(draft);
    if (draft.type === 'Condition' && draft.args !== undefined) {
      for (const branch of ['IfSteps', 'ElseSteps'] as const) {
        const steps = draft.args[branch];
        if (steps === undefined) continue;
        const argsPath = appendKey(appendKey(stepPath, 'Arguments'), branch);
        if (draft.name !== undefined) readList(steps, argsPath, { condition: draft.name, branch }, supported, sink, out);
        else readList(steps, argsPath, undefined, supported, sink, out);
      }
    }
  });
}

function readStep(s: JsonObject, path: string, supported: ReadonlySet<string>, sink: DiagnosticSink): StepDraft {
  const draft: StepDraft = { path, raw: s, unique: true, explicitDependsOn: [] };
  if (typeof s.Name === 'string' && s.Name !== '') draft.name = s.Name;
  else if (s.Name === undefined) sink.report(appendKey(path, 'Name'), 'missing-field', 'step has no "Name"');
  else sink.report(appendKey(path, 'Name'), 'invalid-field', 'step "Name" must be a non-empty string');
  const step = draft.name;
  const field = (key: string) => appendKey(path, key);

  if (typeof s.Type === 'string') {
    draft.type = s.Type;
    checkType(s.Type, field('Type'), step, supported, sink);
  } else if (s.Type === undefined) sink.report(field('Type'), 'missing-field', 'step has no "Type"', step);
  else sink.report(field('Type'), 'invalid-field', 'step "Type" must be a string', step);

  if (isJsonObject(s.Arguments)) draft.args = s.Arguments;
  else if (s.Arguments === undefined) sink.report(field('Arguments'), 'missing-field', 'step has no "Arguments"', step);
  else sink.report(field('Arguments'), 'invalid-field', 'step "Arguments" must be an object', step);

  if (s.DependsOn !== undefined) {
    if (!Array.isArray(s.DependsOn)) sink.report(field('DependsOn'), 'invalid-field', '"DependsOn" must be an array of step names', step);
    else {
      s.DependsOn.forEach((d, i) => {
        const dp = appendIndex(field('DependsOn'), i);
        if (typeof d === 'string') draft.explicitDependsOn.push({ name: d, path: dp });
        else sink.report(dp, 'invalid-field', 'DependsOn entries must be step names (strings)', step);
      });
    }
  }
  if (typeof s.DisplayName === 'string') draft.displayName = s.DisplayName;
  if (typeof s.Description === 'string') draft.description = s.Description;
  if (s.CacheConfig !== undefined) {
    const c = readCacheConfig(s.CacheConfig, field('CacheConfig'), step, sink);
    if (c !== undefined) draft.cacheConfig = c;
  }
  if (s.RetryPolicies !== undefined) {
    const policies = readRetryPolicies(s.RetryPolicies, field('RetryPolicies'), step, sink);
    if (policies !== undefined) draft.retryPolicies = policies;
  }
  if (s.PropertyFiles !== undefined) {
    const files = readPropertyFiles(s.PropertyFiles, field('PropertyFiles'), draft, sink);
    if (files !== undefined) draft.propertyFiles = files;
  }
  return draft;
}

function checkType(type: string, path: string, step: string | undefined, supported: ReadonlySet<string>, sink: DiagnosticSink): void {
  if (supported.has(type)) return;
  if (!isSdkStepType(type)) {
    sink.report(path, 'unknown-step-type', `unknown step type "${type}"${didYouMean(type, SDK_STEP_TYPES)}`, step);
    return;
  }
  const list = [...SDK_STEP_TYPES.filter((t) => supported.has(t)), ...[...supported].filter((t) => !isSdkStepType(t))];
  const names = list.length === 0 ? 'none' : list.join(', ');
  sink.report(path, 'unsupported-step-type', `step type "${type}" is not supported yet (supported: ${names})`, step);
}
