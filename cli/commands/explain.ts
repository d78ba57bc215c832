import { existsSync } from 'node:fs';
import { explainStep } from '../../engine/reports/explain.js';
import { failureSentence } from '../render-failure.js';
import { resolveHome } from '../../contracts/home.js';
import { EXIT, parse, type Command } from '../command.js';
import { openStore } from '../services.js';

const usage = `usage: cairn explain <run-id> <step>

Says why a step was reused or run: its fingerprint (image id, resolved arguments, input content hashes, environment)
compared field by field with the previous successful execution of the same step.`;

export const explainCommand: Command = {
  name: 'explain',
  summary: 'say why a step was reused or run (what changed)',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, {}, { min: 2, max: 2 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const home = resolveHome();
    if (!existsSync(home.db)) { console.error(`no run "${a.positionals[0]!}" (no cairn home at ${home.root})`); return EXIT.invalid; }
    const store = openStore(home);
    try {
      const runId = a.positionals[0]!;
      if (store.getRun(runId) === undefined) { console.error(`no run "${runId}" (see \`cairn runs\`)`); return EXIT.invalid; }
      const r = explainStep(store, runId, a.positionals[1]!, (s, f) => failureSentence(s, f));
      for (const l of r.lines) (r.ok ? console.log : console.error)(l);
      return r.ok ? EXIT.ok : EXIT.invalid;
    } finally {
      store.close();
    }
  },
};
