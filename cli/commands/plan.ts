import { planRun } from '../../engine/run/plan.js';
import { wordPlannedStep } from '../plan-words.js';
import { EXIT, parse, type Command } from '../command.js';
import { PIPELINE_OPTIONS, readPipelineRequest } from '../pipeline-request.js';
import { resolveCliSelection } from '../selection.js';

const usage = `usage: cairn plan <pipeline.json> [--param Name=Value]... [--name N] [--no-cache] [--rerun Step]...
                  [--steps A,B [--from-run RUN]] [--cache cairn|sagemaker] [--s3-read-through] [--json]

Dry run: validates the definition, resolves parameters and images, and shows the order in which steps would run,
each marked "reuse" (a cached execution matches its fingerprint) or "run" with the reason, and the caching rule
that applies to it: cairn content-addressed, sagemaker key (with --cache sagemaker: SageMaker's own step caching,
so you see what the cloud would reuse), never across runs (Lambda, Callback, RegisterModel), or disabled.
Starts no container.
With --steps (selective execution, see \`cairn run --help\`) the upstream steps show "reuse (from run X)" and the
steps outside the selection "not-run".
The pipeline is a definition (.json) or a .ts/.js/.mjs module whose default export is a cairn/sdk Pipeline.
--s3-read-through: an input the local store lacks is looked up in S3, and the plan names the objects a run with
--s3-read-through would fetch (it fetches nothing).`;

export const planCommand: Command = {
  name: 'plan',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, PIPELINE_OPTIONS, { min: 1, max: 1 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const req = await readPipelineRequest(a.positionals[0]!, a.values);
    if (!req.ok) { for (const l of req.error) console.error(l); return EXIT.invalid; }
    const { loaded, parameters, noCache, rerun, cache } = req.value;
    const def = loaded.definition;
    const { openServices } = await import('../services.js'); // Docker and the executors, only once the input is valid
    const services = await openServices(undefined, { readOnly: true, ...(a.values['s3-read-through'] === true ? { s3ReadThrough: 'list' as const } : {}) });
    if (!services.ok) { console.error(services.error); return EXIT.invalid; }
    try {
      const selective = resolveCliSelection(services.value.store, def, loaded.name, req.value);
      if (!selective.ok) { for (const l of selective.error) console.error(l); return EXIT.invalid; }
      const steps = (await planRun(services.value, def, loaded.name, parameters,
        { noCache, rerun, ...(selective.value ? { selective: selective.value } : {}), ...(cache ? { cache } : {}) })).map(wordPlannedStep);
      const blocked = steps.filter((s) => s.action === 'blocked');
      if (a.values.json === true) {
        console.log(JSON.stringify({ pipeline: loaded.name, parameters, steps }, null, 2));
      } else {
        console.log(`pipeline ${loaded.name} (${def.file}): ${steps.length} step(s)`);
        const w = steps.reduce((m, s) => Math.max(m, s.name.length), 4);
        // Rows in the definition's topological order, as planRun returns them (the order a run starts them in).
        steps.forEach((s, i) => {
          const img = s.image ? `  [${s.image.uri}${s.image.local !== s.image.uri ? ` → ${s.image.local}` : ''}]` : '';
          const rule = s.rule === undefined ? '' : `  {${s.rule}}`;
          console.log(`${String(i + 1).padStart(3)}. ${s.name.padEnd(w)}  ${s.action.padEnd(7)} ${s.why}${rule}${img}`);
          for (const warning of s.warnings ?? []) console.log(`     warning: ${warning}`);
        });
        if (blocked.length > 0) console.log(`\n${blocked.length} step(s) cannot run; fix the problems above.`);
      }
      return blocked.length > 0 ? EXIT.invalid : EXIT.ok;
    } finally {
      services.value.store.close();
    }
  },
};
