import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project templates `cairn init --template` offers (folders under this cairn's templates/). */
export const TEMPLATES = ['retrain', 'minimal'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

/** One file `cairn init` writes: its path in the new project and its text. */
export interface ProjectFile {
  path: string;
  text: string;
}

/** This cairn's package root (the folder holding templates/): found upwards from this module, as built or as source. */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'templates', 'minimal', 'pipeline.ts')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * A pipeline name SageMaker accepts (`[A-Za-z0-9](-*[A-Za-z0-9])*`, at most 256), from the project folder's name.
 */
export function pipelineNameFor(dir: string): string {
  const name = basename(dir).replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 256).replace(/-+$/, '');
  return name === '' ? 'my-pipeline' : name;
}

/**
 * The files of `template` for a project in `dir`, `{{name}}` replaced by the pipeline name. npm does not ship files
 * called `.gitignore`, so the template's `gitignore` becomes `.gitignore`. A `package.json` depending on this cairn
 * (`file:` its folder) is added unless `cairn` already resolves from `dir` (installed in a folder above it).
 */
export function projectFiles(root: string, template: TemplateName, dir: string): ProjectFile[] {
  const name = pipelineNameFor(dir);
  const src = join(root, 'templates', template);
  const files = walk(src).map((abs) => {
    const rel = relative(src, abs).split(sep).join('/');
    return { path: rel === 'gitignore' ? '.gitignore' : rel, text: readFileSync(abs, 'utf8').replaceAll('{{name}}', name) };
  });
  if (!resolvesCairn(dir)) files.push({ path: 'package.json', text: packageJson(name, root) });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

function packageJson(name: string, root: string): string {
  const pkg = {
    name, private: true, type: 'module',
    description: `${name}: a SageMaker pipeline in TypeScript, run locally with cairn`,
    // `npm install` links the cairn this project was made with, for `tsc` and the editor (cairn itself needs nothing).
    devDependencies: { cairn: `file:${root}` },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** Whether Node's resolution from `dir` finds a `cairn` package (node_modules/cairn in `dir` or a folder above). */
function resolvesCairn(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules', 'cairn', 'package.json'))) return true;
    if (dirname(d) === d) return false;
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
