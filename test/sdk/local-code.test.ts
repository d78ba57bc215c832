import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Pipeline, ScriptProcessor, ProcessingStep, TensorFlow, TrainingStep } from '../../sdk/index.js';

const dir = mkdtempSync(join(tmpdir(), 'cairn-sdk-code-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROLE = 'arn:aws:iam::111122223333:role/r';

function pipelineWith(src: string, script: string): Pipeline {
  const train = new TrainingStep({
    name: 'Train',
    estimator: new TensorFlow({ entryPoint: 'train.py', sourceDir: src, frameworkVersion: '2.11.0', pyVersion: 'py39', role: ROLE, instanceType: 'ml.m5.large' }),
  });
  const prep = new ProcessingStep({
    name: 'Prep',
    processor: new ScriptProcessor({ imageUri: 'img', command: ['python3'], instanceType: 'ml.m5.large', role: ROLE }),
    code: script,
  });
  return new Pipeline({ name: 'local-code', steps: [prep, train], defaultBucket: 'bkt' });
}

describe('local code in the SDK', () => {
  const src = join(dir, 'src');
  mkdirSync(join(src, 'lib'), { recursive: true });
  writeFileSync(join(src, 'train.py'), 'print("train")\n');
  writeFileSync(join(src, 'lib', 'util.py'), 'X = 1\n');
  const script = join(dir, 'prep.py');
  writeFileSync(script, 'print("prep")\n');

  it('names content-hashed object-store keys and lists the assets to write', () => {
    const p = pipelineWith(src, script);
    const def = p.definitionObject() as { Steps: { Arguments: Record<string, unknown> }[] };
    const hp = def.Steps[1]!.Arguments.HyperParameters as Record<string, string>;
    expect(hp.sagemaker_submit_directory).toMatch(/^"s3:\/\/bkt\/local-code\/code\/[0-9a-f]{64}\/sourcedir\.tar\.gz"$/);
    const inputs = def.Steps[0]!.Arguments.ProcessingInputs as { S3Input: { S3Uri: string } }[];
    expect(inputs[0]!.S3Input.S3Uri).toMatch(/^s3:\/\/bkt\/local-code\/code\/[0-9a-f]{64}\/prep\.py$/);
    expect(p.assets()).toEqual([
      { uri: inputs[0]!.S3Input.S3Uri, file: script },
      { uri: JSON.parse(hp.sagemaker_submit_directory!) as string, dir: src },
    ]);
  });

  it('changes the key when the code changes, and only then', () => {
    const before = pipelineWith(src, script).assets().map((a) => a.uri);
    expect(pipelineWith(src, script).assets().map((a) => a.uri)).toEqual(before);
    writeFileSync(join(src, 'lib', 'util.py'), 'X = 2\n');
    const after = pipelineWith(src, script).assets().map((a) => a.uri);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
  });
});
