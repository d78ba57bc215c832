import { worded, words } from '../failure-words.js';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LABEL_HOME, homeLabel } from '../../containers/labels.js';
import type { JsonObject, JsonValue } from '../../kernel/json.js';
import { ProcessingExecutor } from '../../steps/processing.js';
import { SKL, testHome } from './step-context.js';

const t = testHome();
afterAll(() => rmSync(t.home, { recursive: true, force: true }));
const exec = new ProcessingExecutor();

const SCRIPT = `
import json, os, sys
cfg = json.load(open("/opt/ml/config/processingjobconfig.json"))
res = json.load(open("/opt/ml/config/resourceconfig.json"))
rows = open("/opt/ml/processing/input/raw/data.csv").read().split()
os.makedirs("/opt/ml/processing/output/train/sub", exist_ok=True)
open("/opt/ml/processing/output/train/sub/doubled.csv", "w").write("\\n".join(str(2 * int(r)) for r in rows) + "\\n")
print("job", cfg["ProcessingJobName"], res["current_host"], os.environ["MODE"], sys.argv[1:])
`;

function args(over: JsonObject = {}): JsonObject {
  return {
    AppSpecification: { ImageUri: SKL, ContainerEntrypoint: ['python3', '-c', SCRIPT], ContainerArguments: ['--scale', 2] },
    Environment: { MODE: 'fast' },
    ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 } },
    RoleArn: 'arn:aws:iam::111111111111:role/r',
    ProcessingInputs: [
      { InputName: 'raw', AppManaged: false, S3Input: { S3Uri: 's3://bucket/raw', LocalPath: '/opt/ml/processing/input/raw', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
    ],
    ProcessingOutputConfig: {
      Outputs: [{ OutputName: 'train', AppManaged: false, S3Output: { S3Uri: 's3://bucket/exec-1/train', LocalPath: '/opt/ml/processing/output/train', S3UploadMode: 'EndOfJob' } }],
    },
    ...over,
  };
}

describe('ProcessingExecutor', () => {
  it('reads an input, writes an output, commits it and returns DescribeProcessingJob properties', async () => {
    t.put('bucket/raw/data.csv', '1\n2\n3\n');
    const ctx = t.ctx('Prep', 'Processing', { runId: 'exec1' });
    const prepared = await exec.prepare(args(), ctx, { pull: false });
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
    const fp = prepared.value.fingerprint;
    expect(fp.image.uri).toBe(SKL);
    expect(fp.image.id).toMatch(/^sha256:/);
    expect(fp.inputs.raw).toMatch(/^sha256:/);
    expect(fp.environment).toEqual({ MODE: 'fast' });
    const fa = fp.arguments as JsonObject;
    expect(JSON.stringify(fa)).not.toContain('s3://');
    expect(fa.ProcessingInputs).toEqual([expect.objectContaining({ S3Input: expect.objectContaining({ S3Uri: 'input:raw' }) })]);

    const seen: string[] = [];
    const r = await exec.execute(prepared.value, { ...ctx, onContainer: (id) => seen.push(id) });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(ctx.lines).toEqual(["job pipelines-exec1-Prep algo-1 fast ['--scale', '2']"]);
    expect(seen).toHaveLength(1);
    expect(readFileSync(join(t.home, 's3/bucket/exec-1/train/sub/doubled.csv'), 'utf8')).toBe('2\n4\n6\n');
    expect(r.value.outputs).toEqual([expect.objectContaining({ name: 'train', uri: 's3://bucket/exec-1/train', isFile: false })]);
    expect(r.value.outputs[0]?.files.map((f) => f.path)).toEqual(['sub/doubled.csv']);
    const p = r.value.properties;
    expect(p).toMatchObject({
      ProcessingJobName: 'pipelines-exec1-Prep',
      ProcessingJobArn: 'arn:aws:sagemaker:local:000000000000:processing-job/pipelines-exec1-Prep',
      ProcessingJobStatus: 'Completed',
      AppSpecification: args().AppSpecification,
      ProcessingInputs: args().ProcessingInputs,
      ProcessingOutputConfig: args().ProcessingOutputConfig,
      Environment: { MODE: 'fast' },
    });
    expect(await t.runtime.listContainers({ [LABEL_HOME]: homeLabel(t.home) })).toEqual([]);
  });

  it('gives the same fingerprint for the same data under another URI and output destination', async () => {
    t.put('bucket/copy/data.csv', '1\n2\n3\n');
    const a = await exec.prepare(args(), t.ctx('Prep', 'Processing'), { pull: false });
    const moved = args({
      ProcessingInputs: [{ InputName: 'raw', AppManaged: false, S3Input: { S3Uri: 's3://bucket/copy', LocalPath: '/opt/ml/processing/input/raw', S3DataType: 'S3Prefix', S3InputMode: 'File' } }],
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', AppManaged: false, S3Output: { S3Uri: 's3://bucket/exec-2/train', LocalPath: '/opt/ml/processing/output/train', S3UploadMode: 'EndOfJob' } }] },
    });
    const b = await exec.prepare(moved, t.ctx('Prep', 'Processing'), { pull: false });
    expect(a.ok && b.ok && a.value.fingerprint).toEqual(b.ok && b.value.fingerprint);
  });

  it('surfaces /opt/ml/output/failure, the exit code and the log tail when the job fails', async () => {
    const script = 'import sys\nfor i in range(30): print("line", i)\nopen("/opt/ml/output/failure", "w").write("Traceback...\\nValueError: column x is missing.\\n")\nsys.exit(2)';
    const ctx = t.ctx('Prep', 'Processing');
    const prepared = await exec.prepare(args({ AppSpecification: { ImageUri: SKL, ContainerEntrypoint: ['python3', '-c', script] } }), ctx, { pull: false });
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
    const r = await exec.execute(prepared.value, ctx);
    expect(r.ok).toBe(false);
    if (r.ok || r.error.reason !== 'exit-nonzero') throw new Error('expected exit-nonzero');
    expect(r.error.exitCode).toBe(2);
    expect(r.error.failureFile).toBe('Traceback...\nValueError: column x is missing.');
    expect(r.error.logTail).toHaveLength(20);
    expect(r.error.logTail[19]).toBe('line 29');
    expect(words(r.error, { name: 'Prep', type: 'Processing' })).toBe(
      'Processing step "Prep" failed: its container exited with code 2 and wrote to /opt/ml/output/failure: ValueError: column x is missing. Fix the cause in the job code or its inputs and run again.',
    );
    expect(existsSync(join(t.home, 's3/bucket/exec-1/train/sub/doubled.csv'))).toBe(true);
  });

  it('rejects invalid arguments naming the field', async () => {
    const fail = async (a: JsonValue): Promise<{ field?: string; message: string } | undefined> => {
      const r = await exec.prepare(a, t.ctx('Prep', 'Processing'), { pull: false });
      return r.ok ? undefined : (worded(r.error, { name: 'Prep', type: 'Processing' }) as { field?: string; message: string });
    };
    expect(await fail(args({ AppSpecification: { ContainerEntrypoint: ['x'] } }))).toEqual({
      reason: 'invalid-arguments',
      field: 'AppSpecification.ImageUri',
      message: 'Processing step "Prep": Arguments.AppSpecification.ImageUri is missing; set it to the image the job runs.',
    });
    const inputs = args().ProcessingInputs as JsonObject[];
    expect(await fail(args({ ProcessingInputs: [...inputs, { InputName: 'code', S3Input: { S3Uri: 's3://bucket/raw' } }] }))).toEqual({
      reason: 'invalid-arguments',
      field: 'ProcessingInputs[1].S3Input.LocalPath',
      message:
        'Processing step "Prep": Arguments.ProcessingInputs[1].S3Input.LocalPath is missing; SageMaker requires it to begin with /opt/ml/processing/: set it to where the container reads the input, e.g. "/opt/ml/processing/input/data".',
    });
    expect((await fail(args({ ProcessingInputs: [...inputs, { InputName: 'x', S3Input: { LocalPath: '/x' } }] })))?.field).toBe('ProcessingInputs[1].S3Input.S3Uri');
    expect((await fail(args({ ProcessingInputs: [...inputs, ...inputs] })))?.message).toContain('repeats the input name "raw"');
    expect((await fail(args({ ProcessingOutputConfig: { Outputs: [{ OutputName: 'o', S3Output: { LocalPath: '/o' } }] } })))?.field).toBe(
      'ProcessingOutputConfig.Outputs[0].S3Output.S3Uri',
    );
    expect((await fail(args({ ProcessingOutputConfig: { Outputs: [{ OutputName: 'o', S3Output: { S3Uri: 's3://b/o', LocalPath: '/opt/ml/processing/input/raw' } }] } })))?.message).toContain(
      'which ProcessingInputs[0].S3Input.LocalPath already uses',
    );
    expect((await fail(['not', 'an', 'object']))?.message).toBe(
      "Processing step \"Prep\": Arguments must be an object, not a list; write the CreateProcessingJob request body as the step's Arguments.",
    );
  });

  it('reports a missing input naming the step, the input and the field', async () => {
    const r = await exec.prepare(
      args({ ProcessingInputs: [{ InputName: 'raw', S3Input: { S3Uri: 's3://bucket/nothing-here', LocalPath: '/opt/ml/processing/input/raw' } }] }),
      t.ctx('Prep', 'Processing'),
      { pull: false },
    );
    expect(!r.ok && r.error).toMatchObject({ reason: 'input-missing', input: 'raw', uri: 's3://bucket/nothing-here' });
    expect(words(!r.ok && r.error, { name: 'Prep', type: 'Processing' })).toMatch(/^Processing step "Prep", input "raw" \(Arguments\.ProcessingInputs\[0\]\.S3Input\.S3Uri\): /);
  });

  it('reports an unmapped, unreachable image as image-missing naming the field', async () => {
    const uri = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/other:1';
    const r = await exec.prepare(args({ AppSpecification: { ImageUri: uri } }), t.ctx('Prep', 'Processing'), { pull: false });
    expect(!r.ok && r.error.reason).toBe('image-missing');
    expect(words(!r.ok && r.error, { name: 'Prep', type: 'Processing' })).toMatch(/^Processing step "Prep" \(Arguments\.AppSpecification\.ImageUri\): image "111111111111\.dkr[^"]+" is not present locally and cannot be pulled/);
  });

  it('stops the container when the run is aborted', async () => {
    const ac = new AbortController();
    const ctx = t.ctx('Prep', 'Processing', { signal: ac.signal });
    ctx.onLine = () => ac.abort();
    const prepared = await exec.prepare(args({ AppSpecification: { ImageUri: SKL, ContainerEntrypoint: ['python3', '-u', '-c', 'import time\nprint("go")\ntime.sleep(60)'] } }), ctx, { pull: false });
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
    const r = await exec.execute(prepared.value, ctx);
    expect(!r.ok && worded(r.error, { name: 'Prep', type: 'Processing' })).toEqual({ reason: 'stopped', message: 'Processing step "Prep" was stopped before its container finished.' });
    expect(await t.runtime.listContainers({ [LABEL_HOME]: homeLabel(t.home) })).toEqual([]);
  });
});
