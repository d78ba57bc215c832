import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../containers/docker-runtime.js';
import { LABEL_HOME, homeLabel } from '../../containers/labels.js';
import { pyStep } from './fixtures.js';
import { PY_IMAGE, summary, Workspace } from './harness.js';

type Json = Record<string, unknown>;
const SERVE = 'cairn-local/python-serve:3.11';
const INFERENCE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/example-inference:1.0-cpu';
const execId = { Get: 'Execution.PipelineExecutionId' };

/** Train (weights [1, 2, 3] and bias 0.5 in model.tar.gz) → Model → two Transforms → a step reading their properties. */
function definition(): Json {
  const train = {
    Name: 'Train', Type: 'Training',
    Arguments: {
      AlgorithmSpecification: {
        TrainingImage: PY_IMAGE, TrainingInputMode: 'File',
        ContainerEntrypoint: ['python3', '-c', "import numpy as np; np.save('/opt/ml/model/weights.npy', np.array([1.0, 2.0, 3.0, 0.5]))"],
      },
      OutputDataConfig: { S3OutputPath: { 'Std:Join': { On: '/', Values: ['s3://test-bucket/models', execId] } } },
      ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 },
      RoleArn: 'arn:aws:iam::111122223333:role/test', StoppingCondition: { MaxRuntimeInSeconds: 600 },
    },
  };
  const model = {
    Name: 'M', Type: 'Model',
    Arguments: {
      ExecutionRoleArn: 'arn:aws:iam::111122223333:role/test',
      PrimaryContainer: { Image: INFERENCE, Environment: { SAGEMAKER_PROGRAM: 'inference.py' }, ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } },
    },
  };
  const transform = (name: string, strategy: string): Json => ({
    Name: name, Type: 'Transform',
    Arguments: {
      ModelName: { Get: 'Steps.M.ModelName' },
      BatchStrategy: strategy,
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://test-bucket/batch' } }, ContentType: 'text/csv', SplitType: 'Line' },
      TransformOutput: { S3OutputPath: { 'Std:Join': { On: '/', Values: ['s3://test-bucket/scores', execId, name] } }, Accept: 'text/csv', AssembleWith: 'Line' },
      TransformResources: { InstanceCount: 1, InstanceType: 'ml.m5.large' },
    },
  });
  const use = pyStep('Use', [
    'import sys', "print('model', sys.argv[1], 'arn', sys.argv[2])",
    "print('scores', open('/opt/ml/processing/input/scores/data.csv.out').read().split())",
  ].join('\n'), [['scores', { Get: 'Steps.T1.TransformOutput.S3OutputPath' }]], []);
  (use.Arguments as Json & { AppSpecification: Json }).AppSpecification.ContainerArguments = [{ Get: 'Steps.M.ModelName' }, { Get: 'Steps.M.ModelArn' }];
  return { Version: '2020-12-01', Metadata: {}, Parameters: [], Steps: [train, model, transform('T1', 'SingleRecord'), transform('T2', 'MultiRecord'), use] };
}

let ws: Workspace;
beforeAll(() => {
  ws = new Workspace();
  ws.write('cairn.json', { images: { [INFERENCE]: SERVE } });
  ws.putS3('test-bucket', 'batch/data.csv', '1,0,0\n0,1,0\n0,0,1\n1,1,1\n2,2,2\n');
  ws.write('p.json', definition());
});
afterAll(() => ws.dispose());

describe('Model and Transform steps through the engine', () => {
  it('a Model step records the model, Transform steps serve it, and the model properties reach a downstream step', async () => {
    const plan = await ws.run(['plan', 'p.json']);
    expect(plan.code).toBe(0);
    const run = await ws.json(['run', 'p.json', '--json']);
    expect(summary(run.json)).toEqual({ Train: 'succeeded', M: 'succeeded', T1: 'succeeded', T2: 'succeeded', Use: 'succeeded' });
    const id = run.json.runId;
    const s3 = join(ws.home, 's3/test-bucket/scores', id);
    expect(readFileSync(join(s3, 'T1/data.csv.out'), 'utf8')).toBe('1.5\n2.5\n3.5\n6.5\n12.5\n');
    expect(readFileSync(join(s3, 'T2/data.csv.out'), 'utf8')).toBe('1.5\n2.5\n3.5\n6.5\n12.5\n');
    const t1 = await ws.run(['logs', id, 'T1']);
    const t2 = await ws.run(['logs', id, 'T2']);
    expect(t1.stdout.split('\n').filter((l) => l.includes('POST /invocations'))).toHaveLength(5);
    expect(t2.stdout.split('\n').filter((l) => l.includes('POST /invocations'))).toHaveLength(1);
    const use = await ws.run(['logs', id, 'Use']);
    expect(use.stdout).toBe(
      `model pipelines-${id}-M arn arn:aws:sagemaker:local:000000000000:model/pipelines-${id}-m\n` +
      "scores ['1.5', '2.5', '3.5', '6.5', '12.5']\n",
    );
    expect(await new DockerRuntime().listContainers({ [LABEL_HOME]: homeLabel(ws.home) })).toEqual([]);

    // The model's name changes with the execution, but what it is does not: everything is reused.
    const again = await ws.json(['run', 'p.json', '--json']);
    expect(summary(again.json)).toEqual({ Train: 'succeeded (reused)', M: 'succeeded (reused)', T1: 'succeeded (reused)', T2: 'succeeded (reused)', Use: 'succeeded (reused)' });
    // New input data: only the transforms and what reads them run again.
    ws.putS3('test-bucket', 'batch/data.csv', '3,0,0\n');
    const changed = await ws.json(['run', 'p.json', '--json']);
    expect(summary(changed.json)).toEqual({ Train: 'succeeded (reused)', M: 'succeeded (reused)', T1: 'succeeded', T2: 'succeeded', Use: 'succeeded' });
    expect(readFileSync(join(ws.home, 's3/test-bucket/scores', changed.json.runId, 'T2/data.csv.out'), 'utf8')).toBe('3.5\n');
  });
});
