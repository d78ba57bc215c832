import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PY_IMAGE, Workspace } from '../e2e/harness.js';

const EXAMPLE = resolve(import.meta.dirname, '../../examples/quickstart');

/** A one-step pipeline module (TypeScript unless `js`), importing cairn/sdk as a user would. */
function moduleSource(name: string, js = false): string {
  const typed = js ? '' : ': string';
  return [
    "import { Pipeline, ProcessingOutput, ProcessingStep, ScriptProcessor } from 'cairn/sdk';",
    '',
    `const image${typed} = '${PY_IMAGE}';`,
    "const processor = new ScriptProcessor({ imageUri: image, command: ['python3'], instanceType: 'ml.m5.large', role: 'arn:aws:iam::111122223333:role/r' });",
    'const hello = new ProcessingStep({',
    "  name: 'Hello', processor, code: 's3://ws/code/hello.py',",
    "  outputs: [new ProcessingOutput({ outputName: 'out', source: '/opt/ml/processing/out' })],",
    '});',
    `export default new Pipeline({ name: '${name}', steps: [hello] });`,
    '',
  ].join('\n');
}

describe('cairn plan with .ts / .js pipeline modules', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = new Workspace();
    ws.putS3('ws', 'code/hello.py', 'print("hello")\n');
  });
  afterAll(() => ws.dispose());

  it('plans a TypeScript module outside the package; the name comes from Pipeline.name', async () => {
    ws.write('hello.ts', moduleSource('hello-ts'));
    const r = await ws.run(['plan', 'hello.ts']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pipeline hello-ts (hello.ts): 1 step(s)');
    expect(r.stdout).toMatch(/1\. Hello\s+run/);
    expect(readdirSync(ws.dir).filter((f) => f.endsWith('.mjs'))).toEqual([]);
    expect(readdirSync(join(ws.home, 'compiled'))).toHaveLength(1);
    const again = await ws.run(['plan', 'hello.ts']);
    expect(again.stdout).toContain('pipeline hello-ts (hello.ts): 1 step(s)');
    expect(readdirSync(join(ws.home, 'compiled'))).toHaveLength(1);
  });

  it('plans a .js module (and .mjs) importing cairn/sdk; --name wins', async () => {
    ws.write('hello.js', moduleSource('hello-js', true));
    ws.write('hello.mjs', moduleSource('hello-mjs', true));
    const js = await ws.run(['plan', 'hello.js']);
    expect(js.stderr).toBe('');
    expect(js.stdout).toContain('pipeline hello-js (hello.js): 1 step(s)');
    const mjs = await ws.run(['plan', 'hello.mjs', '--name', 'renamed']);
    expect(mjs.stdout).toContain('pipeline renamed (hello.mjs): 1 step(s)');
  });

  it('reports a syntax error at the user\'s line:col', async () => {
    ws.write('broken.ts', moduleSource('b').replace("const hello = new ProcessingStep({", "const hello = new ProcessingStep({{"));
    const r = await ws.run(['plan', 'broken.ts']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')[0]).toMatch(/^broken\.ts:5:35: error TS\d+: /);
    expect(readdirSync(ws.dir).filter((f) => f.endsWith('.mjs'))).toEqual(['hello.mjs']);
  });

  it('reports an error thrown while building the pipeline at the user\'s line:col', async () => {
    const src = moduleSource('t') + "\nconst typo = (hello.properties.outputUri as (n: string) => unknown)('ot');\nvoid typo;\n";
    ws.write('throws.ts', src);
    const r = await ws.run(['plan', 'throws.ts']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('throws.ts:11:32: building the pipeline failed: step "Hello" has no output "ot" (it has "out")');
    expect(lines[1]).toMatch(/at .*throws\.ts:11:32/);
  });

  it('names the module in diagnostics of the generated definition', async () => {
    ws.write('dup.ts', moduleSource('d').replace("export default new Pipeline({ name: 'd', steps: [hello] });",
      "export default new Pipeline({ name: 'd', steps: [hello, new ProcessingStep({ name: 'Next', processor, code: 's3://ws/code/hello.py', dependsOn: ['Nope'] })] });"));
    const r = await ws.run(['plan', 'dup.ts']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dup\.ts: generated definition Steps\[1\]\.DependsOn\[0\] \(step "Next"\): .*"Nope"/m);
  });

  it('refuses a module whose default export is not a Pipeline', async () => {
    ws.write('nothing.mjs', 'export const x = 1;\n');
    const r = await ws.run(['plan', 'nothing.mjs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing.mjs: the module has no default export');
  });
});

describe('cairn plan examples/quickstart/pipeline.ts', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = new Workspace();
    ws.write('cairn.json', readFileSync(resolve(EXAMPLE, 'cairn.json'), 'utf8'));
    for (const f of readdirSync(resolve(EXAMPLE, 'code'))) ws.putS3('cairn-quickstart', `code/${f}`, readFileSync(resolve(EXAMPLE, 'code', f), 'utf8'));
  });
  afterAll(() => ws.dispose());

  it('plans every step of the quickstart', async () => {
    const r = await ws.run(['plan', resolve(EXAMPLE, 'pipeline.ts')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pipeline quickstart');
    for (const s of ['Generate', 'Prepare', 'Profile', 'Train', 'Evaluate', 'Report']) expect(r.stdout).toMatch(new RegExp(`\\d\\. ${s}\\s+run`));
  });
});
