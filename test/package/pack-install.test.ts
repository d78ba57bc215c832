import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOffline, pack, sh, stageTree, tarballFiles } from '../support/package-install.js';

const REPO = resolve(import.meta.dirname, '../..');

/** A user's own pipeline module: typed properties, parameters, a Lambda handler typed by cairn/registry. */
const PIPELINE = `import { ParameterInteger, Pipeline, ProcessingInput, ProcessingOutput, ProcessingStep, ScriptProcessor } from 'cairn/sdk';
import type { PropertyReference } from 'cairn/sdk';

const rows = new ParameterInteger({ name: 'Rows', defaultValue: 10 });
const processor = new ScriptProcessor({
  imageUri: 'cairn-local/python:3.11-numpy', command: ['python3'], instanceType: 'ml.m5.large', instanceCount: 1,
  role: 'arn:aws:iam::111122223333:role/r',
});
const a = new ProcessingStep({
  name: 'First', processor, code: 'first.py', jobArguments: ['--rows', rows.toStringExpr()],
  outputs: [new ProcessingOutput({ outputName: 'out', source: '/opt/ml/processing/out' })],
});
const b = new ProcessingStep({
  name: 'Second', processor, code: 'first.py',
  inputs: [new ProcessingInput({ inputName: 'in', source: a.properties.outputUri('out'), destination: '/opt/ml/processing/in' })],
});
const uri: PropertyReference = a.properties.processingOutputConfig.outputs.get('out').s3Output.s3Uri;
void uri;
export default new Pipeline({ name: 'from-the-tarball', parameters: [rows], steps: [a, b] });
`;
const HANDLER = `import type { HandlerRegistry } from 'cairn/registry';
export async function handler(_e: unknown, context: { registry: HandlerRegistry }): Promise<number> {
  return context.registry.groups().length;
}
`;
/**
 * What a user's tsconfig.json for an ESM project says; skipLibCheck off, so that every shipped .d.ts is checked too
 * (their imports of better-sqlite3's and Node's types resolve through cairn's dependencies).
 */
const TSCONFIG = { compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false } };

describe('npm pack → npm install of the tarball into an empty project → tsc and npx cairn', { timeout: 600_000 }, () => {
  let tmp: string;
  let tarball: string;
  let files: string[];
  let app: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cairn-pack-'));
    const src = join(tmp, 'src');
    stageTree(REPO, src);
    tarball = pack(src, tmp);
    files = tarballFiles(tarball);
    app = join(tmp, 'app');
    mkdirSync(app);
    installOffline(tarball, app, REPO);
  }, 900_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('ships compiled JS, .d.ts and maps for cairn/sdk and cairn/registry, the CLI, the image scripts and the templates; no tests, fakes or benches', () => {
    for (const f of [
      'dist/sdk/index.js', 'dist/sdk/index.d.ts', 'dist/sdk/index.js.map', 'dist/sdk/index.d.ts.map', 'dist/sdk/steps.d.ts',
      'dist/registry/index.js', 'dist/registry/index.d.ts', 'dist/registry/index.d.ts.map', 'dist/cli/main.js',
      'containers/images/build-test-images.sh', 'containers/images/build-tensorflow-images.sh',
      'templates/retrain/pipeline.ts', 'templates/retrain/gitignore', 'templates/minimal/pipeline.ts', 'package.json', 'README.md',
    ]) expect(files, f).toContain(f);
    expect(files.filter((f) => /(^|\/)(test|bench|examples)\/|fake|\.test\.|\.cairn\//.test(f))).toEqual([]);
    const map = JSON.parse(readFileSync(join(app, 'node_modules/cairn/dist/sdk/pipeline.js.map'), 'utf8')) as { sourcesContent?: unknown[] };
    expect(map.sourcesContent?.[0]).toEqual(expect.stringContaining('export class Pipeline'));
  });

  it("type-checks a user's pipeline module and Lambda handler against the installed types", () => {
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, include: ['pipeline.ts', 'handler.ts'] }));
    writeFileSync(join(app, 'pipeline.ts'), PIPELINE);
    writeFileSync(join(app, 'handler.ts'), HANDLER);
    writeFileSync(join(app, 'first.py'), 'print("first")\n');
    const r = sh(join(app, 'node_modules/.bin/tsc'), ['-p', '.'], app);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('a name cairn/sdk does not export, or a wrong option type, is a compile error (the types are not `any`)', () => {
    writeFileSync(join(app, 'wrong.ts'), [
      "import { ProcessingStep, NoSuchStep } from 'cairn/sdk';",
      "export const s = new ProcessingStep({ name: 'X', processor: 42 });",
      'void NoSuchStep;', '',
    ].join('\n'));
    writeFileSync(join(app, 'tsconfig.wrong.json'), JSON.stringify({ ...TSCONFIG, include: ['wrong.ts'] }));
    const r = sh(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.wrong.json'], app);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^wrong\.ts\(1,26\): error TS2305: Module '"cairn\/sdk"' has no exported member 'NoSuchStep'\./m);
    expect(r.stdout).toMatch(/^wrong\.ts\(2,50\): error TS2322: Type 'number' is not assignable to type 'Processor'\./m);
  });

  it('npx cairn plans the module; npx cairn init writes a project that type-checks and plans with the installed cairn', () => {
    const env = { CAIRN_HOME: join(app, '.cairn') };
    const plan = sh('npx', ['--no', 'cairn', 'plan', 'pipeline.ts'], app, env);
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toContain('pipeline from-the-tarball (pipeline.ts): 2 step(s)');
    expect(plan.code).toBe(0);
    const init = sh('npx', ['--no', 'cairn', 'init', 'proj'], app, env);
    expect(init.code).toBe(0);
    const proj = join(app, 'proj');
    expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).dependencies.cairn).toMatch(/^file:/);
    const tsc = sh(join(app, 'node_modules/.bin/tsc'), ['-p', '.'], proj);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
    const planned = sh('npx', ['--no', 'cairn', 'plan', 'pipeline.ts'], proj, { CAIRN_HOME: join(proj, '.cairn') });
    expect(planned.stderr).toBe('');
    expect(planned.stdout).toContain('pipeline proj (pipeline.ts): 6 step(s)');
    expect(planned.code).toBe(0);
  });
});
