import { availableParallelism } from 'node:os';
import { planRun } from '../../engine/run/plan.js';
import { wordPlannedStep } from '../plan-words.js';
import { startRun } from '../../engine/run/run-pipeline.js';
import { scheduledSteps } from '../../engine/run/selective.js';
import { EXIT, parse, UsageError, type Command } from '../command.js';
import { invokeRun } from '../invoke.js';
import { PIPELINE_OPTIONS, readPipelineRequest } from '../pipeline-request.js';
import { resolveCliSelection } from '../selection.js';
import { unmappedLambdas } from '../../steps/lambda-config.js';

const usage = `usage: cairn run <pipeline.json> [--param Name=Value]... [--name N] [--no-cache] [--rerun Step]...
                 [--steps A,B [--from-run RUN]] [--cache cairn|sagemaker] [--max-parallel N] [--s3-read-through] [--json]

Runs every step of a SageMaker pipeline definition in Docker. A step whose fingerprint matches an earlier successful
execution is reused instead of run (--no-cache: run everything; --rerun S: run S and its downstream); Lambda, Callback
and RegisterModel steps run in every run. --cache sagemaker applies SageMaker's step caching instead: only steps with
CacheConfig.Enabled=true, by SageMaker's cache key attributes, within ExpireAfter (see \`cairn plan\`).
--steps A,B runs only those (connected) steps, as SageMaker's selective execution does: the steps upstream of them
are reused from the reference run (--from-run, default: the newest run of the pipeline in which they succeeded),
the others are not run.
The pipeline is a definition (.json) or a .ts/.js/.mjs module whose default export is a cairn/sdk Pipeline.
--name defaults to the name \`cairn pull\` recorded for the file, else the file name.
--s3-read-through: an s3:// input the local store lacks is fetched from S3 when a step first reads it (as
\`cairn pull\` does; credentials from the standard AWS chain, never stored; off by default).
With --json, prints {"runId","status","steps":[…]} on stdout. Exit: 0 succeeded, 1 failed or stopped, 2 invalid input.`;

export function parseMaxParallel(v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--max-parallel must be a positive integer (got "${String(v)}")`);
  return n;
}

export const runCommand: Command = {
  name: 'run',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, { ...PIPELINE_OPTIONS, 'max-parallel': { type: 'string' } }, { min: 1, max: 1 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const req = await readPipelineRequest(a.positionals[0]!, a.values);
    if (!req.ok) { for (const l of req.error) console.error(l); return EXIT.invalid; }
    const { loaded, parameters, noCache, rerun, cache } = req.value;
    const def = loaded.definition;
    const maxParallel = parseMaxParallel(a.values['max-parallel'], def.maxParallelSteps ?? availableParallelism());
    const { openServices } = await import('../services.js'); // Docker and the executors, only once the input is valid
    const services = await openServices(undefined, a.values['s3-read-through'] === true ? { s3ReadThrough: 'fetch' } : {});
    if (!services.ok) { console.error(services.error); return EXIT.invalid; }
    const selective = resolveCliSelection(services.value.store, def, loaded.name, req.value);
    if (!selective.ok) { for (const l of selective.error) console.error(l); services.value.store.close(); return EXIT.invalid; }
    const scope = scheduledSteps(def, selective.value);
    // Refuse before recording anything what cannot run: an image that can be neither found, mapped nor pulled, or a
    // step whose arguments or inputs are wrong where that can be known before anything runs (the checks of `plan`).
    const options = { noCache, rerun, maxParallel, ...(selective.value ? { selective: selective.value } : {}), ...(cache ? { cache } : {}) };
    const blocked = (await planRun(services.value, def, loaded.name, parameters, options)).flatMap((p) =>
      (p.action === 'blocked' && p.blocker.kind !== 'waits-on' && (scope === undefined || scope.has(p.name)) ? [wordPlannedStep(p)] : []));
    if (blocked.length > 0) {
      for (const b of blocked) console.error(`${def.file}: step "${b.name}": ${b.why}`);
      services.value.store.close();
      return EXIT.invalid;
    }
    const unmapped = await unmappedLambdas(def.steps, def.file, scope);
    if (unmapped.length > 0) { for (const l of unmapped) console.error(l); services.value.store.close(); return EXIT.invalid; }
    return invokeRun(services.value, a.values.json === true, maxParallel, (inv) =>
      startRun(services.value, {
        definition: def, definitionText: loaded.text, pipeline: loaded.name, parameters,
        options,
      }, inv));
  },
};
