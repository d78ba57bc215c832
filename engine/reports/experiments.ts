import type { Store } from '../../cache/store.js';
import type { RunRecord, RunStatus, StepRecord, StepStatus } from '../../contracts/records.js';
import { experimentNames, type ExperimentNames } from './experiment-names.js';
import { isJsonObject, type JsonValue } from '../../kernel/json.js';

/**
 * SageMaker Experiments as cairn derives them from its store (nothing extra is recorded): every run is a trial in the
 * experiment named by its definition's PipelineExperimentConfig, every step a trial component.
 */
export interface TrialSummary {
  runId: string;
  trialName: string;
  pipeline: string;
  status: RunStatus;
  startedAt: string;
}

export interface ExperimentSummary {
  name: string;
  /** Newest first. */
  trials: TrialSummary[];
}

/** A run that is in no experiment: its config is `null` (disabled) or cannot be resolved (message says why). */
export interface RunWithoutExperiment {
  runId: string;
  pipeline: string;
  status: RunStatus;
  startedAt: string;
  reason: 'disabled' | 'unresolved';
  message: string;
}

export interface ArtifactRef {
  name: string;
  hash: string;
  uri?: string;
  files?: number;
  bytes?: number;
}

export interface ComponentMetric {
  name: string;
  /** Values in the time series (0 when the metric is only in FinalMetricDataList). */
  count: number;
  /** FinalMetricDataList's value for a Training step when present, else the last value of the series. */
  final: number;
  min?: number;
  max?: number;
}

export interface TrialComponent {
  /** The step name (SageMaker names the job's trial component after the job). */
  name: string;
  type: string;
  status: StepStatus;
  /** The run whose execution produced the outputs and metrics, when the step was reused from another run. */
  reusedFrom?: string;
  /** Pipeline parameters as `Parameters.X`; HyperParameters, ContainerArguments, Environment as resolved for the step. */
  parameters: Record<string, JsonValue>;
  inputArtifacts: ArtifactRef[];
  outputArtifacts: ArtifactRef[];
  metrics: ComponentMetric[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Every experiment with its trials (experiments by name), and the runs in none. */
export function listExperiments(store: Store): { experiments: ExperimentSummary[]; withoutExperiment: RunWithoutExperiment[] } {
  const byName = new Map<string, TrialSummary[]>();
  const without: RunWithoutExperiment[] = [];
  for (const run of store.listRuns()) {
    const names = experimentNames(run);
    const base = { runId: run.runId, pipeline: run.pipeline, status: run.status, startedAt: iso(run.startedAt) };
    if (names.kind === 'named') {
      let list = byName.get(names.experiment);
      if (list === undefined) byName.set(names.experiment, (list = []));
      list.push({ ...base, trialName: names.trial });
    } else {
      without.push({ ...base, reason: names.kind, message: describeNoExperiment(names) });
    }
  }
  const experiments = [...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, trials]) => ({ name, trials }));
  return { experiments, withoutExperiment: without };
}

export function describeNoExperiment(names: Exclude<ExperimentNames, { kind: 'named' }>): string {
  return names.kind === 'disabled'
    ? 'PipelineExperimentConfig is null: SageMaker creates no experiment or trial for this pipeline'
    : `cannot resolve the experiment: ${names.message}`;
}

/** A run as a trial: its names (or why it has none) and its steps as trial components. */
export function trialDetail(store: Store, run: RunRecord): { names: ExperimentNames; components: TrialComponent[] } {
  return { names: experimentNames(run), components: store.getSteps(run.runId).map((s) => trialComponent(store, run, s)) };
}

export function trialComponent(store: Store, run: RunRecord, step: StepRecord): TrialComponent {
  const from = step.status === 'succeeded' && step.reused && step.reusedFrom !== undefined ? step.reusedFrom : step.runId;
  const c: TrialComponent = {
    name: step.name, type: step.type, status: step.status,
    parameters: {}, inputArtifacts: [], outputArtifacts: [], metrics: [],
  };
  if (from !== step.runId) c.reusedFrom = from;
  for (const [k, v] of Object.entries(run.parameters)) c.parameters[`Parameters.${k}`] = v;
  const fp = parseFingerprint(step.fingerprint);
  Object.assign(c.parameters, stepParameters(step.type, fp.arguments));
  c.inputArtifacts = Object.entries(fp.inputs).sort(([a], [b]) => a.localeCompare(b)).map(([name, hash]) => ({ name, hash }));
  c.outputArtifacts = store.getOutputs(step.runId, step.name).map((o) => ({
    name: o.name, uri: o.uri, hash: o.hash, files: o.files.length, bytes: o.files.reduce((n, f) => n + f.size, 0),
  }));
  c.metrics = componentMetrics(store, from, step);
  return c;
}

/** The parameters a step's job ran with: Training HyperParameters, Processing ContainerArguments and Environment. */
export function stepParameters(type: string, args: JsonValue | undefined): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  if (!isJsonObject(args)) return out;
  if (type === 'Training' && isJsonObject(args.HyperParameters)) {
    for (const [k, v] of Object.entries(args.HyperParameters)) out[`HyperParameters.${k}`] = v;
  }
  if (type === 'Processing') {
    const app = args.AppSpecification;
    if (isJsonObject(app) && app.ContainerArguments !== undefined) out.ContainerArguments = app.ContainerArguments;
  }
  if ((type === 'Processing' || type === 'Training') && isJsonObject(args.Environment)) {
    for (const [k, v] of Object.entries(args.Environment)) out[`Environment.${k}`] = v;
  }
  return out;
}

function parseFingerprint(text: string | undefined): { arguments?: JsonValue; inputs: Record<string, string> } {
  if (text === undefined) return { inputs: {} };
  try {
    const fp = JSON.parse(text) as { arguments?: JsonValue; inputs?: Record<string, string> };
    const out: { arguments?: JsonValue; inputs: Record<string, string> } = { inputs: isJsonObject(fp.inputs) ? fp.inputs : {} };
    if (fp.arguments !== undefined) out.arguments = fp.arguments;
    return out;
  } catch {
    return { inputs: {} };
  }
}

function componentMetrics(store: Store, from: string, step: StepRecord): ComponentMetric[] {
  const attempt = store.latestMetricAttempt(from, step.name);
  const series = attempt === undefined ? [] : store.readMetrics(from, step.name, attempt);
  const out = new Map<string, ComponentMetric>();
  for (const s of series) {
    const values = s.values.map((v) => v.value);
    const last = values.at(-1);
    if (last === undefined) continue;
    out.set(s.name, {
      name: s.name, count: values.length, final: last,
      min: values.reduce((x, y) => Math.min(x, y), Infinity), max: values.reduce((x, y) => Math.max(x, y), -Infinity),
    });
  }
  const finals = step.properties?.FinalMetricDataList;
  if (Array.isArray(finals)) {
    for (const f of finals) {
      if (!isJsonObject(f) || typeof f.MetricName !== 'string' || typeof f.Value !== 'number') continue;
      const m = out.get(f.MetricName);
      if (m === undefined) out.set(f.MetricName, { name: f.MetricName, count: 0, final: f.Value });
      else m.final = f.Value;
    }
  }
  return [...out.values()];
}
