import { words } from '../failure-words.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { c as createTar, x as extractTar } from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../kernel/json.js';
import type { StepContext } from '../../contracts/executor.js';
import { imageHasToolkit } from '../../steps/script-mode.js';
import { TrainingExecutor } from '../../steps/training.js';
import { testHome } from './step-context.js';

/** Plain python + pip, no toolkit (stage `pip` of containers/images/python-toolkit/Dockerfile). */
const PIP = 'cairn-local/python-pip:3.11';
const TOOLKIT = 'cairn-local/python-toolkit:3.11';

const t = testHome();
const scratch = mkdtempSync(join(tmpdir(), 'cairn-requirements-'));
afterAll(() => {
  rmSync(t.home, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});
const exec = new TrainingExecutor();

const TRAIN = `
import os, tinypkg
open("/opt/ml/model/value.txt", "w").write("%s %s" % (tinypkg.VALUE, os.environ["PYTHONPATH"]))
print("tinypkg says", tinypkg.VALUE)
`;

/** A pure-Python wheel built with zipfile, so requirements.txt installs with --no-index (no network needed). */
function tinyWheel(dir: string): void {
  const py = `
import zipfile
with zipfile.ZipFile("/w/tinypkg-1.0-py3-none-any.whl", "w") as z:
    z.writestr("tinypkg/__init__.py", "VALUE = 42\\n")
    z.writestr("tinypkg-1.0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: tinypkg\\nVersion: 1.0\\n")
    z.writestr("tinypkg-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: cairn-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
    z.writestr("tinypkg-1.0.dist-info/RECORD", "tinypkg/__init__.py,,\\ntinypkg-1.0.dist-info/METADATA,,\\ntinypkg-1.0.dist-info/WHEEL,,\\ntinypkg-1.0.dist-info/RECORD,,\\n")
`;
  execFileSync('docker', ['run', '--rm', '-v', `${dir}:/w`, PIP, 'python3', '-c', py]);
}

async function putSourceDir(key: string, requirements: string): Promise<void> {
  const dir = mkdtempSync(join(scratch, 'src-'));
  mkdirSync(join(dir, 'wheels'));
  execFileSync('chmod', ['777', join(dir, 'wheels')]);
  tinyWheel(join(dir, 'wheels'));
  writeFileSync(join(dir, 'train.py'), TRAIN);
  writeFileSync(join(dir, 'requirements.txt'), requirements);
  const dest = join(t.home, 's3', key);
  mkdirSync(dirname(dest), { recursive: true });
  await createTar({ file: dest, cwd: dir, gzip: true, portable: true }, readdirSync(dir));
}

function args(image: string, code: string): JsonObject {
  return {
    AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File' },
    HyperParameters: { sagemaker_program: '"train.py"', sagemaker_submit_directory: JSON.stringify(`s3://bucket/${code}/sourcedir.tar.gz`) },
    InputDataConfig: [],
    OutputDataConfig: { S3OutputPath: 's3://bucket/out' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 600 },
    RoleArn: 'arn:aws:iam::111111111111:role/r',
  };
}

async function train(ctx: StepContext, a: JsonObject) {
  const prepared = await exec.prepare(a, ctx, { pull: false });
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
  return exec.execute(prepared.value, ctx);
}

async function modelValue(jobName: string): Promise<string> {
  const out = mkdtempSync(join(scratch, 'model-'));
  await extractTar({ file: join(t.home, 's3/bucket/out', jobName, 'output/model.tar.gz'), cwd: out });
  return readFileSync(join(out, 'value.txt'), 'utf8');
}

const pipCache = (): string[] => {
  try {
    return readdirSync(join(t.home, 'pip-cache'));
  } catch {
    return [];
  }
};

describe('script mode: requirements.txt', () => {
  const REQ = '--no-index\n./wheels/tinypkg-1.0-py3-none-any.whl\n';

  it('without the toolkit, installs requirements once into the cache and reuses them on later runs', async () => {
    await putSourceDir('bucket/code-a/sourcedir.tar.gz', REQ);
    const first = t.ctx('Train', 'Training', { runId: 'req-1' });
    const r1 = await train(first, args(PIP, 'code-a'));
    if (!r1.ok) throw new Error(`${JSON.stringify(r1.error)}\n${first.lines.join('\n')}`);
    expect(first.lines.some((l) => l.includes('Successfully installed tinypkg-1.0'))).toBe(true);
    expect(first.lines).toContain('tinypkg says 42');
    const cached = pipCache();
    expect(cached).toHaveLength(1);
    expect(cached[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(await modelValue('pipelines-req-1-Train')).toMatch(/^42 \/opt\/ml\/code:\/opt\/ml\/cairn\/pip:/);

    const second = t.ctx('Train', 'Training', { runId: 'req-2' });
    const r2 = await train(second, args(PIP, 'code-a'));
    if (!r2.ok) throw new Error(`${JSON.stringify(r2.error)}\n${second.lines.join('\n')}`);
    expect(second.lines.filter((l) => /Successfully installed|Processing|pip install/.test(l))).toEqual([]);
    expect(second.lines).toContain("Dependencies from requirements.txt: reused from cairn's requirements cache");
    expect(second.lines).toContain('tinypkg says 42');
    expect(pipCache()).toEqual(cached);
  });

  it('a failed install leaves nothing in the cache and fails the step like the toolkit', async () => {
    await putSourceDir('bucket/code-b/sourcedir.tar.gz', '--no-index\n./wheels/missing-1.0-py3-none-any.whl\n');
    const before = pipCache();
    const ctx = t.ctx('Train', 'Training', { runId: 'req-bad' });
    const r = await train(ctx, args(PIP, 'code-b'));
    if (r.ok || r.error.reason !== 'exit-nonzero') throw new Error('the step should have failed with exit-nonzero');
    expect(r.error.failureFile).toMatch(/^InstallRequirementsError:\nExitCode 1\n/);
    expect(words(r.error, { name: 'Train', type: 'Training' })).toContain('InstallRequirementsError (exit code 1)');
    expect(pipCache()).toEqual(before);
  });

  it('with the toolkit, the toolkit installs requirements itself (every run, as on SageMaker)', async () => {
    await putSourceDir('bucket/code-c/sourcedir.tar.gz', REQ);
    const ctx = t.ctx('Train', 'Training', { runId: 'req-tk' });
    const before = pipCache();
    const r = await train(ctx, args(TOOLKIT, 'code-c'));
    if (!r.ok) throw new Error(`${JSON.stringify(r.error)}\n${ctx.lines.join('\n')}`);
    expect(ctx.lines.some((l) => l.includes('Successfully installed tinypkg-1.0'))).toBe(true);
    expect(await modelValue('pipelines-req-tk-Train')).toMatch(/^42 \/opt\/ml\/code:/);
    expect(pipCache()).toEqual(before);
  });

  it('detects the toolkit from the image config', () => {
    expect(imageHasToolkit({ labels: { 'org.cairn.toolkit': 'sagemaker-training' }, env: [] })).toBe(true);
    expect(imageHasToolkit({ labels: {}, env: ['PATH=/bin', 'SAGEMAKER_TRAINING_MODULE=sagemaker_tensorflow_container.training:main'] })).toBe(true);
    expect(imageHasToolkit({ labels: { 'org.cairn.toolkit': '' }, env: ['SAGEMAKER_TRAINING_MODULE='] })).toBe(false);
    expect(imageHasToolkit(undefined)).toBe(false);
  });
});
