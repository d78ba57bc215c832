import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseImageMap } from '../../containers/image-map.js';
import { DEFAULT_LAMBDA_TIMEOUT_S, LambdaMap, loadLambdaMap, parseLambdaMap, unmappedLambdas } from '../../steps/lambda-config.js';

const tmp = mkdtempSync(join(tmpdir(), 'cairn-lambdas-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const FILE = '/work/project/cairn.json';
const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:register';

const parse = (lambdas: unknown) => parseLambdaMap({ lambdas }, FILE);
function error(lambdas: unknown): string {
  const r = parse(lambdas);
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('cairn.json lambdas', () => {
  it('reads module and command handlers, resolving module paths against cairn.json\'s directory', () => {
    const r = parse({
      [ARN]: { module: './handlers/register.ts', export: 'register', timeout: 30 },
      'arn:aws:lambda:*:*:function:score-*': { command: ['python3', '/code/score.py'], image: 'cairn-local/python:3.11-numpy' },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.size).toBe(2);
    expect(r.value.lookup(ARN)).toEqual({
      pattern: ARN,
      handler: { kind: 'module', module: '/work/project/handlers/register.ts', moduleAsWritten: './handlers/register.ts', export: 'register', timeoutS: 30 },
    });
    expect(r.value.lookup('arn:aws:lambda:eu-west-1:1:function:score-fast')?.handler).toEqual({
      kind: 'command', command: ['python3', '/code/score.py'], image: 'cairn-local/python:3.11-numpy', timeoutS: DEFAULT_LAMBDA_TIMEOUT_S,
    });
    expect(r.value.lookup('arn:aws:lambda:us-east-1:1:function:other')).toBeUndefined();
  });

  it('defaults the export to "handler" and prefers an exact ARN, then the longest pattern', () => {
    const map = new LambdaMap({
      '*': { kind: 'command', command: ['any'], image: 'i', timeoutS: 1 },
      'arn:aws:lambda:*:function:register': { kind: 'command', command: ['pattern'], image: 'i', timeoutS: 1 },
    });
    expect(map.lookup(ARN)?.pattern).toBe('arn:aws:lambda:*:function:register');
    expect(map.lookup('x')?.pattern).toBe('*');
    const r = parse({ [ARN]: { module: 'h.mjs' } });
    expect(r.ok && r.value.lookup(ARN)?.handler).toMatchObject({ export: 'handler', module: '/work/project/h.mjs' });
  });

  it('refuses malformed entries with the field and the fix', () => {
    expect(error([])).toContain('"lambdas" must be an object mapping function ARNs to handlers');
    expect(error({ '': { module: 'a.ts' } })).toContain('empty key');
    expect(error({ [ARN]: 'a.ts' })).toContain(`lambdas["${ARN}"] must be an object`);
    expect(error({ [ARN]: {} })).toContain('must give either "module" or "command" (not neither)');
    expect(error({ [ARN]: { module: 'a.ts', command: ['x'] } })).toContain('(not both)');
    expect(error({ [ARN]: { module: 'a.py' } })).toContain('must name a .ts, .mts, .js or .mjs file');
    expect(error({ [ARN]: { module: 'a.ts', image: 'x' } })).toContain('"image" goes with "command"');
    expect(error({ [ARN]: { command: 'python3 x.py', image: 'x' } })).toContain('command must be a non-empty list of strings');
    expect(error({ [ARN]: { command: ['python3'] } })).toContain('needs "image"');
    expect(error({ [ARN]: { module: 'a.ts', timeout: 0 } })).toContain('timeout must be a positive number of seconds');
    expect(error({ [ARN]: { module: 'a.ts', handler: 'x' } })).toContain('unknown field(s) "handler"');
  });

  it('loads from a directory: no file or no section is empty; images and lambdas live side by side', async () => {
    expect((await loadLambdaMap(join(tmp, 'none'))).ok).toBe(true);
    const doc = { images: { 'a/b:1': 'local/b:1' }, lambdas: { [ARN]: { module: './h.ts' } } };
    writeFileSync(join(tmp, 'cairn.json'), JSON.stringify(doc));
    const r = await loadLambdaMap(tmp);
    expect(r.ok && r.value.lookup(ARN)?.handler).toMatchObject({ module: join(tmp, 'h.ts') });
    const images = parseImageMap(JSON.stringify(doc), 'cairn.json');
    expect(images.ok && images.value.lookup('a/b:1')?.target).toBe('local/b:1');
    writeFileSync(join(tmp, 'cairn.json'), '{"lambdas": ');
    const bad = await loadLambdaMap(tmp);
    expect(!bad.ok && bad.error).toContain('is not valid JSON');
  });

  it('names every Lambda step whose FunctionArn has no handler (run preflight)', async () => {
    writeFileSync(join(tmp, 'cairn.json'), JSON.stringify({ lambdas: { [ARN]: { module: './h.ts' } } }));
    const steps = [
      { name: 'A', type: 'Lambda', raw: { FunctionArn: ARN } },
      { name: 'B', type: 'Lambda', raw: { FunctionArn: 'arn:aws:lambda:us-east-1:1:function:nope' } },
      { name: 'C', type: 'Processing', raw: {} },
    ];
    const lines = await unmappedLambdas(steps, 'p.json', undefined, tmp);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('p.json: Lambda step "B": no local handler for FunctionArn "arn:aws:lambda:us-east-1:1:function:nope"');
    expect(await unmappedLambdas(steps, 'p.json', new Set(['A']), tmp)).toEqual([]);
  });
});
