import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { EXIT, parse, UsageError, type Command } from '../command.js';
import { packageRoot, projectFiles, TEMPLATES, type TemplateName } from '../project-template.js';

const usage = `usage: cairn init [dir] [--template ${TEMPLATES.join('|')}]

Writes a new pipeline project into dir (default: the current directory; created if missing), written with cairn/sdk:
  retrain  (default) Preprocess → Train → Evaluate → Register: the gate in Evaluate, a Lambda handler registering the
           model in the local model registry
  minimal  Prepare → Summarize, two processing steps that run in seconds
with pipeline.ts, the step scripts under code/, requirements.txt, cairn.json (the official images mapped to cairn's
local stand-ins), tsconfig.json, .gitignore (.cairn/), a README with the next commands, and a package.json that
depends on this cairn when cairn is not installed in a folder above. Existing files are never overwritten: if any
file it would write exists, nothing is written (exit 2).`;

export const initCommand: Command = {
  name: 'init',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, { template: { type: 'string', short: 't' } }, { min: 0, max: 1 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const template = a.values.template ?? 'retrain';
    if (!(TEMPLATES as readonly string[]).includes(template)) {
      throw new UsageError(`there is no template "${template}"; --template is one of: ${TEMPLATES.join(', ')}\n\n${usage}`);
    }
    const root = packageRoot();
    if (root === undefined) { console.error("cannot find cairn's templates/ folder; reinstall cairn or run it from its checkout."); return EXIT.invalid; }
    const dir = resolve(a.positionals[0] ?? '.');
    const shown = relative(process.cwd(), dir) || '.';
    const files = projectFiles(root, template as TemplateName, dir);
    const existing = files.filter((f) => exists(join(dir, f.path))).map((f) => f.path);
    if (existing.length > 0) {
      console.error(`cairn init: ${shown} already has ${existing.join(', ')}; nothing was written (cairn init never overwrites: move ${existing.length === 1 ? 'it' : 'them'} away or choose another directory)`);
      return EXIT.invalid;
    }
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.text, { flag: 'wx' });
    }
    console.log(`wrote the ${template} template into ${shown}: ${files.map((f) => f.path).join(', ')}`);
    console.log(nextSteps(shown, files.some((f) => f.path === 'package.json')));
    return EXIT.ok;
  },
};

function nextSteps(shown: string, linked: boolean): string {
  return [
    '',
    'next:',
    ...(shown === '.' ? [] : [`  cd ${shown}`]),
    ...(linked ? ['  npm install                                 # links this cairn (types for tsc and your editor)'] : []),
    '  npx cairn images build --only python-numpy  # the local stand-in image (once)',
    '  npx cairn plan pipeline.ts',
    '  npx cairn run pipeline.ts',
  ].join('\n');
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
