import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pipelineNameFor } from '../../cli/project-template.js';

const CLI = resolve(import.meta.dirname, '../../dist/cli/main.js');
const ROOT = resolve(import.meta.dirname, '../..');

function init(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'init', ...args], { cwd, encoding: 'utf8', env: { ...process.env, CAIRN_HOME: join(cwd, '.cairn-home') } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function files(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, rel === '' ? e.name : `${rel}/${e.name}`) : [rel === '' ? e.name : `${rel}/${e.name}`]))
    .sort();
}

describe('cairn init', () => {
  let tmp: string;
  beforeEach(() => { tmp = mkdtempSync(join(tmpdir(), 'cairn-init-')); });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes the retrain template by default, named after the folder, with a package.json linking this cairn', () => {
    const dir = join(tmp, 'churn_model v2');
    const r = init(tmp, 'churn_model v2');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(files(dir)).toEqual([
      '.gitignore', 'README.md', 'cairn.json', 'code/evaluate.py', 'code/preprocess.py', 'code/train/train.py',
      'handlers/register.ts', 'package.json', 'pipeline.ts', 'requirements.txt', 'tsconfig.json',
    ]);
    expect(readFileSync(join(dir, 'pipeline.ts'), 'utf8')).toContain("name: 'churn-model-v2'");
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/^# churn-model-v2\n/);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.cairn\/$/m);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toMatchObject({ type: 'module', devDependencies: { cairn: `file:${ROOT}` } });
    expect(JSON.parse(readFileSync(join(dir, 'cairn.json'), 'utf8')).images).toEqual({
      '683313688378.dkr.ecr.*.amazonaws.com/sagemaker-scikit-learn:*': 'cairn-local/python:3.11-numpy',
    });
    expect(r.stdout).toContain('npx cairn plan pipeline.ts');
  });

  it('writes the minimal template into the current directory; no package.json when cairn resolves from a folder above', () => {
    mkdirSync(join(tmp, 'node_modules', 'cairn'), { recursive: true });
    writeFileSync(join(tmp, 'node_modules', 'cairn', 'package.json'), '{"name":"cairn"}');
    const dir = join(tmp, 'proj');
    mkdirSync(dir);
    const r = init(dir, '--template', 'minimal');
    expect(r.code).toBe(0);
    expect(files(dir)).toEqual(['.gitignore', 'README.md', 'cairn.json', 'code/prepare.py', 'code/summarize.py', 'pipeline.ts', 'requirements.txt', 'tsconfig.json']);
    expect(readFileSync(join(dir, 'pipeline.ts'), 'utf8')).toContain("name: 'proj'");
    expect(r.stdout).not.toContain('npm install');
  });

  it('refuses to overwrite: names every existing file, writes nothing, exit 2', () => {
    const dir = join(tmp, 'p');
    mkdirSync(join(dir, 'code'), { recursive: true });
    writeFileSync(join(dir, 'pipeline.ts'), 'mine\n');
    writeFileSync(join(dir, 'code', 'summarize.py'), 'mine too\n');
    const r = init(tmp, 'p', '--template', 'minimal');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('p already has code/summarize.py, pipeline.ts; nothing was written');
    expect(r.stdout).toBe('');
    expect(files(dir)).toEqual(['code/summarize.py', 'pipeline.ts']);
    expect(readFileSync(join(dir, 'pipeline.ts'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(dir, 'code', 'summarize.py'), 'utf8')).toBe('mine too\n');
  });

  it('a second init into the same folder is refused and leaves the first one as it was', () => {
    expect(init(tmp, '--template', 'minimal').code).toBe(0);
    writeFileSync(join(tmp, 'pipeline.ts'), 'edited\n');
    const r = init(tmp, '--template', 'retrain');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cairn init: \. already has \.gitignore, cairn\.json, package\.json, pipeline\.ts, README\.md, requirements\.txt, tsconfig\.json;/);
    expect(readFileSync(join(tmp, 'pipeline.ts'), 'utf8')).toBe('edited\n');
    expect(existsSync(join(tmp, 'handlers'))).toBe(false);
  });

  it('an unknown template or extra arguments are usage errors (exit 2)', () => {
    const r = init(tmp, '--template', 'huge');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('there is no template "huge"; --template is one of: retrain, minimal');
    expect(init(tmp, 'a', 'b').code).toBe(2);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('names pipelines as SageMaker allows', () => {
    expect(pipelineNameFor('/x/My Project!')).toBe('My-Project');
    expect(pipelineNameFor('/x/--_--')).toBe('my-pipeline');
    expect(pipelineNameFor('/x/a.b_c')).toBe('a-b-c');
  });
});
