import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, DescribeModelPackageGroupCommand, ListModelPackagesCommand } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { Store } from '../../cache/store.js';
import type { CloudClients } from '../../cloud/clients.js';
import { Registry, sha256Text } from '../../registry/registry.js';
import { runCli } from './cloud-cli.js';
import { MotoServer } from './moto-harness.js';

const stats = (acc: number): string => JSON.stringify({ binary_classification_metrics: { accuracy: { value: acc, standard_deviation: 'NaN' } } });
const request = (i: number, status: string) => ({
  ModelPackageGroupName: 'risky-player-detector',
  ModelPackageDescription: `run r-${i}: model full`,
  ModelApprovalStatus: status,
  InferenceSpecification: { Containers: [{ Image: '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-inference:2.19-cpu', ModelDataUrl: 's3://local/models/model.tar.gz' }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
  ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://local/eval/${i}/statistics.json` } } },
  CustomerMetadataProperties: { model: 'full', run: `r-${i}` },
});

describe('cairn models push against moto', () => {
  const moto = new MotoServer();
  let clients: CloudClients;
  let home: string;
  beforeAll(async () => {
    await moto.start();
    clients = moto.clients();
    home = mkdtempSync(join(tmpdir(), 'cairn-push-'));
    const put = (key: string, body: string): void => {
      const p = join(home, 's3', key);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, body);
    };
    put('local/models/model.tar.gz', 'weights');
    put('local/eval/1/statistics.json', stats(0.91));
    put('local/eval/2/statistics.json', stats(0.94));
    const store = Store.open(join(home, 'cairn.db'));
    const reg = new Registry(store.db);
    const artifacts = new LocalArtifactStore(home, new MemoryHashCache());
    for (const [i, status] of [[1, 'PendingManualApproval'], [2, 'Approved']] as const) {
      const r = await reg.createModelPackage(request(i, status), { artifacts, who: 'ann' });
      if (!r.ok) throw new Error(r.error);
    }
    store.close();
  });
  afterAll(async () => { clients.destroy(); await moto.stop(); rmSync(home, { recursive: true, force: true }); });

  it('creates the group, uploads the statistics and the model data, and creates the package; a second version reuses both', async () => {
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'ml-artifacts' }));
    const env = moto.env({ CAIRN_HOME: home, AWS_MAX_ATTEMPTS: '1' });
    const first = await runCli(['models', 'push', 'risky-player-detector', '1', '--bucket', 'ml-artifacts', '--json'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const out1 = JSON.parse(first.stdout) as { arn: string; groupCreated: boolean; statistics: { uri: string; uploaded: boolean }; modelData: { uri: string; uploaded: boolean } };
    expect(out1.groupCreated).toBe(true);
    const statsKey = `cairn/model-metrics/${sha256Text(Buffer.from(stats(0.91))).slice('sha256:'.length)}/statistics.json`;
    expect(out1.statistics).toEqual({ uri: `s3://ml-artifacts/${statsKey}`, uploaded: true });
    expect(out1.modelData).toMatchObject({ from: 's3://local/models/model.tar.gz', uri: expect.stringMatching(/^s3:\/\/ml-artifacts\/cairn\/model-data\/[0-9a-f]{64}\/model\.tar\.gz$/) as unknown, uploaded: true });

    const group = await clients.sagemaker.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'risky-player-detector' }));
    expect(group.ModelPackageGroupName).toBe('risky-player-detector');
    const p1 = await clients.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: out1.arn }));
    expect(p1.ModelApprovalStatus).toBe('PendingManualApproval');
    expect(p1.ModelPackageDescription).toBe('run r-1: model full');
    expect(p1.CustomerMetadataProperties).toEqual({ model: 'full', run: 'r-1' });
    expect(p1.ModelMetrics?.ModelQuality?.Statistics).toEqual({ ContentType: 'application/json', S3Uri: out1.statistics.uri });
    expect(p1.InferenceSpecification?.Containers?.[0]?.ModelDataUrl).toBe(out1.modelData.uri);
    const body = await clients.s3.send(new GetObjectCommand({ Bucket: 'ml-artifacts', Key: statsKey }));
    expect(await body.Body?.transformToString()).toBe(stats(0.91));

    const human = await runCli(['models', 'push', 'risky-player-detector', '2', '--bucket', 'ml-artifacts'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^risky-player-detector version 2 → arn:aws:sagemaker:us-east-1:\d+:model-package\/risky-player-detector\/2 \(Approved\)\n/);
    expect(human.stdout).toMatch(/statistics s3:\/\/ml-artifacts\/cairn\/model-metrics\/.* \(uploaded\)/);
    expect(human.stdout).toMatch(/model data s3:\/\/ml-artifacts\/cairn\/model-data\/.* \(already there\)/);
    expect(human.stdout).not.toContain('created model package group');

    const listed = await clients.sagemaker.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'risky-player-detector' }));
    expect(listed.ModelPackageSummaryList?.map((s) => s.ModelApprovalStatus).sort()).toEqual(['Approved', 'PendingManualApproval']);
    const objects = await clients.s3.send(new ListObjectsV2Command({ Bucket: 'ml-artifacts' }));
    expect(objects.Contents?.length).toBe(3);
  });

  it('refuses clearly: no --bucket, an unknown bucket, an unknown version', async () => {
    const env = moto.env({ CAIRN_HOME: home, AWS_MAX_ATTEMPTS: '1' });
    const noBucket = await runCli(['models', 'push', 'risky-player-detector', '1'], env);
    expect(noBucket.code).toBe(2);
    expect(noBucket.stderr).toContain('cairn models push needs --bucket');
    const missing = await runCli(['models', 'push', 'risky-player-detector', '1', '--bucket', 'nope'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^Cannot push risky-player-detector version 1: the bucket "nope" does not exist/);
    const noVersion = await runCli(['models', 'push', 'risky-player-detector', '9', '--bucket', 'ml-artifacts'], env);
    expect(noVersion.code).toBe(2);
    expect(noVersion.stderr).toContain('has no version 9');
    const wrong = await runCli(['models', 'list', 'risky-player-detector', '--bucket', 'x'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--bucket and --region are for push');
  });
});
