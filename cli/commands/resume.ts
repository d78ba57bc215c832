import { availableParallelism } from 'node:os';
import { resumeRun } from '../../engine/run/run-pipeline.js';
import { EXIT, parse, type Command } from '../command.js';
import { invokeRun } from '../invoke.js';
import { loadStoredDefinition } from '../load-pipeline.js';
import { parseMaxParallel } from './run.js';
import { readCacheMode } from '../pipeline-request.js';

const usage = `usage: cairn resume <run-id> [--cache cairn|sagemaker] [--max-parallel N] [--json]

Continues a failed, stopped or interrupted run with the same definition, parameters and execution id: steps that
succeeded are not run again; the failed or interrupted step and everything downstream run. Containers left by a
crashed cairn process are removed first. Only one process may execute a run at a time. --cache decides the steps
that run with cairn's or SageMaker's caching rules (default: those the run was started with).`;

export const resumeCommand: Command = {
  name: 'resume',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, { 'max-parallel': { type: 'string' }, json: { type: 'boolean' }, cache: { type: 'string' } }, { min: 1, max: 1 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const cache = readCacheMode(a.values.cache);
    if (!cache.ok) { for (const l of cache.error) console.error(l); return EXIT.invalid; }
    const { openServices } = await import('../services.js'); // Docker and the executors, only once the input is valid
    const services = await openServices();
    if (!services.ok) { console.error(services.error); return EXIT.invalid; }
    const runId = a.positionals[0]!;
    const stored = services.value.store.getRun(runId);
    const fallback = stored?.options.maxParallel ?? availableParallelism();
    const maxParallel = parseMaxParallel(a.values['max-parallel'], fallback);
    return invokeRun(services.value, a.values.json === true, maxParallel, (inv) =>
      resumeRun(services.value, runId, (run) => loadStoredDefinition(run.definition, run.definitionFile, { selective: run.options.selective !== undefined }), inv,
        cache.value !== undefined ? { cache: cache.value } : {}));
  },
};
