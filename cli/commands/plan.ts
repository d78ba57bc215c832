import { parseParamArgs, resolveParameters } from '../../engine/parameters.js';
import { planRun } from '../../engine/plan.js';
import { EXIT, parse, type Command } from '../command.js';
import { loadPipeline } from '../load-pipeline.js';
import { openServices } from '../services.js';

const usage = `usage: cairn plan <pipeline.json> [--param Name=Value]... [--name N] [--no-cache] [--rerun Step]... [--json]

Dry run: validates the definition, resolves parameters and images, and shows the order in which steps would run,
each marked "reuse" (a cached execution matches its fingerprint) or "run" with the reason. Starts no container.`;

export const planCommand: Command = {
  name: 'plan',
  summary: 'validate a definition and show what would run, and why',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, {
      param: { type: 'string', multiple: true }, name: { type: 'string' }, 'no-cache': { type: 'boolean' },
      rerun: { type: 'string', multiple: true }, json: { type: 'boolean' },
    }, { min: 1, max: 1 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const loaded = await loadPipeline(a.positionals[0]!, a.values.name as string | undefined);
    if (!loaded.ok) { for (const l of loaded.error) console.error(l); return EXIT.invalid; }
    const def = loaded.value.definition;
    const overrides = parseParamArgs((a.values.param as string[] | undefined) ?? []);
    if (!overrides.ok) { for (const l of overrides.error) console.error(l); return EXIT.invalid; }
    const params = resolveParameters(def, overrides.value);
    if (!params.ok) { for (const l of params.error) console.error(`${def.file}: ${l}`); return EXIT.invalid; }
    const rerun = (a.values.rerun as string[] | undefined) ?? [];
    const unknown = rerun.filter((r) => !def.steps.some((s) => s.name === r));
    if (unknown.length > 0) { console.error(`--rerun names unknown step(s): ${unknown.join(', ')}`); return EXIT.invalid; }
    const services = await openServices();
    if (!services.ok) { console.error(services.error); return EXIT.invalid; }
    try {
      const steps = await planRun(services.value, def, loaded.value.name, params.value, { noCache: a.values['no-cache'] === true, rerun });
      const blocked = steps.filter((s) => s.action === 'blocked');
      if (a.values.json === true) {
        console.log(JSON.stringify({ pipeline: loaded.value.name, parameters: params.value, steps }, null, 2));
      } else {
        console.log(`pipeline ${loaded.value.name} (${def.file}): ${steps.length} step(s)`);
        const w = Math.max(...steps.map((s) => s.name.length), 4);
        steps.forEach((s, i) => {
          const img = s.image ? `  [${s.image.uri}${s.image.local !== s.image.uri ? ` → ${s.image.local}` : ''}]` : '';
          console.log(`${String(i + 1).padStart(3)}. ${s.name.padEnd(w)}  ${s.action.padEnd(7)} ${s.why}${img}`);
        });
        if (blocked.length > 0) console.log(`\n${blocked.length} step(s) cannot run; fix the problems above.`);
      }
      return blocked.length > 0 ? EXIT.invalid : EXIT.ok;
    } finally {
      services.value.store.close();
    }
  },
};
