import { words } from '../failure-words.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { c as createTar, x as extractTar } from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../kernel/json.js';
import type { StepContext } from '../../contracts/executor.js';
import { decodeHyperparameter, pyJsonDumps, pyToStr } from '../../kernel/python-json.js';
import { TrainingExecutor } from '../../steps/training.js';
import { PY, testHome } from './step-context.js';

/** The sagemaker-training toolkit (cairn-local stand-in built by containers/images/build-test-images.sh): the oracle. */
const TOOLKIT = 'cairn-local/python-toolkit:3.11';

const t = testHome();
const scratch = mkdtempSync(join(tmpdir(), 'cairn-script-mode-'));
afterAll(() => {
  rmSync(t.home, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});
const exec = new TrainingExecutor();

const DUMP = `
import json, os, sys
names = sorted(k for k in os.environ if k.startswith("SM_") or k in ("PYTHONPATH", "CURRENT_HOST", "SAGEMAKER_JOB_NAME", "SAGEMAKER_REGION"))
dump = {"env": {k: os.environ[k] for k in names}, "argv": sys.argv[1:], "cwd": os.getcwd(),
        "hyperparameters": json.load(open("/opt/ml/input/config/hyperparameters.json"))}
json.dump(dump, open("/opt/ml/model/dump.json", "w"), indent=1, sort_keys=True)
print("dumped", len(names), "variables")
`;
const FAIL = `
import sys
print("about to fail", sys.argv[1:])
raise ValueError("the loss went to NaN")
`;

/** Packs files into a sourcedir.tar.gz in the local store, as the SDK uploads `source_dir`. */
async function putSourceDir(key: string, files: Record<string, string | Buffer>): Promise<void> {
  const dir = mkdtempSync(join(scratch, 'src-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  const dest = join(t.home, 's3', key);
  mkdirSync(dirname(dest), { recursive: true });
  await createTar({ file: dest, cwd: dir, gzip: true, portable: true }, readdirSync(dir));
}

/** Hyperparameters as the SageMaker Python SDK's framework estimators write them: every value json.dumps-encoded. */
const HPS: Record<string, string> = Object.fromEntries(
  Object.entries({
    b: '"x"',
    batch_size: '64',
    big: '1e16',
    flag: 'true',
    greeting: JSON.stringify('h\u00e9llo').replace('\u00e9', '\\u00e9'),
    layers: '[64, 32, "relu", 0.5, null]',
    lr: '0.001',
    nothing: 'null',
    optimizer: '{"name": "adam", "betas": [0.9, 0.999], "amsgrad": false}',
    plain: 'not json at all',
    ratio: '1.0',
    sagemaker_container_log_level: '20',
    sagemaker_job_name: '"oracle-job"',
    sagemaker_program: '"train.py"',
    sagemaker_region: '"us-east-1"',
    sagemaker_submit_directory: '"s3://bucket/code/oracle/sourcedir.tar.gz"',
    small: '1e-05',
  }).sort(([a], [b]) => (a < b ? -1 : 1)),
);

function args(image: string, over: { hps?: Record<string, string>; env?: Record<string, string> } = {}): JsonObject {
  return {
    AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File' },
    HyperParameters: over.hps ?? HPS,
    Environment: over.env ?? { STAGE: 'oracle' },
    InputDataConfig: [
      { ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://bucket/data/train' } } },
      { ChannelName: 'validation', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://bucket/data/validation' } } },
    ],
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

/** The model.tar.gz a run committed, extracted; returns dump.json. */
async function modelDump(ctx: StepContext, jobName: string): Promise<{ env: Record<string, string>; argv: string[]; cwd: string; hyperparameters: Record<string, string> }> {
  const out = mkdtempSync(join(scratch, 'model-'));
  await extractTar({ file: join(t.home, 's3/bucket/out', jobName, 'output/model.tar.gz'), cwd: out });
  return JSON.parse(readFileSync(join(out, 'dump.json'), 'utf8')) as never;
}

describe('script mode: cairn without the toolkit matches the sagemaker-training toolkit', () => {
  t.put('bucket/data/train/a.csv', '1,2\n');
  t.put('bucket/data/validation/b.csv', '3,4\n');

  it('gives the program the same SM_* environment, argv, cwd and hyperparameters.json', async () => {
    await putSourceDir('bucket/code/oracle/sourcedir.tar.gz', { 'train.py': DUMP, 'lib/helper.py': 'X = 1\n' });
    const withToolkit = t.ctx('Train', 'Training', { runId: 'oracle-tk' });
    const tk = await train(withToolkit, args(TOOLKIT));
    if (!tk.ok) throw new Error(`${JSON.stringify(tk.error)}\n${withToolkit.lines.join('\n')}`);
    const emulatedCtx = t.ctx('Train', 'Training', { runId: 'oracle-em' });
    const em = await train(emulatedCtx, args(PY));
    if (!em.ok) throw new Error(`${JSON.stringify(em.error)}\n${emulatedCtx.lines.join('\n')}`);

    const a = await modelDump(withToolkit, 'pipelines-oracle-tk-Train');
    const b = await modelDump(emulatedCtx, 'pipelines-oracle-em-Train');
    // The job name is the only input that differs between the two runs: normalise it, then demand equality.
    const norm = (d: typeof a, id: string): typeof a => JSON.parse(JSON.stringify(d).replaceAll(`pipelines-${id}-Train`, 'JOB')) as typeof a;
    const [ta, tb] = [norm(a, 'oracle-tk'), norm(b, 'oracle-em')];
    // PYTHONPATH is sys.path of the process that launched the program: the toolkit's `train` script lives in
    // /usr/local/bin, which is on its sys.path; cairn's launcher has no such directory. Everything else is equal.
    const tkPath = ta.env.PYTHONPATH?.split(':') ?? [];
    const emPath = tb.env.PYTHONPATH?.split(':') ?? [];
    expect(tkPath.filter((p) => p !== '/usr/local/bin')).toEqual(emPath);
    expect(emPath[0]).toBe('/opt/ml/code');
    delete ta.env.PYTHONPATH;
    delete tb.env.PYTHONPATH;
    expect(tb.env).toEqual(ta.env);
    expect(tb.argv).toEqual(ta.argv);
    expect(tb.cwd).toBe(ta.cwd);
    expect(tb.hyperparameters).toEqual(ta.hyperparameters);

    // Spot checks of what the oracle said, so a change on both sides cannot go unnoticed.
    expect(ta.cwd).toBe('/opt/ml/code');
    expect(ta.hyperparameters.sagemaker_submit_directory).toBe('"/opt/ml/cairn/code/sourcedir.tar.gz"');
    expect(ta.env.SM_CHANNELS).toBe('["train","validation"]');
    expect(ta.env.SM_CHANNEL_TRAIN).toBe('/opt/ml/input/data/train');
    expect(ta.env.SM_HP_LR).toBe('0.001');
    expect(ta.env.SM_HP_RATIO).toBe('1.0');
    expect(ta.env.SM_HP_BIG).toBe('1e+16');
    expect(ta.env.SM_HP_PLAIN).toBe('not json at all');
    expect(ta.env.SM_MODULE_DIR).toBe('/opt/ml/cairn/code/sourcedir.tar.gz');
    expect(ta.env.SM_USER_ENTRY_POINT).toBe('train.py');
    expect(ta.argv.slice(0, 8)).toEqual(['-b', 'x', '--batch_size', '64', '--big', '1e+16', '--flag', 'True']);
    expect(ta.argv).toContain("[64, 32, 'relu', 0.5, None]");
    expect(ta.argv).toContain('amsgrad=False,betas=[0.9, 0.999],name=adam');
    expect(Object.keys(ta.env).filter((k) => k.startsWith('SM_')).length).toBeGreaterThan(40);
    expect(existsIn(t.home, 'pip-cache')).toBe(false);
  });

  it('a failing program: the same /opt/ml/output/failure as the toolkit, shown in the failure reason', async () => {
    await putSourceDir('bucket/code/fail/sourcedir.tar.gz', { 'train.py': FAIL });
    const hps = { epochs: '2', sagemaker_program: '"train.py"', sagemaker_submit_directory: '"s3://bucket/code/fail/sourcedir.tar.gz"' };
    const runs: { failureFile?: string; message: string }[] = [];
    for (const [image, runId] of [
      [TOOLKIT, 'fail-tk'],
      [PY, 'fail-em'],
    ] as const) {
      const ctx = t.ctx('Train', 'Training', { runId });
      const r = await train(ctx, args(image, { hps }));
      if (r.ok) throw new Error('the step should have failed');
      if (r.error.reason !== 'exit-nonzero') throw new Error(JSON.stringify(r.error));
      expect(r.error.exitCode).toBe(1);
      expect(ctx.lines.some((l) => l.includes('ValueError: the loss went to NaN'))).toBe(true);
      runs.push({ ...(r.error.failureFile !== undefined ? { failureFile: r.error.failureFile } : {}), message: words(r.error, { name: 'Train', type: 'Training' }) });
    }
    const [tk, em] = runs;
    expect(em?.failureFile).toBe(tk?.failureFile);
    expect(tk?.failureFile).toBe('ExecuteUserScriptError:\nExitCode 1\nErrorMessage ""\nCommand "/usr/bin/python3 -- train.py --epochs 2"');
    expect(em?.message).toContain('ExecuteUserScriptError (exit code 1): ValueError: the loss went to NaN [command: /usr/bin/python3 -- train.py --epochs 2]');
    expect(em?.message).toBe(tk?.message);
  });
});

describe('python-json: the toolkit\'s decoding and formatting of hyperparameters', () => {
  it('matches Python for json.loads → json.dumps(sort_keys, compact) and str()', () => {
    const raws = ['1', '-0', '1.0', '1e16', '1e15', '123456789012345678', '1.5e-7', '0.0001', '1e-05', '2.5E+3', 'NaN', '-Infinity', '1e400',
      '"s"', '"\\u00e9\\ud83d\\ude00"', 'true', 'null', '[1, [2.0, {"b": 1, "a": "x\'y"}]]', '{"z": 1, "10": 2, "a": [true, null]}', 'abc', '"a', ' 7 ', '{"a": 1, "a": 2}',
      '"tab\\there \\"q\\" \\\\ \\u007f"', '[]', '{}', '0.1', '100.0', '3.14159265358979'];
    const py = `
import json, sys
out = []
for raw in json.load(sys.stdin):
    try:
        v = json.loads(raw)
    except ValueError:
        v = raw
    out.append([json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=True), str(v)])
print(json.dumps(out))
`;
    const expected = JSON.parse(execFileSync('docker', ['run', '--rm', '-i', PY, 'python3', '-c', py], { input: JSON.stringify(raws) }).toString()) as [string, string][];
    const actual = raws.map((r) => {
      const v = decodeHyperparameter(r);
      return [pyJsonDumps(v, { sortKeys: true, compact: true }), pyToStr(v)];
    });
    expect(actual).toEqual(expected);
  });
});

function existsIn(dir: string, name: string): boolean {
  return readdirSync(dir).includes(name);
}
