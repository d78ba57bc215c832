import { existsSync } from 'node:fs';
import { compareRuns, type Comparison, type CompareRow } from '../../engine/reports/compare-runs.js';
import { resolveHome } from '../../contracts/home.js';
import type { JsonValue } from '../../kernel/json.js';
import { EXIT, parse, type Command } from '../command.js';
import { formatMetricValue } from '../progress.js';
import { openReadOnlyStore } from '../open-store.js';

const usage = `usage: cairn compare <run-id>... [--metric NAME] [--step S] [--json]

Compares runs side by side: their parameters (pipeline parameters as Parameters.X, and per step the Training
HyperParameters, Processing ContainerArguments and Environment the job ran with, as <Step>.HyperParameters.k …) and
their final metrics (a Training step's FinalMetricDataList, else the last value its metric definitions matched).
Rows whose values differ between the runs are marked with "*"; "-" is a value the run does not have.
  --metric NAME  order the runs by that final metric, highest first (runs without it last)
  --step S       only the parameters and metrics of step S (pipeline parameters are always shown)
--json prints {"runs":[{"runId","pipeline","status","startedAt","experiment"?,"trial"?}],
"sortedBy"?:{"metric","step","order":"descending"},"parameters":[{"name","step"?,"values":{runId: value|null},"differs"}],
"metrics":[{"name","step","values":{runId: number|null},"differs"}]} (runs in display order).`;

export const compareCommand: Command = {
  name: 'compare',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, { json: { type: 'boolean' }, metric: { type: 'string' }, step: { type: 'string' } },
      { min: 1, max: Infinity });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const home = resolveHome();
    if (!existsSync(home.db)) { console.error(`no run "${a.positionals[0]!}" (no cairn home at ${home.root})`); return EXIT.invalid; }
    const store = openReadOnlyStore(home);
    try {
      const opts: { step?: string; metric?: string } = {};
      if (a.values.step !== undefined) opts.step = a.values.step;
      if (a.values.metric !== undefined) opts.metric = a.values.metric;
      const r = compareRuns(store, a.positionals, opts);
      if (!r.ok) { console.error(r.error); return EXIT.invalid; }
      if (a.values.json === true) console.log(JSON.stringify(r.value));
      else for (const l of renderTable(r.value)) console.log(l);
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};

const text = (v: JsonValue | null): string =>
  v === null ? '-' : typeof v === 'number' ? formatMetricValue(v) : typeof v === 'string' ? v : JSON.stringify(v);

export function renderTable(c: Comparison): string[] {
  const ids = c.runs.map((r) => r.runId);
  const rows: { mark: string; label: string; cells: string[] }[] = [];
  const section = (title: string, list: CompareRow<JsonValue>[], label: (r: CompareRow<JsonValue>) => string): void => {
    rows.push({ mark: ' ', label: title, cells: [] });
    if (list.length === 0) rows.push({ mark: ' ', label: '  (none)', cells: [] });
    for (const r of list) rows.push({ mark: r.differs ? '*' : ' ', label: `  ${label(r)}`, cells: ids.map((id) => text(r.values[id] ?? null)) });
  };
  section('PARAMETERS', c.parameters, (r) => r.name);
  section('FINAL METRICS', c.metrics, (r) => `${r.step ?? ''} ${r.name}`.trim());
  const lw = Math.max(12, ...rows.map((r) => r.label.length));
  const widths = ids.map((id, i) => Math.min(40, Math.max(id.length, ...rows.map((r) => (r.cells[i] ?? '').length))));
  const fit = (s: string, w: number): string => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  const header = c.sortedBy === undefined
    ? `comparing ${ids.length} run${ids.length === 1 ? '' : 's'} (* marks rows whose values differ)`
    : `comparing ${ids.length} runs, sorted by ${c.sortedBy.metric} (${c.sortedBy.step}), descending (* marks rows whose values differ)`;
  const out = [header, `  ${''.padEnd(lw)}  ${ids.map((id, i) => fit(id, widths[i]!)).join('  ')}`.trimEnd()];
  for (const r of rows) out.push(`${r.mark} ${fit(r.label, lw)}  ${r.cells.map((s, i) => fit(s, widths[i]!)).join('  ')}`.trimEnd());
  return out;
}
