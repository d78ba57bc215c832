import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, type _Object } from '@aws-sdk/client-s3';
import {
  DescribePipelineCommand, DescribePipelineExecutionCommand, ListPipelineExecutionsCommand, ListPipelineParametersForExecutionCommand,
  ListPipelinesCommand,
} from '@aws-sdk/client-sagemaker';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CloudClients } from '../../cloud/clients.js';
import { Workspace } from '../e2e/harness.js';
import { MOTO_ROLE_ARN, useMotoServer } from './moto-harness.js';

const BUCKET = 'promote-target';
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const CSV = 'a,b\n1,2\n';
const SCRIPT = 'print("preprocess")\n';

/** One Processing step: a local input file, a local code prefix (two files), an output, a parameter. */
function definition(): object {
  return {
    Version: '2020-12-01', Metadata: {},
    Parameters: [{ Name: 'Epochs', Type: 'Integer', DefaultValue: 2 }],
    Steps: [{
      Name: 'Prep', Type: 'Processing',
      Arguments: {
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 } },
        AppSpecification: { ImageUri: 'cairn-local/tensorflow-training:2.19-cpu-py311', ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/prep.py'] },
        RoleArn: MOTO_ROLE_ARN,
        ProcessingInputs: [
          { InputName: 'data', AppManaged: false, S3Input: { S3Uri: 's3://local-data/input/train.csv', LocalPath: '/opt/ml/processing/input/data', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
          { InputName: 'code', AppManaged: false, S3Input: { S3Uri: 's3://local-data/code/', LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
        ],
        ProcessingOutputConfig: { Outputs: [{ OutputName: 'out', AppManaged: false, S3Output: { S3Uri: 's3://local-data/out', LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }] },
      },
    }],
  };
}

describe('cairn promote against moto', () => {
  const { moto, clients } = useMotoServer();
  let c: CloudClients;
  let ws: Workspace;

  beforeEach(async () => {
    await moto.reset();
    c = clients();
    ws = new Workspace();
    ws.write('pipeline.json', definition());
    ws.putS3('local-data', 'input/train.csv', CSV);
    ws.putS3('local-data', 'code/prep.py', SCRIPT);
    ws.putS3('local-data', 'code/lib/util.py', 'X = 1\n');
    ws.putS3('local-data', 'out/stale.txt', 'written by a local run');
  });
  afterEach(() => ws.dispose());

  const objects = async (): Promise<_Object[]> => (await c.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? [];
  const body = async (key: string): Promise<string> => (await c.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
  const promote = (...extra: string[]) => ws.run(['promote', 'pipeline.json', '--bucket', BUCKET, '--role-arn', MOTO_ROLE_ARN, '--name', 'churn', ...extra]);

  it('uploads local inputs and code under content-addressed keys, rewrites the definition, and uploads nothing new the second time', async () => {
    await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const first = await promote();
    const tree = sha(`lib/util.py\t${sha('X = 1\n')}\nprep.py\t${sha(SCRIPT)}\n`);
    const uploaded = (local: string, key: string, text: string): string =>
      `uploaded ${join(ws.home, 's3/local-data', local)} → ${key} (${Buffer.byteLength(text)} B)`;
    // stderr is one line per uploaded file and nothing else (no warning, no stack).
    expect(first.stderr.split('\n').sort()).toEqual(['', uploaded('code/lib/util.py', `cairn/${tree}/lib/util.py`, 'X = 1\n'),
      uploaded('code/prep.py', `cairn/${tree}/prep.py`, SCRIPT), uploaded('input/train.csv', `cairn/${sha(CSV)}/train.csv`, CSV)].sort());
    expect(first.code).toBe(0);

    const keys = (await objects()).map((o) => o.Key!).sort();
    expect(keys).toEqual([`cairn/${sha(CSV)}/train.csv`, `cairn/${tree}/lib/util.py`, `cairn/${tree}/prep.py`].sort());
    expect(await body(`cairn/${sha(CSV)}/train.csv`)).toBe(CSV);
    expect(await body(`cairn/${tree}/prep.py`)).toBe(SCRIPT);

    const p = await c.sagemaker.send(new DescribePipelineCommand({ PipelineName: 'churn' }));
    expect(p.RoleArn).toBe(MOTO_ROLE_ARN);
    type S3Ref = { S3Input?: { S3Uri: string }; S3Output?: { S3Uri: string } };
    type Args = { ProcessingInputs: S3Ref[]; ProcessingOutputConfig: { Outputs: S3Ref[] }; AppSpecification: { ImageUri: string } };
    const def = JSON.parse(p.PipelineDefinition!) as { Steps: { Arguments: Args }[] };
    const args = def.Steps[0]!.Arguments;
    expect(args.ProcessingInputs.map((i) => i.S3Input?.S3Uri)).toEqual([`s3://${BUCKET}/cairn/${sha(CSV)}/train.csv`, `s3://${BUCKET}/cairn/${tree}/`]);
    expect(args.ProcessingOutputConfig.Outputs[0]?.S3Output?.S3Uri).toBe('s3://local-data/out');
    expect(args.AppSpecification.ImageUri).toBe('763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.19-cpu-py312');

    const before = new Map((await objects()).map((o) => [o.Key, o.LastModified?.getTime()]));
    const second = await ws.json<{ action: string; uploaded: number; uploads: { status: string }[] }>(['promote', 'pipeline.json', '--bucket', BUCKET, '--role-arn', MOTO_ROLE_ARN, '--name', 'churn', '--json']);
    expect(second.result.code).toBe(0);
    expect(second.json.action).toBe('update');
    expect(second.json.uploaded).toBe(0);
    expect(second.json.uploads.map((u) => u.status)).toEqual(['present', 'present', 'present']);
    expect(new Map((await objects()).map((o) => [o.Key, o.LastModified?.getTime()]))).toEqual(before);
  });

  it('--start creates an execution with the parameters', async () => {
    await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const r = await ws.json<{ executionArn: string }>(['promote', 'pipeline.json', '--bucket', BUCKET, '--role-arn', MOTO_ROLE_ARN, '--name', 'churn', '--param', 'Epochs=5', '--start', '--json']);
    expect(r.result.code).toBe(0);
    const list = await c.sagemaker.send(new ListPipelineExecutionsCommand({ PipelineName: 'churn' }));
    expect(list.PipelineExecutionSummaries?.map((e) => e.PipelineExecutionArn)).toEqual([r.json.executionArn]);
    const ex = await c.sagemaker.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: r.json.executionArn }));
    expect(ex.PipelineExecutionStatus).toBe('Succeeded');
    const params = await c.sagemaker.send(new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn: r.json.executionArn }));
    expect(params.PipelineParameters).toEqual([{ Name: 'Epochs', Value: '5' }]);
  });

  it('--start --wait watches the execution to its end (moto: Succeeded at once, no step list) and --wait needs --start', async () => {
    await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const r = await ws.run(['promote', 'pipeline.json', '--bucket', BUCKET, '--role-arn', MOTO_ROLE_ARN, '--name', 'churn', '--start', '--wait']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/execution started: arn:aws:sagemaker:[^\n]*\n[\s\S]*succeeded/);
    const alone = await ws.run(['promote', 'pipeline.json', '--bucket', BUCKET, '--role-arn', MOTO_ROLE_ARN, '--wait']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--wait needs --start');
  });

  it('--dry-run prints the definition and the plan and changes nothing', async () => {
    await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const r = await promote('--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing was uploaded');
    expect(r.stdout).toContain(`s3://${BUCKET}/cairn/${sha(CSV)}/train.csv`);
    expect(r.stdout).toMatch(/3 object\(s\), 3 new, 0 already there/);
    expect(r.stdout).toContain('pipeline churn would be created');
    expect(await objects()).toEqual([]);
    expect((await c.sagemaker.send(new ListPipelinesCommand({}))).PipelineSummaries ?? []).toEqual([]);
  });

  it('refuses an unknown bucket, a missing --role-arn and a bad role ARN with exit 2', async () => {
    const noBucket = await promote();
    expect(noBucket.code).toBe(2);
    expect(noBucket.stderr).toContain(`The bucket "${BUCKET}" does not exist`);
    const noRole = await ws.run(['promote', 'pipeline.json', '--bucket', BUCKET]);
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toContain('cairn promote needs --role-arn.');
    await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const badRole = await ws.run(['promote', 'pipeline.json', '--bucket', BUCKET, '--role-arn', 'admin']);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('"admin" is not an IAM role ARN');
    expect(await objects()).toEqual([]);
    expect((await c.sagemaker.send(new ListPipelinesCommand({}))).PipelineSummaries ?? []).toEqual([]);
  });
});
