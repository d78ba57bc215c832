import { existsSync } from 'node:fs';
import { explainStep } from '../../engine/reports/explain.js';
import { resolveHome } from '../../contracts/home.js';
import { EXIT, parse, type Command } from '../command.js';
import { openReadOnlyStore } from '../open-store.js';
import { explanationLines } from '../explain-text.js';
import { sideWriteLines, stepSideWrites } from '../side-write-lines.js';

const usage = `usage: cairn explain <run-id> <step>

Says why a step was reused or run: the decision the run recorded for it (no earlier execution, --rerun, --no-cache,
CacheConfig, expired, same fingerprint as run R …); when its fingerprint (image id, resolved arguments, input content
hashes, environment) changed, each changed field compared with the execution it was compared with.`;

export const explainCommand: Command = {
  name: 'explain',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, {}, { min: 2, max: 2 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const home = resolveHome();
    if (!existsSync(home.db)) { console.error(`no run "${a.positionals[0]!}" (no cairn home at ${home.root})`); return EXIT.invalid; }
    const store = openReadOnlyStore(home);
    try {
      const e = explainStep(store, a.positionals[0]!, a.positionals[1]!);
      const r = explanationLines(a.positionals[0]!, e);
      // What the step's execution wrote through the run's S3 endpoint (a reused step: what it replayed).
      if ('step' in e && e.step.status === 'succeeded') {
        r.lines.push(...sideWriteLines(stepSideWrites(store, store, e.step), e.step.reused ? e.step.reusedFrom : undefined).map((l) => `  ${l}`));
      }
      for (const l of r.lines) (r.ok ? console.log : console.error)(l);
      return r.ok ? EXIT.ok : EXIT.invalid;
    } finally {
      store.close();
    }
  },
};
