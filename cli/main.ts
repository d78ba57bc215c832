#!/usr/bin/env node
import { EXIT, UsageError, type Command } from './command.js';

/**
 * The sub-commands, each loaded only when it is the one asked for: `cairn --help` loads no command module, and a
 * command loads only what it uses (its start-up cost is that of its own imports, not of every command's).
 */
interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

const commands: CommandEntry[] = [
  { name: 'init', summary: 'write a new pipeline project (pipeline.ts, step scripts, cairn.json) to start from', load: async () => (await import('./commands/init.js')).initCommand },
  { name: 'plan', summary: 'validate a definition and show what would run, and why', load: async () => (await import('./commands/plan.js')).planCommand },
  { name: 'run', summary: 'run a pipeline definition locally, reusing cached steps', load: async () => (await import('./commands/run.js')).runCommand },
  { name: 'resume', summary: 'continue a failed or stopped run from where it stopped', load: async () => (await import('./commands/resume.js')).resumeCommand },
  { name: 'runs', summary: 'list runs, newest first', load: async () => (await import('./commands/inspect.js')).runsCommand },
  { name: 'show', summary: 'show the steps of a run', load: async () => (await import('./commands/inspect.js')).showCommand },
  { name: 'logs', summary: "print a step's container log", load: async () => (await import('./commands/logs.js')).logsCommand },
  { name: 'metrics', summary: 'show the metrics a run\'s steps logged', load: async () => (await import('./commands/metrics.js')).metricsCommand },
  { name: 'experiments', summary: 'list experiments and their trials (runs); `experiments show <name>` for one', load: async () => (await import('./commands/experiments.js')).experimentsCommand },
  { name: 'compare', summary: 'compare runs: parameters and final metrics side by side', load: async () => (await import('./commands/compare.js')).compareCommand },
  { name: 'explain', summary: 'say why a step was reused or run (what changed)', load: async () => (await import('./commands/explain.js')).explainCommand },
  { name: 'doctor', summary: 'check the store (database, content store, s3/ view, leftovers); --repair fixes what it can', load: async () => (await import('./commands/doctor.js')).doctorCommand },
  { name: 'images', summary: 'list or build the local stand-in images (offline)', load: async () => (await import('./commands/images.js')).imagesCommand },
  { name: 'callback', summary: 'complete a waiting Callback step (--success or --failure)', load: async () => (await import('./commands/callback.js')).callbackCommand },
  { name: 'models', summary: 'the local model registry: groups, list, show, compare, approve, reject, lineage, push', load: async () => (await import('./commands/models.js')).modelsCommand },
  { name: 'ui', summary: 'a web app over this home: runs, live DAG, logs, metrics, compare, models', load: async () => (await import('./commands/ui.js')).uiCommand },
  { name: 'cloud', summary: 'pipeline executions on SageMaker: runs, show, watch, retry, stop', load: async () => (await import('./commands/cloud.js')).cloudCommand },
  { name: 'pull', summary: 'fetch a definition\'s S3 objects (or a deployed pipeline by name) into the local store', load: async () => (await import('./commands/pull.js')).pullCommand },
  { name: 'promote', summary: 'upload local data and code, then create or update the pipeline on SageMaker', load: async () => (await import('./commands/promote.js')).promoteCommand },
];

function help(): string {
  const w = commands.reduce((m, c) => Math.max(m, c.name.length), 0);
  return [
    'cairn: run SageMaker pipeline definitions locally in Docker, with a step cache and resume',
    '',
    'usage: cairn <command> [options]   (cairn <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'State lives in $CAIRN_HOME (default ./.cairn); images are mapped through ./cairn.json.',
    'Exit codes: 0 succeeded, 1 run failed or stopped (or cairn\'s database is damaged, or its disk full), 2 invalid input.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? EXIT.invalid : EXIT.ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (entry === undefined) {
    console.error(`unknown command "${name}"\n\n${help()}`);
    return EXIT.invalid;
  }
  const cmd = await entry.load();
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return EXIT.invalid;
    }
    throw e;
  }
}

/**
 * A damaged database, or a disk too full for cairn's records, is not a bug: one clear message (cli/store-fault-words.ts)
 * and exit code 1. Anything else that escapes a command is.
 */
async function reportEscaped(e: unknown): Promise<number> {
  const [{ storeFaultOf }, { resolveHome }, { storeFaultText }] = await Promise.all([
    import('../cache/store-fault.js'), import('../contracts/home.js'), import('./store-fault-words.js'),
  ]);
  const fault = storeFaultOf(e, resolveHome().db);
  if (fault !== undefined) {
    console.error(storeFaultText(fault.problem));
    return EXIT.failed;
  }
  console.error('cairn: internal error (a bug; please report it with this trace):');
  console.error(e);
  return 70;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  async (e: unknown) => { process.exitCode = await reportEscaped(e); },
);
