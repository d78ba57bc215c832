import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pyStep } from './fixtures.js';
import { PY_IMAGE, summary, Workspace } from './harness.js';

type Json = Record<string, unknown>;
const execId = { Get: 'Execution.PipelineExecutionId' };
const STATS = (acc: number): string => JSON.stringify({ binary_classification_metrics: { accuracy: { value: acc, standard_deviation: 'NaN' }, recall: { value: 1 - acc, standard_deviation: 'NaN' } } });

/** Train → Stats (writes model-quality JSON) → Register (RegisterModel) → Use (reads its properties) → Lambda (registers two more). */
function definition(): Json {
  const train = {
    Name: 'Train', Type: 'Training',
    Arguments: {
      AlgorithmSpecification: { TrainingImage: PY_IMAGE, TrainingInputMode: 'File', ContainerEntrypoint: ['python3', '-c', "open('/opt/ml/model/w.txt', 'w').write('1 2 3')"] },
      OutputDataConfig: { S3OutputPath: { 'Std:Join': { On: '/', Values: ['s3://reg/models', execId] } } },
      ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 },
      RoleArn: 'arn:aws:iam::111122223333:role/test', StoppingCondition: { MaxRuntimeInSeconds: 600 },
    },
  };
  const stats = pyStep('Stats', [
    'import json, os', "o = '/opt/ml/processing/output/stats'",
    `open(o + '/a.json', 'w').write(${JSON.stringify(STATS(0.9))})`, `open(o + '/b.json', 'w').write(${JSON.stringify(STATS(0.7))})`,
  ].join('\n'), [], ['stats']);
  const statsUri = (f: string): Json => ({ 'Std:Join': { On: '/', Values: [{ Get: "Steps.Stats.ProcessingOutputConfig.Outputs['stats'].S3Output.S3Uri" }, f] } });
  const register = {
    Name: 'Register', Type: 'RegisterModel',
    Arguments: {
      ModelPackageGroupName: 'demo',
      ModelPackageDescription: { 'Std:Join': { On: ' ', Values: ['run', execId] } },
      ModelApprovalStatus: 'PendingManualApproval',
      InferenceSpecification: { Containers: [{ Image: PY_IMAGE, ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
      ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: statsUri('a.json') } }, Bias: {}, Explainability: {} },
      CustomerMetadataProperties: { PIPELINE_ARN: { Get: 'Execution.PipelineExecutionArn' } },
      SkipModelValidation: 'None',
    },
  };
  const use = pyStep('Use', 'import sys; print(sys.argv[1:])', [], []);
  (use.Arguments as Json & { AppSpecification: Json }).AppSpecification.ContainerArguments = [
    { Get: 'Steps.Register.ModelPackageArn' }, { Get: 'Steps.Register.ModelPackageGroupName' }, { 'Std:Join': { On: '', Values: [{ Get: 'Steps.Register.ModelPackageVersion' }] } },
  ];
  const lambda = {
    Name: 'More', Type: 'Lambda', FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:register-more',
    Arguments: { model: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' }, stats: { Get: "Steps.Stats.ProcessingOutputConfig.Outputs['stats'].S3Output.S3Uri" }, fail: { Get: 'Parameters.Fail' } },
    OutputParameters: [{ OutputName: 'versions', OutputType: 'String' }],
    DependsOn: ['Use'],
  };
  return { Version: '2020-12-01', Metadata: {}, Parameters: [{ Name: 'Fail', Type: 'String', DefaultValue: 'no' }], Steps: [train, stats, register, use, lambda] };
}

const HANDLER = `
export async function handler(event: { model: string; stats: string; fail: string }, context: { registry: { createModelPackages(r: unknown[]): Promise<{ version: number }[]> } }) {
  const requests = ['a', 'b'].map((m) => ({
    ModelPackageGroupName: 'demo', ModelPackageDescription: 'from the handler: ' + m,
    InferenceSpecification: { Containers: [{ Image: 'x', ModelDataUrl: event.model }] },
    ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: event.stats + '/' + m + '.json' } } },
  }));
  const done = await context.registry.createModelPackages(requests);
  if (event.fail === 'yes') throw new Error('failing after registering');
  return { versions: JSON.stringify(done.map((d) => d.version)) };
}
`;

let ws: Workspace;
beforeAll(() => {
  ws = new Workspace();
  ws.write('cairn.json', { lambdas: { 'arn:aws:lambda:*:*:function:register-more': { module: './handler.ts' } } });
  ws.write('handler.ts', HANDLER);
  ws.write('p.json', definition());
});
afterAll(() => ws.dispose());

describe('RegisterModel steps and the models commands', () => {
  let runId = '';
  it('a failed handler registers nothing; a RegisterModel step registers once per run and its properties reach downstream', async () => {
    const failed = await ws.json(['run', 'p.json', '--param', 'Fail=yes', '--json']);
    expect(summary(failed.json)).toEqual({ Train: 'succeeded', Stats: 'succeeded', Register: 'succeeded', Use: 'succeeded', More: 'failed' });
    const first = await ws.json<{ versions: { version: number }[] }>(['models', 'list', 'demo', '--json']);
    expect(first.json.versions.map((v) => v.version)).toEqual([1]);

    const run = await ws.json(['run', 'p.json', '--json']);
    expect(summary(run.json)).toEqual({ Train: 'succeeded (reused)', Stats: 'succeeded (reused)', Register: 'succeeded', Use: 'succeeded', More: 'succeeded' });
    runId = run.json.runId;
    const use = await ws.run(['logs', runId, 'Use']);
    expect(use.stdout).toBe(`['arn:aws:sagemaker:local:000000000000:model-package/demo/2', 'demo', '2']\n`);
    const more = await ws.run(['logs', runId, 'More']);
    expect(more.stdout).toContain('OutputParameters: {"versions":"[3,4]"}');
  }, 300_000);

  it('models groups / list / show', async () => {
    const groups = await ws.json<{ groups: unknown[] }>(['models', 'groups', '--json']);
    expect(groups.json.groups).toEqual([{ name: 'demo', versions: 4, latestVersion: 4, byStatus: { PendingManualApproval: 4, Approved: 0, Rejected: 0 }, createdAt: expect.any(Number) }]);
    const list = await ws.json<{ group: string; versions: { version: number; description: string; runId: string; step: string }[] }>(['models', 'list', 'demo', '--json']);
    expect(list.json.versions.map((v) => [v.version, v.description, v.step])).toEqual([
      [1, expect.stringMatching(/^run /), 'Register'], [2, `run ${runId}`, 'Register'], [3, 'from the handler: a', 'More'], [4, 'from the handler: b', 'More'],
    ]);
    const show = await ws.json<Json>(['models', 'show', 'demo', '2', '--json']);
    expect(show.json).toMatchObject({
      group: 'demo', version: 2, arn: 'arn:aws:sagemaker:local:000000000000:model-package/demo/2', status: 'PendingManualApproval', runId,
      customerMetadata: { PIPELINE_ARN: `arn:aws:sagemaker:local:000000000000:pipeline/p/execution/${runId}` },
      statistics: { content: STATS(0.9), sha256: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
      modelData: { url: expect.stringMatching(/^s3:\/\/reg\/models\//), hash: expect.stringMatching(/^sha256:/) },
    });
    const text = await ws.run(['models', 'show', 'demo', '2']);
    expect(text.stdout).toContain('  status       PendingManualApproval');
    const missing = await ws.run(['models', 'show', 'demo', '9']);
    expect([missing.code, missing.stderr]).toEqual([2, 'model package group "demo" has no version 9 (versions: 1, 2, 3, 4).\n']);
  });

  it('models compare marks the best per metric', async () => {
    const c = await ws.json<Json>(['models', 'compare', 'demo', '3', '4', '--json']);
    expect(c.json).toMatchObject({ metrics: ['accuracy', 'recall'], best: { accuracy: { versions: [3] }, recall: { versions: [4] } } });
    const text = await ws.run(['models', 'compare', 'demo', '3', '4']);
    expect(text.stdout.split('\n')[2]).toMatch(/^accuracy\s+0\.9\*\s+0\.7 $/);
  });

  it('models approve / reject validate transitions, record who, and refuse altered files', async () => {
    const ok = await ws.json<{ status: string; approvals: { from?: string; to: string; who: string; note?: string }[] }>(['models', 'approve', 'demo', '2', '--note', 'best so far', '--json']);
    expect(ok.json.status).toBe('Approved');
    expect(ok.json.approvals.at(-1)).toMatchObject({ from: 'PendingManualApproval', to: 'Approved', note: 'best so far', who: expect.any(String) });
    const again = await ws.run(['models', 'approve', 'demo', '2']);
    expect([again.code, again.stderr]).toEqual([2, 'demo version 2 is Approved; it cannot become Approved (allowed from Approved: Rejected).\n']);
    expect((await ws.run(['models', 'reject', 'demo', '1'])).stdout).toBe('demo version 1: Rejected\n');
    const v3 = await ws.json<{ statistics: { uri: string; sha256: string } }>(['models', 'show', 'demo', '3', '--json']);
    const path = join(ws.home, 's3', v3.json.statistics.uri.slice('s3://'.length));
    writeFileSync(path, STATS(0.99));
    const refused = await ws.run(['models', 'approve', 'demo', '3']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^cannot approve demo version 3: its statistics file ${v3.json.statistics.uri.replace(/[.]/g, '\\.')} was altered \\(recorded ${v3.json.statistics.sha256}, now sha256:[0-9a-f]{64}\\)\\.\n$`));
  });

  it('models lineage names the run, its steps with image ids and hashes', async () => {
    const l = await ws.json<{ run: { runId: string }; step: string; steps: { name: string; image?: { id: string }; inputs: Record<string, string>; outputs: { name: string; hash: string }[] }[]; modelData: { hash: string } }>(['models', 'lineage', 'demo', '2', '--json']);
    expect(l.json.run.runId).toBe(runId);
    expect(l.json.step).toBe('Register');
    expect(l.json.steps.map((s) => s.name)).toEqual(['Train', 'Stats', 'Register', 'Use', 'More']);
    const train = l.json.steps[0]!;
    expect(train.image?.id).toMatch(/^sha256:/);
    expect(train.outputs.map((o) => o.name)).toContain('model');
    expect(l.json.steps[2]!.inputs).toEqual({ model: l.json.modelData.hash, statistics: expect.stringMatching(/^sha256:/) });
    const text = await ws.run(['models', 'lineage', 'demo', '2']);
    expect(text.stdout).toContain(`  run ${runId} (pipeline p,`);
    expect((await ws.run(['models', '--help'])).stdout).toContain('usage: cairn models <subcommand> [--json]');
  });
});
