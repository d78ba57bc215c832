import { existsSync } from 'node:fs';
import { latestMetricAttempt, readMetrics, type MetricSeries } from '../../cache/metric-store.js';
import type { Store } from '../../cache/store.js';
import type { StepRecord } from '../../contracts/records.js';
import { resolveHome } from '../../contracts/home.js';
import { EXIT, parse, type Command } from '../command.js';
import { formatMetricValue } from '../progress.js';
import { openReadOnlyStore } from '../open-store.js';

const usage = `usage: cairn metrics <run-id> [--step S] [--json]

Shows the metric values a run's steps logged (Training steps' AlgorithmSpecification.MetricDefinitions, applied to
every log line as it streamed): per step and metric, the last, min and max value and how many were seen. A step's
newest attempt that logged metrics counts; a step reused from another run shows that run's values.
--json prints {"runId","steps":[{"name","attempt","reusedFrom"?,"metrics":[{"name","values":[{"value","at","seq"}]}]}]}
("at": epoch milliseconds; "seq": 0-based position of the value in the attempt). Without --step, only steps that
logged metrics are listed.`;

export interface StepMetricsJson {
  name: string;
  attempt: number;
  /** The run whose execution of the step logged the values, when the step was reused from another run. */
  reusedFrom?: string;
  metrics: MetricSeries[];
}

export const metricsCommand: Command = {
  name: 'metrics',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, { step: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const runId = a.positionals[0]!;
    const home = resolveHome();
    if (!existsSync(home.db)) { console.error(`no run "${runId}" (no cairn home at ${home.root})`); return EXIT.invalid; }
    const store = openReadOnlyStore(home);
    try {
      if (store.getRun(runId) === undefined) { console.error(`no run "${runId}" (see \`cairn runs\`)`); return EXIT.invalid; }
      const wanted = a.values.step;
      let steps = store.getSteps(runId);
      if (wanted !== undefined) {
        const one = steps.find((s) => s.name === wanted);
        if (one === undefined) {
          console.error(`run ${runId} has no step "${wanted}" (steps: ${steps.map((s) => s.name).join(', ')})`);
          return EXIT.invalid;
        }
        steps = [one];
      }
      const found = steps.map((s) => stepMetrics(store, s)).filter((s) => wanted !== undefined || s.metrics.length > 0);
      if (a.values.json === true) {
        console.log(JSON.stringify({ runId, steps: found }));
        return EXIT.ok;
      }
      if (found.every((s) => s.metrics.length === 0)) {
        console.log(wanted === undefined ? `run ${runId}: no step logged metrics` : `step "${wanted}" of run ${runId} logged no metrics`);
        return EXIT.ok;
      }
      for (const line of renderText(runId, found)) console.log(line);
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};

/** The metrics of the execution behind a step: its own newest attempt that logged any, or the reused run's. */
function stepMetrics(store: Store, step: StepRecord): StepMetricsJson {
  const from = step.status === 'succeeded' && step.reused && step.reusedFrom !== undefined ? step.reusedFrom : step.runId;
  const attempt = latestMetricAttempt(store.db, from, step.name);
  const out: StepMetricsJson = { name: step.name, attempt: attempt ?? 0, metrics: [] };
  if (from !== step.runId) out.reusedFrom = from;
  if (attempt !== undefined) out.metrics = readMetrics(store.db, from, step.name, attempt);
  return out;
}

function renderText(runId: string, steps: StepMetricsJson[]): string[] {
  const lines = [`run ${runId}`];
  for (const s of steps) {
    const from = s.reusedFrom !== undefined ? `, reused from run ${s.reusedFrom}` : '';
    lines.push(`  ${s.name} (attempt ${s.attempt}${from})`);
    if (s.metrics.length === 0) { lines.push('    no metrics'); continue; }
    const w = Math.max(6, ...s.metrics.map((m) => m.name.length));
    lines.push(`    ${'METRIC'.padEnd(w)}  ${'LAST'.padStart(12)}  ${'MIN'.padStart(12)}  ${'MAX'.padStart(12)}  ${'COUNT'.padStart(6)}`);
    for (const m of s.metrics) {
      const values = m.values.map((v) => v.value);
      const min = values.reduce((x, y) => Math.min(x, y), Infinity);
      const max = values.reduce((x, y) => Math.max(x, y), -Infinity);
      const cells = [values.at(-1) ?? NaN, min, max].map((v) => formatMetricValue(v).padStart(12));
      lines.push(`    ${m.name.padEnd(w)}  ${cells.join('  ')}  ${String(values.length).padStart(6)}`);
    }
  }
  return lines;
}
