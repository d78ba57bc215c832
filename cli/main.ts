#!/usr/bin/env node
import { EXIT, UsageError, type Command } from './command.js';
import { callbackCommand } from './commands/callback.js';
import { cloudCommand } from './commands/cloud.js';
import { compareCommand } from './commands/compare.js';
import { experimentsCommand } from './commands/experiments.js';
import { explainCommand } from './commands/explain.js';
import { imagesCommand } from './commands/images.js';
import { runsCommand, showCommand } from './commands/inspect.js';
import { logsCommand } from './commands/logs.js';
import { metricsCommand } from './commands/metrics.js';
import { modelsCommand } from './commands/models.js';
import { planCommand } from './commands/plan.js';
import { promoteCommand } from './commands/promote.js';
import { resumeCommand } from './commands/resume.js';
import { runCommand } from './commands/run.js';

const commands: Command[] = [planCommand, runCommand, resumeCommand, runsCommand, showCommand, logsCommand, metricsCommand, experimentsCommand, compareCommand, explainCommand, imagesCommand, callbackCommand, modelsCommand, cloudCommand, promoteCommand];

function help(): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  return [
    'cairn: run SageMaker pipeline definitions locally in Docker, with a step cache and resume',
    '',
    'usage: cairn <command> [options]   (cairn <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'State lives in $CAIRN_HOME (default ./.cairn); images are mapped through ./cairn.json.',
    'Exit codes: 0 succeeded, 1 run failed or stopped, 2 invalid input.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? EXIT.invalid : EXIT.ok;
  }
  const cmd = commands.find((c) => c.name === name);
  if (cmd === undefined) {
    console.error(`unknown command "${name}"\n\n${help()}`);
    return EXIT.invalid;
  }
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

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    console.error('cairn: internal error (a bug; please report it with this trace):');
    console.error(e);
    process.exitCode = 70;
  },
);
