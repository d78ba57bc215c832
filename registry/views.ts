import type { Store } from '../cache/store.js';
import { isJsonObject, type JsonValue } from '../kernel/json.js';
import type { ModelPackage } from './types.js';

/** Metrics of a Model Monitor model-quality statistics file: `{"<problem>_metrics": {"<name>": {"value": …}}}`. */
export function statisticsMetrics(content: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (content === undefined) return out;
  let doc: unknown;
  try { doc = JSON.parse(content); } catch { return out; }
  if (!isJsonObject(doc)) return out;
  for (const [section, metrics] of Object.entries(doc)) {
    if (!isJsonObject(metrics)) continue;
    for (const [name, m] of Object.entries(metrics)) {
      const v = isJsonObject(m) ? m.value : undefined;
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) continue;
      out[name in out ? `${section}.${name}` : name] = n;
    }
  }
  return out;
}

/** Metrics where a smaller value is better (errors and losses); every other metric is better when larger. */
export function lowerIsBetter(metric: string): boolean {
  return /(^|[_.:])(mse|rmse|mae|mape|loss|log_loss|error|false_positive_rate|false_negative_rate)$/i.test(metric) || /loss|error/i.test(metric);
}

export interface Comparison {
  group: string;
  versions: { version: number; status: string; description?: string; metrics: Record<string, number> }[];
  /** Metric → versions holding its best value (ties share it), and whether lower is better. */
  best: Record<string, { versions: number[]; lowerIsBetter: boolean }>;
  metrics: string[];
}

/** Metrics side by side from each version's statistics file, the best per metric marked. */
export function comparePackages(group: string, packages: readonly ModelPackage[]): Comparison {
  const versions = packages.map((p) => {
    const v: Comparison['versions'][number] = { version: p.version, status: p.status, metrics: statisticsMetrics(p.statistics?.content) };
    if (p.description !== undefined) v.description = p.description;
    return v;
  });
  const metrics = [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))].sort();
  const best: Comparison['best'] = {};
  for (const m of metrics) {
    const lower = lowerIsBetter(m);
    const values = versions.flatMap((v) => (v.metrics[m] === undefined ? [] : [v.metrics[m]]));
    const target = lower ? Math.min(...values) : Math.max(...values);
    best[m] = { versions: versions.filter((v) => v.metrics[m] === target).map((v) => v.version), lowerIsBetter: lower };
  }
  return { group, versions, best, metrics };
}

export interface LineageStep {
  name: string;
  type: string;
  status: string;
  reusedFrom?: string;
  image?: { uri: string; id: string };
  /** Input name → content hash, from the step's fingerprint. */
  inputs: Record<string, string>;
  /** The inputs that are code (source dirs, code inputs) and a handler module's hash. */
  code: Record<string, string>;
  outputs: { name: string; uri: string; hash: string }[];
}

export interface Lineage {
  group: string;
  version: number;
  arn: string;
  run?: { runId: string; pipeline: string; status: string; startedAt: number; parameters: Record<string, JsonValue> };
  step?: string;
  steps: LineageStep[];
  statistics?: { uri: string; sha256: string };
  modelData?: { url: string; hash: string };
}

const CODE_INPUT = /(^|[:_-])code$|sagemaker_submit_directory|sourcedir|entrypoint/i;

/** The run that registered a version, its steps (image ids, input and output hashes, code hashes) and the file hashes. */
export function packageLineage(p: ModelPackage, store: Store | undefined): Lineage {
  const out: Lineage = { group: p.group, version: p.version, arn: p.arn, steps: [] };
  if (p.step !== undefined) out.step = p.step;
  if (p.statistics !== undefined) out.statistics = { uri: p.statistics.uri, sha256: p.statistics.sha256 };
  if (p.modelData !== undefined) out.modelData = p.modelData;
  const run = p.runId === undefined ? undefined : store?.getRun(p.runId);
  if (run === undefined || store === undefined) return out;
  out.run = { runId: run.runId, pipeline: run.pipeline, status: run.status, startedAt: run.startedAt, parameters: run.parameters as Record<string, JsonValue> };
  for (const s of store.getSteps(run.runId)) {
    if (s.status !== 'succeeded' && s.name !== p.step) continue;
    const fp = s.fingerprint === undefined ? undefined : JSON.parse(s.fingerprint) as { image?: { uri: string; id: string }; inputs?: Record<string, string> };
    const inputs = fp?.inputs ?? {};
    const code = Object.fromEntries(Object.entries(inputs).filter(([k]) => CODE_INPUT.test(k)));
    if (fp?.image?.uri.startsWith('module:') === true) code[fp.image.uri] = fp.image.id;
    const step: LineageStep = {
      name: s.name, type: s.type, status: s.status, inputs, code,
      outputs: store.getOutputs(run.runId, s.name).map((o) => ({ name: o.name, uri: o.uri, hash: o.hash })),
    };
    if (s.reusedFrom !== undefined) step.reusedFrom = s.reusedFrom;
    if (fp?.image !== undefined) step.image = fp.image;
    out.steps.push(step);
  }
  return out;
}
