import { CreatePipelineCommand, StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cloudClients, type CloudClients } from '../../cloud/clients.js';
import { cloudRunJson, listExecutions, showExecution } from '../../cloud/cloud-runs.js';
import { FakeSageMaker } from './fake-sagemaker.js';
import { watchExecution } from '../../cloud/watch.js';
import type { RunEvent } from '../../contracts/run-events.js';
import { fakeEnv, runCli } from './cloud-cli.js';
import { MOTO_ROLE_ARN, MotoServer } from './moto-harness.js';

const definition = {
  Version: '2020-12-01', Parameters: [{ Name: 'Epochs', Type: 'Integer', DefaultValue: 3 }],
  Steps: [{ Name: 'Prep', Type: 'Processing', Arguments: {} }, { Name: 'Fit', Type: 'Training', Arguments: {} }],
};

describe('cairn cloud runs / show against moto', () => {
  const moto = new MotoServer();
  let clients: CloudClients;
  let fake: FakeSageMaker;
  beforeAll(async () => { await moto.start(); clients = moto.clients(); fake = await FakeSageMaker.start(); });
  afterAll(async () => { clients.destroy(); await fake.close(); await moto.stop(); });
  beforeEach(() => moto.reset());

  it('lists the executions of a pipeline created through the SDK and shows one with the local JSON contract', async () => {
    await clients.sagemaker.send(new CreatePipelineCommand({ PipelineName: 'retrain', PipelineDefinition: JSON.stringify(definition), RoleArn: MOTO_ROLE_ARN }));
    const a = await clients.sagemaker.send(new StartPipelineExecutionCommand({ PipelineName: 'retrain', PipelineParameters: [{ Name: 'Epochs', Value: '5' }] }));
    const arn = a.PipelineExecutionArn!;
    const env = moto.env({ AWS_MAX_ATTEMPTS: '1' });

    const runs = await runCli(['cloud', 'runs', 'retrain', '--json'], env);
    expect(runs.stderr).toBe('');
    expect(runs.code).toBe(0);
    expect(JSON.parse(runs.stdout)).toEqual([{ runId: arn, pipeline: 'retrain', status: 'succeeded', startedAt: expect.any(String) as unknown }]);
    const text = await runCli(['cloud', 'runs', 'retrain'], env);
    expect(text.stdout).toContain(`succeeded`);
    expect(text.stdout).toContain(arn);

    // moto has no ListPipelineExecutionSteps: show still reports the execution, and says why the steps are missing.
    const shown = await runCli(['cloud', 'show', arn, '--json'], env);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({ runId: arn, status: 'succeeded', steps: [] });
    expect(shown.stderr).toMatch(/^The steps of .* could not be listed \(ListPipelineExecutionSteps: .*\); only the execution's status is shown\./);

    // Watching it ends at once (moto marks executions Succeeded); the missing step list is a warning, not a failure.
    const events: RunEvent[] = [];
    const watched = await watchExecution(clients, arn, { intervalMs: 10, onEvent: (e) => events.push(e) });
    expect(watched.ok && watched.value.exitCode).toBe(0);
    expect(watched.ok && watched.value.warning).toMatch(/^The execution ended Succeeded, but its final step list could not be read/);
    expect(events.map((e) => e.type)).toEqual(['run-started', 'run-finished']);
    expect(events[0]).toMatchObject({ steps: [{ name: 'Prep', type: 'Processing' }, { name: 'Fit', type: 'Training' }] });
    const cli = await runCli(['cloud', 'watch', arn], env);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`run ${arn} succeeded`);

    const unknown = await runCli(['cloud', 'show', arn.replace(/execution\/.*/, 'execution/nope'), '--json'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Cannot describe the pipeline execution /);
  });

  it('runs the same client code against moto and the fake server', async () => {
    await clients.sagemaker.send(new CreatePipelineCommand({ PipelineName: 'twin', PipelineDefinition: JSON.stringify(definition), RoleArn: MOTO_ROLE_ARN }));
    const onMoto = await clients.sagemaker.send(new StartPipelineExecutionCommand({ PipelineName: 'twin' }));
    const fakeClients = cloudClients({ region: 'us-east-1', env: fakeEnv(fake.endpoint), credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    if (!fakeClients.ok) throw new Error(fakeClients.error);
    try {
      const onFake = await fakeClients.value.sagemaker.send(new StartPipelineExecutionCommand({ PipelineName: 'twin' }));
      for (const [c, arn] of [[clients, onMoto.PipelineExecutionArn!], [fakeClients.value, onFake.PipelineExecutionArn!]] as const) {
        const listed = await listExecutions(c, 'twin');
        expect(listed.ok && listed.value.map((e) => e.arn)).toEqual([arn]);
        const shown = await showExecution(c, arn);
        expect(shown.ok).toBe(true);
        if (!shown.ok) continue;
        expect(cloudRunJson(shown.value.snapshot).runId).toBe(arn);
        expect(['running', 'succeeded']).toContain(shown.value.snapshot.status);
      }
    } finally {
      fakeClients.value.destroy();
    }
  });
});
