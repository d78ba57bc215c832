import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkBlob } from '../../cache/blob-check.js';
import { casRoot } from '../../cache/cas.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { outRef, pyStep } from './fixtures.js';
import { summary, Workspace } from './harness.js';

const DATA = 'hello cairn\n';
const CODE = [
  'import os',
  "a = '/opt/ml/processing/input/a/a.txt'",
  'before = open(a).read()',
  "open(a, 'a').write('written by the job\\n')",
  "open(__file__, 'a').write('# written by the job\\n')",
  "os.chmod(a, 0o666)",
  "after = open(a).read()",
  "open('/opt/ml/processing/output/b/b.txt', 'w').write(before + '|appended=' + str(after != before))",
  '',
].join('\n');

let ws: Workspace;
let codeFile: string;
beforeEach(() => {
  ws = new Workspace();
  ws.putS3('test-bucket', 'input/data.txt', DATA);
  codeFile = ws.write('code/tamper.py', CODE);
  const A = pyStep('A', [
    "d = '/opt/ml/processing/input/data/data.txt'", 'src = open(d).read()', "open(d, 'a').write('written by A')",
    "open('/opt/ml/processing/output/a/a.txt', 'w').write(src.upper())",
  ].join('\n'), [['data', 's3://test-bucket/input/data.txt']], ['a']);
  const B = pyStep('B', '', [['a', outRef('A', 'a')], ['code', `file://${codeFile}`]], ['b']);
  (B.Arguments as { AppSpecification: Record<string, unknown> }).AppSpecification.ContainerEntrypoint = ['python3', '/opt/ml/processing/input/code/tamper.py'];
  ws.write('pipeline.json', { Version: '2020-12-01', Metadata: {}, Parameters: [], Steps: [A, B] });
});
afterEach(() => ws.dispose());

/** The state of every blob in the content store, checked with a fresh stat cache (so every blob is hashed again). */
async function blobStates(): Promise<string[]> {
  const root = casRoot(ws.home);
  const cache = new MemoryHashCache();
  const states: string[] = [];
  for (const dir of readdirSync(root)) {
    for (const rest of readdirSync(join(root, dir))) states.push(`${dir}${rest}: ${(await checkBlob(ws.home, `${dir}${rest}`, undefined, cache)).state}`);
  }
  return states.sort();
}

describe('a job that writes to its inputs cannot change the store', () => {
  it('appends to its upstream input and its own code file; the CAS, the s3/ view and the user code stay as they were', async () => {
    const first = await ws.json(['run', 'pipeline.json', '--json']);
    expect(first.result.code, first.result.stderr).toBe(0);
    expect(summary(first.json)).toEqual({ A: 'succeeded', B: 'succeeded' });
    const view = (step: string, rel: string) => readFileSync(join(ws.home, 's3/test-bucket/runs', first.json.runId, step, rel), 'utf8');
    // Inputs are writable inside the container (as SageMaker's downloaded copies are) ...
    expect(view('B', 'b/b.txt')).toBe('HELLO CAIRN\n|appended=True');
    // ... but nothing the jobs wrote reached the store, the s3/ view or the user's files.
    const states = await blobStates();
    expect(states.length).toBeGreaterThanOrEqual(2);
    expect(states.filter((s) => !s.endsWith(': ok'))).toEqual([]);
    expect(view('A', 'a/a.txt')).toBe('HELLO CAIRN\n');
    expect(readFileSync(join(ws.home, 's3/test-bucket/input/data.txt'), 'utf8')).toBe(DATA);
    expect(readFileSync(codeFile, 'utf8')).toBe(CODE);

    const second = await ws.json(['run', 'pipeline.json', '--json']);
    expect(second.result.code, second.result.stderr).toBe(0);
    expect(summary(second.json)).toEqual({ A: 'succeeded (reused)', B: 'succeeded (reused)' });

    // B run again on A's recorded output sees the bytes A wrote, not what the first B appended.
    const again = await ws.json(['run', 'pipeline.json', '--rerun', 'B', '--json']);
    expect(again.result.code, again.result.stderr).toBe(0);
    expect(summary(again.json)).toEqual({ A: 'succeeded (reused)', B: 'succeeded' });
    expect(readFileSync(join(ws.home, 's3/test-bucket/runs', again.json.runId, 'B/b/b.txt'), 'utf8')).toBe('HELLO CAIRN\n|appended=True');
    expect((await blobStates()).filter((s) => !s.endsWith(': ok'))).toEqual([]);
    expect(readFileSync(codeFile, 'utf8')).toBe(CODE);
  });
});
