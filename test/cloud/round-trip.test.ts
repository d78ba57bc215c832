import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { DescribePipelineCommand } from '@aws-sdk/client-sagemaker';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../cache/store.js';
import type { CloudClients } from '../../cloud/clients.js';
import type { PromoteReport } from '../../cloud/promote.js';
import { mapBackDefinition } from '../../cloud/round-trip.js';
import { resolveHome } from '../../contracts/home.js';
import { PY_IMAGE, Workspace, type RunJson } from '../e2e/harness.js';
import { MOTO_ROLE_ARN, useMotoServer } from './moto-harness.js';

const BUCKET = 'promote-target';
const OFFICIAL = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const SCRIPT = [
  'import glob, os',
  "rows = open('/opt/ml/processing/input/data/data.csv').read().splitlines()",
  "open('/opt/ml/processing/output/out/summary.txt', 'w').write(f'{len(rows)} rows, first {rows[0]}')",
  "print('summarised', len(rows), 'rows')",
].join('\n');

/** One Processing step: a local input file and a local code file, the python stand-in image, caching on. */
function definition(): object {
  return {
    Version: '2020-12-01', Metadata: {},
    Parameters: [{ Name: 'Label', Type: 'String', DefaultValue: 'x' }],
    Steps: [{
      Name: 'Summarise', Type: 'Processing',
      CacheConfig: { Enabled: true, ExpireAfter: 'P30D' },
      Arguments: {
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 } },
        AppSpecification: { ImageUri: PY_IMAGE, ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/summarise.py'] },
        RoleArn: MOTO_ROLE_ARN,
        ProcessingInputs: [
          { InputName: 'data', AppManaged: false, S3Input: { S3Uri: 's3://local-data/input/data.csv', LocalPath: '/opt/ml/processing/input/data', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
          { InputName: 'code', AppManaged: false, S3Input: { S3Uri: 's3://local-data/code/summarise.py', LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
        ],
        ProcessingOutputConfig: {
          Outputs: [{
            OutputName: 'out', AppManaged: false,
            S3Output: { S3Uri: { 'Std:Join': { On: '/', Values: ['s3://local-data/runs', { Get: 'Execution.PipelineExecutionId' }, 'out'] } }, LocalPath: '/opt/ml/processing/output/out', S3UploadMode: 'EndOfJob' },
          }],
        },
      },
    }],
  };
}

describe('round trip: the promoted definition, mapped back, runs locally with the same result', () => {
  const { moto, clients } = useMotoServer();
  let c: CloudClients;
  let ws: Workspace;

  beforeEach(async () => {
    await moto.reset();
    c = clients();
    ws = new Workspace();
    ws.write('pipeline.json', definition());
    ws.write('cairn.json', { images: { [OFFICIAL]: PY_IMAGE } });
    ws.putS3('local-data', 'input/data.csv', 'a,b\n1,2\n3,4\n');
    ws.putS3('local-data', 'code/summarise.py', `${SCRIPT}\n`);
  });
  afterEach(() => ws.dispose());

  it('maps uploaded keys and official images back, and the mapped-back file reuses every step of the original run', async () => {
    await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const promoted = await ws.json<PromoteReport>(['promote', 'pipeline.json', '--bucket', BUCKET, '--role-arn', MOTO_ROLE_ARN, '--name', 'rt', '--json']);
    expect(promoted.result.code).toBe(0);
    expect(promoted.json.images).toEqual([{ from: PY_IMAGE, to: OFFICIAL }]);
    expect(promoted.json.rewrites.map((r) => r.from).sort()).toEqual(['s3://local-data/code/summarise.py', 's3://local-data/input/data.csv']);

    const held = (await c.sagemaker.send(new DescribePipelineCommand({ PipelineName: 'rt' }))).PipelineDefinition!;
    expect(held).not.toContain('local-data/input');
    expect(held).toContain(OFFICIAL);
    const back = mapBackDefinition(held, promoted.json);
    expect(back).toEqual(definition());
    ws.write('mapped-back.json', JSON.stringify(back, null, 2));

    const first = await ws.json<RunJson>(['run', 'pipeline.json', '--name', 'rt', '--json']);
    // stderr is the progress of that one run and nothing else (no warning, no stack).
    const id = first.json.runId;
    expect(first.result.stderr).toMatch(new RegExp(
      `^run ${id} \\(rt\\) started: 1 step\\(s\\)\nSummarise: running \\(attempt 1\\): no earlier execution\nSummarise: succeeded in [0-9.ms]+\nrun ${id} succeeded\n$`));
    expect(first.json.status).toBe('succeeded');
    expect(first.json.steps.map((s) => s.reused)).toEqual([false]);
    const second = await ws.json<RunJson>(['run', 'mapped-back.json', '--name', 'rt', '--json']);
    expect(second.json.status).toBe('succeeded');
    expect(second.json.steps.map((s) => [s.name, s.status, s.reused])).toEqual([['Summarise', 'succeeded', true]]);

    // Same fingerprint ⇒ same result: the mapped-back run records the original run's fingerprint, properties and outputs.
    const store = Store.open(resolveHome({ CAIRN_HOME: ws.home }).db);
    try {
      const recorded = (runId: string): unknown[] => {
        const s = store.getStep(runId, 'Summarise');
        return [s?.fingerprint, s?.properties, store.getOutputs(runId, 'Summarise')];
      };
      const [a, b] = [recorded(first.json.runId), recorded(second.json.runId)];
      expect(a[0]).toMatch(/\S/);
      expect((a[2] as unknown[]).length).toBeGreaterThan(0);
      expect(b).toEqual(a);
      expect(store.getStep(second.json.runId, 'Summarise')?.reusedFrom).toBe(first.json.runId);
    } finally {
      store.close();
    }
  }, 120_000);
});
