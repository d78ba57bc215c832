import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListPipelineExecutionsCommand, ListPipelinesCommand } from '@aws-sdk/client-sagemaker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CloudClients } from '../../cloud/clients.js';
import { PY_IMAGE, Workspace } from '../e2e/harness.js';
import { MOTO_ROLE_ARN, MotoServer } from './moto-harness.js';
import { RecordingProxy } from './recording-proxy.js';

const BUCKET = 'promote-target';
const OFFICIAL = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';

/** A → B → C, and D alone: Processing steps chained by DependsOn. */
function definition(): object {
  const step = (Name: string, DependsOn?: string[]): object => ({
    Name, Type: 'Processing', ...(DependsOn === undefined ? {} : { DependsOn }),
    Arguments: {
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 } },
      AppSpecification: { ImageUri: PY_IMAGE, ContainerEntrypoint: ['python3', '-c', `print("${Name}")`] },
      RoleArn: MOTO_ROLE_ARN,
    },
  });
  return { Version: '2020-12-01', Metadata: {}, Parameters: [], Steps: [step('A'), step('B', ['A']), step('C', ['B']), step('D')] };
}

describe('cairn promote --start --steps (selective execution) against moto', () => {
  const moto = new MotoServer();
  const proxy = new RecordingProxy();
  let c: CloudClients;
  let ws: Workspace;
  const saved = { ...process.env };

  beforeAll(async () => {
    await moto.start();
    await proxy.start(moto.endpoint);
    // The CLI's SageMaker client goes through the recording proxy; S3 straight to moto.
    Object.assign(process.env, moto.env({ AWS_ENDPOINT_URL_SAGEMAKER: proxy.endpoint }));
    c = moto.clients();
  });
  afterAll(async () => {
    c.destroy();
    process.env = saved;
    await proxy.stop();
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    proxy.requests.length = 0;
    ws = new Workspace();
    ws.write('pipeline.json', definition());
    ws.write('cairn.json', { images: { [OFFICIAL]: PY_IMAGE } });
  });
  afterEach(() => ws.dispose());

  const promote = (...extra: string[]) => ws.run(['promote', 'pipeline.json', '--bucket', BUCKET, '--role-arn', MOTO_ROLE_ARN, '--name', 'chain', ...extra]);

  it('sends SelectiveExecutionConfig with the selected steps (in graph order) and the reference execution', async () => {
    await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const first = await ws.json<{ executionArn: string }>(['promote', 'pipeline.json', '--bucket', BUCKET, '--role-arn', MOTO_ROLE_ARN, '--name', 'chain', '--start', '--json']);
    expect(first.result.code).toBe(0);
    const r = await ws.json<{ executionArn: string }>(['promote', 'pipeline.json', '--bucket', BUCKET, '--role-arn', MOTO_ROLE_ARN, '--name', 'chain',
      '--start', '--steps', 'C,B', '--from-execution', first.json.executionArn, '--json']);
    expect(r.result.stderr).toBe('');
    expect(r.result.code).toBe(0);
    const starts = proxy.bodies('StartPipelineExecution');
    expect(starts).toHaveLength(2);
    expect(starts[0]).not.toHaveProperty('SelectiveExecutionConfig');
    expect(starts[1]?.SelectiveExecutionConfig).toEqual({
      SelectedSteps: [{ StepName: 'B' }, { StepName: 'C' }], SourcePipelineExecutionArn: first.json.executionArn,
    });
    const list = await c.sagemaker.send(new ListPipelineExecutionsCommand({ PipelineName: 'chain' }));
    expect(list.PipelineExecutionSummaries?.map((e) => e.PipelineExecutionArn).sort()).toEqual([first.json.executionArn, r.json.executionArn].sort());
    // Without --from-execution SageMaker picks the latest execution: only SelectedSteps is sent.
    const latest = await promote('--start', '--steps', 'A');
    expect(latest.code).toBe(0);
    expect(proxy.bodies('StartPipelineExecution')[2]?.SelectiveExecutionConfig).toEqual({ SelectedSteps: [{ StepName: 'A' }] });
  });

  it('refuses a bad selection or bad flags with exit 2 before calling anything', async () => {
    const cases: [string[], string][] = [
      [['--steps', 'B'], '--steps needs --start'],
      [['--start', '--from-execution', 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/chain/execution/x'], '--from-execution names the reference execution'],
      [['--start', '--steps', 'B,Nope'], '--steps names step(s) that the definition does not have: "Nope".'],
      [['--start', '--steps', 'A,C'], '"B" lies on a path between selected steps but is not selected'],
      [['--start', '--steps', 'B,D'], 'the selected steps are not connected'],
      [['--start', '--steps', 'B', '--from-execution', 'run-1'], '--from-execution "run-1" is not a pipeline execution ARN'],
    ];
    for (const [args, message] of cases) {
      const r = await promote(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(proxy.bodies('CreatePipeline')).toEqual([]);
    expect(proxy.bodies('StartPipelineExecution')).toEqual([]);
    expect((await c.sagemaker.send(new ListPipelinesCommand({}))).PipelineSummaries ?? []).toEqual([]);
    expect((await c.s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  });
});
