import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { blobPath } from '../../cache/cas.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import type { RecordedOutput } from '../../contracts/artifacts.js';
import type { StepContext } from '../../contracts/executor.js';
import { stageStepInputs, type StepInput } from '../../steps/step-inputs.js';
import { makeTemp, writeTree } from '../cache/temp-home.js';

let tmp: ReturnType<typeof makeTemp>;
let store: LocalArtifactStore;
let upstream: RecordedOutput;
beforeEach(async () => {
  tmp = makeTemp('cairn-step-inputs-');
  store = new LocalArtifactStore(path.join(tmp.dir, 'home'), new MemoryHashCache());
  writeTree(path.join(tmp.dir, 'out'), { 'train.csv': 'a,b\n' });
  const r = await store.commitDirectory('clean', path.join(tmp.dir, 'out'), 's3://bk/prep/clean');
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  upstream = r.value;
  writeTree(path.join(tmp.dir, 'user'), { 'data/raw.csv': 'raw', 'code/process.py': 'print(1)\n', 'lib/util.py': 'X = 1\n' });
});
afterEach(() => tmp.cleanup());

/** Only what stageStepInputs reads of a step context. */
function ctx(): StepContext {
  return { stepName: 'Prep', stepType: 'Processing', attemptDir: path.join(tmp.dir, 'attempt'), artifacts: store, upstreamOutputs: [upstream] } as unknown as StepContext;
}

const user = (rel: string) => `file://${path.join(tmp.dir, 'user', rel)}`;
const input = (name: string, uri: string, containerPath: string, i: number): StepInput =>
  ({ name, uri, containerPath, field: `ProcessingInputs[${i}].S3Input.S3Uri` });

describe('stageStepInputs', () => {
  it('mounts copies writable and a user directory served in place read-only; a nested-into directory is copied', async () => {
    const inputs = [
      input('clean', 's3://bk/prep/clean', '/opt/ml/processing/clean', 0),
      input('raw', user('data/'), '/opt/ml/processing/raw', 1),
      input('lib', user('lib/'), '/opt/ml/processing/input', 2),
      input('code', user('code/'), '/opt/ml/processing/input/code', 3),
    ];
    const r = await stageStepInputs(ctx(), inputs);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const staging = (name: string) => path.join(tmp.dir, 'attempt', 'inputs', name);
    expect(r.value).toEqual([
      { hostPath: staging('clean'), containerPath: '/opt/ml/processing/clean', readOnly: false },
      { hostPath: path.join(tmp.dir, 'user', 'data'), containerPath: '/opt/ml/processing/raw', readOnly: true },
      { hostPath: staging('lib'), containerPath: '/opt/ml/processing/input', readOnly: false },
      { hostPath: path.join(tmp.dir, 'user', 'code'), containerPath: '/opt/ml/processing/input/code', readOnly: true },
    ]);
    const lib = path.join(staging('lib'), 'util.py');
    expect(statSync(lib).ino).not.toBe(statSync(path.join(tmp.dir, 'user', 'lib', 'util.py')).ino);
    writeFileSync(lib, 'X = 2\n');
    expect(readFileSync(path.join(tmp.dir, 'user', 'lib', 'util.py'), 'utf8')).toBe('X = 1\n');
  });

  it('names the input and its field in an input-lost failure', async () => {
    rmSync(blobPath(store.home, upstream.files[0]?.hash ?? ''));
    const r = await stageStepInputs(ctx(), [input('clean', 's3://bk/prep/clean', '/opt/ml/processing/clean', 0)]);
    expect(!r.ok && r.error).toMatchObject({ reason: 'input-lost', input: 'clean', field: 'ProcessingInputs[0].S3Input.S3Uri', output: 'clean', file: 'train.csv', blob: { state: 'missing' } });
  });
});
