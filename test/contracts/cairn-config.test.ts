import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCairnConfig } from '../../contracts/cairn-config-file.js';
import { DEFAULT_LAMBDA_TIMEOUT_S, parseCairnConfig } from '../../contracts/cairn-config.js';

const FILE = '/proj/cairn.json';
const ARN = 'arn:aws:lambda:us-east-1:1:function:f';
const tmp = mkdtempSync(join(tmpdir(), 'cairn-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function problem(doc: unknown): string {
  const r = parseCairnConfig(JSON.stringify(doc), FILE);
  if (r.ok) throw new Error(`expected ${JSON.stringify(doc)} to be refused`);
  return r.error;
}

describe('cairn.json: one schema for images and lambdas', () => {
  it('reads both sections of one file; other keys are ignored', () => {
    const r = parseCairnConfig(JSON.stringify({
      images: { 'a/b:1': ' local/b:1 ' },
      lambdas: { [ARN]: { module: './h.ts' }, 'arn:*': { command: ['python3', 'x.py'], image: 'img', timeout: 5 } },
      comment: 'ignored',
    }), FILE);
    expect(r).toEqual({
      ok: true,
      value: {
        file: FILE,
        images: { 'a/b:1': 'local/b:1' },
        lambdas: {
          [ARN]: { kind: 'module', module: '/proj/h.ts', moduleAsWritten: './h.ts', export: 'handler', timeoutS: DEFAULT_LAMBDA_TIMEOUT_S },
          'arn:*': { kind: 'command', command: ['python3', 'x.py'], image: 'img', timeoutS: 5 },
        },
      },
    });
    expect(parseCairnConfig('{}', FILE)).toEqual({ ok: true, value: { file: FILE, images: {}, lambdas: {} } });
  });

  it('names the file, the JSON path and the problem, one error per problem', () => {
    expect(parseCairnConfig('{"images": ', FILE)).toMatchObject({ ok: false, error: expect.stringMatching(/^\/proj\/cairn\.json is not valid JSON \(.+\); fix the syntax/) });
    expect(problem([])).toBe('/proj/cairn.json must hold a JSON object, e.g. {"images": {"<image uri>": "<local image>"}}.');
    expect(problem({ images: 'x' })).toMatch(/^\/proj\/cairn\.json: "images" must be an object mapping image URIs to local images/);
    expect(problem({ images: { '': 'x' } })).toMatch(/^\/proj\/cairn\.json: "images" has an empty key/);
    expect(problem({ images: { 'a/b:1': '' } })).toMatch(/^\/proj\/cairn\.json: images\["a\/b:1"\] must be a non-empty string naming a local image .*, not ""\.$/);
    expect(problem({ lambdas: [] })).toMatch(/^\/proj\/cairn\.json: "lambdas" must be an object mapping function ARNs to handlers/);
    expect(problem({ lambdas: { ' ': {} } })).toMatch(/^\/proj\/cairn\.json: "lambdas" has an empty key/);
    expect(problem({ lambdas: { [ARN]: { module: './h.ts', timeout: -1 } } })).toBe(`/proj/cairn.json: lambdas["${ARN}"].timeout must be a positive number of seconds, not -1.`);
    expect(problem({ lambdas: { [ARN]: { command: ['x', 1], image: 'i' } } })).toMatch(new RegExp(`^/proj/cairn\\.json: lambdas\\["${ARN}"\\]\\.command must be a non-empty list of strings`));
    // A problem in either section refuses the whole file, whichever section a caller wants.
    expect(problem({ images: { 'a/b:1': 'x' }, lambdas: { [ARN]: 'h.ts' } })).toMatch(/lambdas\[.*\] must be an object/);
  });

  it('loads <dir>/cairn.json: a missing file is empty, an unreadable one an error naming it', async () => {
    expect(await loadCairnConfig(join(tmp, 'nowhere'))).toEqual({ ok: true, value: { images: {}, lambdas: {} } });
    const file = join(tmp, 'cairn.json');
    writeFileSync(file, JSON.stringify({ images: { 'a/b:1': 'local/b:1' } }));
    expect(await loadCairnConfig(tmp)).toEqual({ ok: true, value: { file, images: { 'a/b:1': 'local/b:1' }, lambdas: {} } });
    writeFileSync(file, '{"lambdas": {"x": {"module": "h.py"}}}');
    expect(await loadCairnConfig(tmp)).toEqual({ ok: false, error: `${file}: lambdas["x"].module must name a .ts, .mts, .js or .mjs file, not "h.py".` });
    const dirFile = join(tmp, 'sub', 'cairn.json');
    mkdirSync(dirFile, { recursive: true });
    const r = await loadCairnConfig(join(tmp, 'sub'));
    expect(!r.ok && r.error).toMatch(/^\/.*\/sub\/cairn\.json could not be read \(.*EISDIR.*\); check its permissions\.$/);
  });
});
