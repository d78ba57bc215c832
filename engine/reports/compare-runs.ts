import type { Store } from '../../cache/store.js';
import type { RunRecord, RunStatus } from '../../contracts/records.js';
import { experimentNames } from './experiment-names.js';
import { trialComponent, type TrialComponent } from './experiments.js';
import { canonicalJson, type JsonValue } from '../../kernel/json.js';
import { err, ok, type Result } from '../../kernel/result.js';

/** `cairn compare`: parameters and final metrics of several runs side by side (see cli/commands/compare.ts). */
export interface CompareRun {
  runId: string;
  pipeline: string;
  status: RunStatus;
  startedAt: string;
  experiment?: string;
  trial?: string;
}

export interface CompareRow<V> {
  name: string;
  /** Set for step-level rows (hyperparameters, arguments, metrics). */
  step?: string;
  /** runId → value; null where the run has none. */
  values: Record<string, V | null>;
  differs: boolean;
}

export interface Comparison {
  runs: CompareRun[];
  /** Set when `--metric` ordered the runs (descending; runs without the metric last). */
  sortedBy?: { metric: string; step: string; order: 'descending' };
  parameters: CompareRow<JsonValue>[];
  metrics: (CompareRow<number> & { step: string })[];
}

export interface CompareOptions {
  step?: string;
  metric?: string;
}

/** Builds the comparison; errors (unknown run, step or metric) are messages for the user. */
export function compareRuns(store: Store, runIds: string[], opts: CompareOptions = {}): Result<Comparison, string> {
  const runs: RunRecord[] = [];
  for (const id of new Set(runIds)) {
    const run = store.getRun(id);
    if (run === undefined) return err(`no run "${id}" (see \`cairn runs\`)`);
    runs.push(run);
  }
  const components = new Map<string, TrialComponent[]>();
  for (const run of runs) {
    let comps = store.getSteps(run.runId).map((s) => trialComponent(store, run, s));
    if (opts.step !== undefined) comps = comps.filter((c) => c.name === opts.step);
    components.set(run.runId, comps);
  }
  if (opts.step !== undefined && [...components.values()].every((c) => c.length === 0)) {
    return err(`none of the runs has a step "${opts.step}"`);
  }
  const params = new Map<string, { name: string; step?: string; values: Map<string, JsonValue> }>();
  const metrics = new Map<string, { name: string; step: string; values: Map<string, number> }>();
  for (const run of runs) {
    for (const [k, v] of Object.entries(run.parameters)) cell(params, `Parameters.${k}`, undefined).values.set(run.runId, v);
    for (const c of components.get(run.runId) ?? []) {
      for (const [k, v] of Object.entries(c.parameters)) {
        if (!k.startsWith('Parameters.')) cell(params, `${c.name}.${k}`, c.name).values.set(run.runId, v);
      }
      for (const m of c.metrics) {
        const key = `${c.name}\u0000${m.name}`;
        let row = metrics.get(key);
        if (row === undefined) metrics.set(key, (row = { name: m.name, step: c.name, values: new Map() }));
        row.values.set(run.runId, m.final);
      }
    }
  }
  const out: Comparison = {
    runs: runs.map(describeRun),
    parameters: [...params.values()].map((r) => toRow(r, runs)),
    metrics: [...metrics.values()].map((r) => ({ ...toRow(r, runs), step: r.step })),
  };
  if (opts.metric !== undefined) {
    const candidates = out.metrics.filter((m) => m.name === opts.metric);
    const chosen = candidates[0];
    if (chosen === undefined) {
      const known = [...new Set(out.metrics.map((m) => m.name))];
      return err(`no final metric "${opts.metric}" in these runs (${known.length === 0 ? 'they have no metrics' : `metrics: ${known.join(', ')}`})`);
    }
    if (candidates.length > 1) {
      return err(`metric "${opts.metric}" is logged by several steps (${candidates.map((c) => c.step).join(', ')}); pick one with --step`);
    }
    const v = (id: string): number => chosen.values[id] ?? -Infinity;
    out.runs = out.runs.map((r, i) => ({ r, i }))
      .sort((a, b) => (v(b.r.runId) - v(a.r.runId)) || (a.i - b.i)).map((x) => x.r);
    out.sortedBy = { metric: chosen.name, step: chosen.step, order: 'descending' };
  }
  return ok(out);
}

function cell(map: Map<string, { name: string; step?: string; values: Map<string, JsonValue> }>, name: string, step: string | undefined) {
  const key = `${step ?? ''}\u0000${name}`;
  let row = map.get(key);
  if (row === undefined) {
    row = { name, values: new Map() };
    if (step !== undefined) row.step = step;
    map.set(key, row);
  }
  return row;
}

function toRow<V extends JsonValue>(r: { name: string; step?: string; values: Map<string, V> }, runs: RunRecord[]): CompareRow<V> {
  const values: Record<string, V | null> = {};
  for (const run of runs) values[run.runId] = r.values.get(run.runId) ?? null;
  const distinct = new Set(Object.values(values).map((v) => (v === null ? 'null' : canonicalJson(v))));
  const row: CompareRow<V> = { name: r.name, values, differs: distinct.size > 1 };
  if (r.step !== undefined) row.step = r.step;
  return row;
}

function describeRun(run: RunRecord): CompareRun {
  const names = experimentNames(run);
  const out: CompareRun = { runId: run.runId, pipeline: run.pipeline, status: run.status, startedAt: new Date(run.startedAt).toISOString() };
  if (names.kind === 'named') { out.experiment = names.experiment; out.trial = names.trial; }
  return out;
}
