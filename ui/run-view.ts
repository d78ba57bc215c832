import type { Store } from '../cache/store.js';
import { callbacksOfRun } from '../cache/callback-store.js';
import { runIsLive } from '../cache/run-lock.js';
import type { RunRecord, StepRecord } from '../contracts/records.js';
import { loadDefinitionText } from '../engine/definition/load-definition.js';
import { experimentNames } from '../engine/reports/experiment-names.js';
import { HttpError } from './http-error.js';
import type { UiWords } from './ui-words.js';

export interface DagEdge { from: string; to: string; kind: 'depends' | 'branch' }

export interface StepNode {
  name: string;
  type: string;
  status: StepRecord['status'];
  reused: boolean;
  reusedFrom?: string;
  attempts: number;
  startedAt?: number;
  endedAt?: number;
  /** A Condition step's outcome (its `Outcome` property), when it ran. */
  outcome?: boolean;
  /** The branch of a Condition this step is on (`if` / `else`), and which Condition. */
  branchOf?: { condition: string; branch: string };
  decision?: { action: string; words: string };
  /** The failure's first line, in the CLI's words. */
  failure?: string;
  /** A token when the step is a Callback waiting for an answer. */
  waitingToken?: string;
}

export interface RunView {
  run: Omit<RunRecord, 'definition'>;
  live: boolean;
  experiment?: { experiment: string; trial: string };
  steps: StepNode[];
  edges: DagEdge[];
}

/** The edges of a run's DAG, from the definition text it ran (not the file as it is now); cached by run id. */
export class DagCache {
  private readonly byRun = new Map<string, { edges: DagEdge[]; branches: Map<string, { condition: string; branch: string }> }>();

  edges(run: RunRecord): { edges: DagEdge[]; branches: Map<string, { condition: string; branch: string }> } {
    const hit = this.byRun.get(run.runId);
    if (hit !== undefined) return hit;
    const def = loadDefinitionText(run.definition, run.definitionFile);
    const edges: DagEdge[] = [];
    const branches = new Map<string, { condition: string; branch: string }>();
    if (def.ok) {
      for (const s of def.value.steps) {
        for (const d of s.dependsOn) edges.push({ from: d, to: s.name, kind: 'depends' });
        if (s.branchOf !== undefined) {
          edges.push({ from: s.branchOf.condition, to: s.name, kind: 'branch' });
          branches.set(s.name, { condition: s.branchOf.condition, branch: String(s.branchOf.branch) });
        }
      }
    }
    const out = { edges, branches };
    if (this.byRun.size > 200) this.byRun.clear();
    this.byRun.set(run.runId, out);
    return out;
  }
}

export function getRunOr404(store: Store, runId: string): RunRecord {
  const run = store.getRun(runId);
  if (run === undefined) throw new HttpError(404, `no run "${runId.slice(0, 80)}"`);
  return run;
}

export function runView(store: Store, dags: DagCache, words: UiWords, runId: string): RunView {
  const run = getRunOr404(store, runId);
  const { definition: _d, ...summary } = run;
  const { edges, branches } = dags.edges(run);
  const waiting = new Map(callbacksOfRun(store.db, runId).filter((c) => c.status === 'waiting').map((c) => [c.step, c.token]));
  const steps = store.getSteps(runId).map((s): StepNode => {
    const n: StepNode = { name: s.name, type: s.type, status: s.status, reused: s.reused, attempts: s.attempts };
    if (s.reusedFrom !== undefined) n.reusedFrom = s.reusedFrom;
    if (s.startedAt !== undefined) n.startedAt = s.startedAt;
    if (s.endedAt !== undefined) n.endedAt = s.endedAt;
    const outcome = s.properties?.Outcome;
    if (s.type === 'Condition' && typeof outcome === 'boolean') n.outcome = outcome;
    const b = branches.get(s.name);
    if (b !== undefined) n.branchOf = b;
    if (s.decision !== undefined) n.decision = { action: s.decision.action, words: words.decision(s.decision) };
    if (s.failure !== undefined && s.status !== 'succeeded') n.failure = words.failure({ name: s.name, type: s.type, runId }, s.failure)[0] ?? s.failure.reason;
    const token = waiting.get(s.name);
    if (token !== undefined && s.status === 'running') n.waitingToken = token;
    return n;
  });
  const view: RunView = { run: summary, live: run.status === 'running' && runIsLive(store, runId), steps, edges };
  const names = experimentNames(run);
  if (names.kind === 'named') view.experiment = { experiment: names.experiment, trial: names.trial };
  return view;
}
