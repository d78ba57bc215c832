import { availableParallelism } from 'node:os';
import { startRun } from '../../engine/run-pipeline.js';
import { checkImages } from '../../engine/step-images.js';
import { executionVariables } from '../../engine/execution-vars.js';
import { EXIT, parse, UsageError, type Command } from '../command.js';
import { invokeRun } from '../invoke.js';
import { PIPELINE_OPTIONS, readPipelineRequest } from '../pipeline-request.js';
import { openServices } from '../services.js';

const usage = `usage: cairn run <pipeline.json> [--param Name=Value]... [--name N] [--no-cache] [--rerun Step]...
                 [--max-parallel N] [--json]

Runs every step of a SageMaker pipeline definition in Docker. A step whose fingerprint matches an earlier successful
execution is reused instead of run (--no-cache: run everything; --rerun S: run S and its downstream).
The pipeline is a definition (.json) or a .ts/.js/.mjs module whose default export is a cairn/sdk Pipeline.
With --json, prints {"runId","status","steps":[…]} on stdout. Exit: 0 succeeded, 1 failed or stopped, 2 invalid input.`;

export function parseMaxParallel(v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--max-parallel must be a positive integer (got "${String(v)}")`);
  return n;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a pipeline definition locally, reusing cached steps',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, { ...PIPELINE_OPTIONS, 'max-parallel': { type: 'string' } }, { min: 1, max: 1 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const req = await readPipelineRequest(a.positionals[0]!, a.values);
    if (!req.ok) { for (const l of req.error) console.error(l); return EXIT.invalid; }
    const { loaded, parameters, noCache, rerun } = req.value;
    const def = loaded.definition;
    const maxParallel = parseMaxParallel(a.values['max-parallel'], def.maxParallelSteps ?? availableParallelism());
    const services = await openServices();
    if (!services.ok) { console.error(services.error); return EXIT.invalid; }
    // Refuse before recording anything when an image can be neither found, mapped nor pulled.
    const images = await checkImages(services.value.images, def, parameters, executionVariables(loaded.name, 'preflight', Date.now()));
    const missing = images.filter((i) => i.status === 'missing');
    if (missing.length > 0) {
      for (const m of missing) console.error(`${def.file}: step "${m.step}": ${m.message ?? `image ${m.uri} is missing`}`);
      services.value.store.close();
      return EXIT.invalid;
    }
    return invokeRun(services.value, a.values.json === true, maxParallel, (inv) =>
      startRun(services.value, {
        definition: def, definitionText: loaded.text, pipeline: loaded.name, parameters,
        options: { noCache, rerun, maxParallel },
      }, inv));
  },
};
