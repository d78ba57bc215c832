import { existsSync } from 'node:fs';
import type { Store } from '../../cache/store.js';
import { resolveHome } from '../../contracts/home.js';
import { listExperiments, trialDetail, type TrialComponent } from '../../engine/reports/experiments.js';
import { EXIT, parse, type Command } from '../command.js';
import { formatMetricValue } from '../progress.js';
import { openReadOnlyStore } from '../open-store.js';

const usage = `usage: cairn experiments [--json]
       cairn experiments show <name> [--json]

Every run is a trial in the experiment its definition's PipelineExperimentConfig names, resolved as SageMaker does
from the run's parameters and execution variables (default: ExperimentName = Execution.PipelineName, TrialName =
Execution.PipelineExecutionId; PipelineExperimentConfig: null puts the run in no experiment). Every step of a trial is
a trial component: its parameters (pipeline parameters, Training HyperParameters, Processing ContainerArguments and
Environment), input and output artifacts with content hashes, and metrics (series length and final value).

  cairn experiments          lists the experiments and their trials (newest first), then the runs in none
  cairn experiments show X   shows experiment X: each trial with its trial components

--json (list) prints {"experiments":[{"name","trials":[{"runId","trialName","pipeline","status","startedAt"}]}],
"withoutExperiment":[{"runId","pipeline","status","startedAt","reason":"disabled"|"unresolved","message"}]}.
--json (show) prints {"name","trials":[{"runId","trialName","pipeline","status","startedAt","parameters",
"components":[{"name","type","status","reusedFrom"?,"parameters":{name: value},"inputArtifacts":[{"name","hash"}],
"outputArtifacts":[{"name","uri","hash","files","bytes"}],"metrics":[{"name","count","final","min"?,"max"?}]}]}]}.`;

export const experimentsCommand: Command = {
  name: 'experiments',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, { json: { type: 'boolean' } }, { min: 0, max: 2 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const [sub, name] = a.positionals;
    if (sub !== undefined && (sub !== 'show' || name === undefined)) {
      console.error(`${sub === 'show' ? 'experiments show needs an experiment name' : `unknown sub-command "${sub}"`}\n\n${usage}`);
      return EXIT.invalid;
    }
    const home = resolveHome();
    const store = existsSync(home.db) ? openReadOnlyStore(home) : undefined;
    try {
      if (name === undefined) return list(store, a.values.json === true);
      return show(store, name, a.values.json === true);
    } finally {
      store?.close();
    }
  },
};

function list(store: Store | undefined, json: boolean): number {
  const { experiments, withoutExperiment } = store === undefined ? { experiments: [], withoutExperiment: [] } : listExperiments(store);
  if (json) { console.log(JSON.stringify({ experiments, withoutExperiment })); return EXIT.ok; }
  if (experiments.length === 0 && withoutExperiment.length === 0) {
    console.log('no runs yet (start one with `cairn run <pipeline.json>`)');
    return EXIT.ok;
  }
  for (const e of experiments) {
    console.log(`experiment ${e.name}  (${e.trials.length} trial${e.trials.length === 1 ? '' : 's'})`);
    const w = Math.max(5, ...e.trials.map((t) => t.trialName.length));
    console.log(`  ${'RUN'.padEnd(14)}${'STATUS'.padEnd(11)}${'STARTED'.padEnd(26)}${'TRIAL'.padEnd(w + 2)}PIPELINE`);
    for (const t of e.trials) {
      console.log(`  ${t.runId.padEnd(14)}${t.status.padEnd(11)}${t.startedAt.padEnd(26)}${t.trialName.padEnd(w + 2)}${t.pipeline}`);
    }
  }
  if (withoutExperiment.length > 0) {
    console.log('runs in no experiment');
    for (const r of withoutExperiment) console.log(`  ${r.runId.padEnd(14)}${r.status.padEnd(11)}${r.pipeline}: ${r.message}`);
  }
  return EXIT.ok;
}

function show(store: Store | undefined, name: string, json: boolean): number {
  const runs = store === undefined ? [] : store.listRuns();
  const trials = [];
  for (const run of runs) {
    const d = trialDetail(store!, run);
    if (d.names.kind !== 'named' || d.names.experiment !== name) continue;
    trials.push({
      runId: run.runId, trialName: d.names.trial, pipeline: run.pipeline, status: run.status,
      startedAt: new Date(run.startedAt).toISOString(), parameters: run.parameters, components: d.components,
    });
  }
  if (trials.length === 0) {
    const known = store === undefined ? [] : listExperiments(store).experiments.map((e) => e.name);
    console.error(`no experiment "${name}" (${known.length === 0 ? 'there are none yet' : `experiments: ${known.join(', ')}`})`);
    return EXIT.invalid;
  }
  if (json) { console.log(JSON.stringify({ name, trials })); return EXIT.ok; }
  console.log(`experiment ${name}  (${trials.length} trial${trials.length === 1 ? '' : 's'})`);
  for (const t of trials) {
    console.log(`  trial ${t.trialName}  run ${t.runId}  ${t.status}  started ${t.startedAt}  pipeline ${t.pipeline}  parameters ${JSON.stringify(t.parameters)}`);
    for (const c of t.components) for (const l of componentLines(c)) console.log(`    ${l}`);
  }
  return EXIT.ok;
}

function componentLines(c: TrialComponent): string[] {
  const from = c.reusedFrom === undefined ? '' : `, reused from run ${c.reusedFrom}`;
  const lines = [`${c.name} (${c.type}, ${c.status}${from})`];
  const own = Object.entries(c.parameters).filter(([k]) => !k.startsWith('Parameters.'));
  if (own.length > 0) lines.push(`  parameters: ${own.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('  ')}`);
  for (const i of c.inputArtifacts) lines.push(`  input  ${i.name}  ${i.hash}`);
  for (const o of c.outputArtifacts) lines.push(`  output ${o.name}  ${o.hash}  ${o.files ?? 0} file(s)  ${o.uri ?? ''}`);
  if (c.metrics.length > 0) {
    lines.push(`  metrics: ${c.metrics.map((m) => `${m.name}=${formatMetricValue(m.final)} (${m.count} value${m.count === 1 ? '' : 's'})`).join('  ')}`);
  }
  return lines;
}
