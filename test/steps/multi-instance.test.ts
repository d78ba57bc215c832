import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFingerprint } from '../../cache/fingerprint.js';
import type { ContainerSpec } from '../../contracts/container-runtime.js';
import { anyExecutor, type StepContext, type StepExecutor } from '../../contracts/executor.js';
import type { JsonObject } from '../../kernel/json.js';
import { ProcessingExecutor } from '../../steps/processing.js';
import { TrainingExecutor } from '../../steps/training.js';
import { words } from '../failure-words.js';
import type { FakeJobIo } from '../support/fake-runtime.js';
import { fakeStepHome, IMAGE } from './fake-step-context.js';

const t = fakeStepHome();
afterAll(() => t.close());
const processing = new ProcessingExecutor();
const training = new TrainingExecutor();
const OBJECTS = Array.from({ length: 10 }, (_, i) => `part-${String(i).padStart(2, '0')}.csv`);
for (const name of OBJECTS) t.put(`bucket/shards/${name}`, `${name}\n`);

function processingArgs(count: number, distribution: string, over: JsonObject = {}): JsonObject {
  return {
    AppSpecification: { ImageUri: IMAGE, ContainerEntrypoint: ['python3', 'job.py'] },
    ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: count, VolumeSizeInGB: 30 } },
    ProcessingInputs: [
      { InputName: 'data', S3Input: { S3Uri: 's3://bucket/shards', LocalPath: '/opt/ml/processing/input/data', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: distribution } },
      { InputName: 'all', S3Input: { S3Uri: 's3://bucket/shards', LocalPath: '/opt/ml/processing/input/all', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } },
    ],
    ProcessingOutputConfig: { Outputs: [{ OutputName: 'out', S3Output: { S3Uri: 's3://bucket/out', LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }] },
    RoleArn: 'arn:aws:iam::111111111111:role/r',
    ...over,
  };
}

function resourceConfigOf(io: FakeJobIo, dir: string): { current_host: string; hosts: string[]; network_interface_name: string } {
  return JSON.parse(readFileSync(io.hostPath(`${dir}/resourceconfig.json`), 'utf8')) as { current_host: string; hosts: string[]; network_interface_name: string };
}

/** Prepares and runs one attempt of a step (any executor, its job type hidden). */
async function run(exec: ProcessingExecutor | TrainingExecutor, ctx: StepContext, args: JsonObject) {
  const executor = anyExecutor<unknown>(exec as StepExecutor<unknown>);
  const prepared = await executor.prepare(args, ctx, { pull: true });
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
  return { result: await executor.execute(prepared.value, ctx) };
}

const specsOf = (step: string): ContainerSpec[] => t.runtime.specs.filter((s) => s.labels['org.cairn.step'] === step);

describe('a multi-instance Processing job', () => {
  it('runs InstanceCount containers algo-1…N on one labelled network, ShardedByS3Key splitting the objects 5/5', async () => {
    const seen = new Map<string, { data: string[]; all: string[]; config: ReturnType<typeof resourceConfigOf> }>();
    t.runtime.onStep('Shard', (io) => {
      const config = resourceConfigOf(io, '/opt/ml/config');
      seen.set(config.current_host, {
        data: readdirSync(io.hostPath('/opt/ml/processing/input/data')).sort(),
        all: readdirSync(io.hostPath('/opt/ml/processing/input/all')).sort(),
        config,
      });
      expect(t.runtime.networks.size).toBe(1);
      writeFileSync(join(io.hostPath('/opt/ml/processing/output'), `from-${config.current_host}.txt`), config.current_host);
      io.log(`hello from ${config.current_host}`);
      return 0;
    });
    const ctx = t.ctx('Shard', 'Processing');
    const { result } = await run(processing, ctx, processingArgs(2, 'ShardedByS3Key'));
    if (!result.ok) throw new Error(JSON.stringify(result.error));

    expect(seen.get('algo-1')?.data).toEqual(['part-00.csv', 'part-02.csv', 'part-04.csv', 'part-06.csv', 'part-08.csv']);
    expect(seen.get('algo-2')?.data).toEqual(['part-01.csv', 'part-03.csv', 'part-05.csv', 'part-07.csv', 'part-09.csv']);
    expect(seen.get('algo-1')?.all).toEqual(OBJECTS);
    expect(seen.get('algo-2')?.all).toEqual(OBJECTS);
    expect(seen.get('algo-2')?.config).toMatchObject({ current_host: 'algo-2', hosts: ['algo-1', 'algo-2'], network_interface_name: 'eth0' });

    const specs = specsOf('Shard');
    expect(specs.map((s) => s.hostname).sort()).toEqual(['algo-1', 'algo-2']);
    expect(new Set(specs.map((s) => s.network)).size).toBe(1);
    expect(specs[0]?.network).toMatch(/^cairn-/);
    expect(t.runtime.networks.size).toBe(0); // removed after the job
    expect(ctx.lines.sort()).toEqual(['[algo-1] hello from algo-1', '[algo-2] hello from algo-2']);
    // Every instance's output lands under the one prefix.
    expect(result.value.outputs[0]?.files.map((f) => f.path).sort()).toEqual(['from-algo-1.txt', 'from-algo-2.txt']);
  });

  it('gives every instance every object when FullyReplicated, and joins the run network when the context has one', async () => {
    const lists: string[][] = [];
    t.runtime.onStep('Full', (io) => { lists.push(readdirSync(io.hostPath('/opt/ml/processing/input/data')).sort()); return 0; });
    const ctx = t.ctx('Full', 'Processing', { runNetwork: 'cairn-run-net' });
    const { result } = await run(processing, ctx, processingArgs(3, 'FullyReplicated'));
    expect(result.ok).toBe(true);
    expect(lists).toEqual([OBJECTS, OBJECTS, OBJECTS]);
    expect(specsOf('Full').map((s) => s.network)).toEqual(['cairn-run-net', 'cairn-run-net', 'cairn-run-net']);
    expect(t.runtime.networks.size).toBe(0);
  });

  it('a one-instance job keeps one container, no network and no host directory', async () => {
    t.runtime.onStep('One', (io) => {
      expect(readdirSync(io.hostPath('/opt/ml/processing/input/data'))).toHaveLength(10);
      return 0;
    });
    const ctx = t.ctx('One', 'Processing');
    const { result } = await run(processing, ctx, processingArgs(1, 'ShardedByS3Key'));
    expect(result.ok).toBe(true);
    expect(specsOf('One').map((s) => [s.network, s.hostname])).toEqual([[undefined, undefined]]);
    expect(existsSync(join(ctx.attemptDir, 'algo-1'))).toBe(false);
  });

  it('isolated (EnableNetworkIsolation): the hosts share an internal network of their own, never the run network', async () => {
    t.runtime.onStep('Iso', () => 0);
    const created: boolean[] = [];
    const createNetwork = t.runtime.createNetwork.bind(t.runtime);
    t.runtime.createNetwork = (spec) => { created.push(spec.internal === true); return createNetwork(spec); };
    try {
      const ctx = t.ctx('Iso', 'Processing', { runNetwork: 'cairn-run-net' });
      const { result } = await run(processing, ctx, processingArgs(2, 'FullyReplicated', { NetworkConfig: { EnableNetworkIsolation: true } }));
      expect(result.ok).toBe(true);
    } finally {
      t.runtime.createNetwork = createNetwork;
    }
    expect(created).toEqual([true]);
    const specs = specsOf('Iso');
    expect(specs.every((s) => s.network !== 'cairn-run-net' && s.network !== undefined && s.networkIsolated !== true)).toBe(true);
  });

  it('a failing instance stops the others; the failure names it', async () => {
    let stopped = false;
    t.runtime.onStep('Fail', async (io) => {
      const host = resourceConfigOf(io, '/opt/ml/config').current_host;
      if (host === 'algo-2') {
        writeFileSync(io.hostPath('/opt/ml/output/failure'), 'bad shard on algo-2');
        return 3;
      }
      await new Promise<void>((resolve) => io.signal.addEventListener('abort', () => { stopped = true; resolve(); }, { once: true }));
      return 0;
    });
    const ctx = t.ctx('Fail', 'Processing');
    const { result } = await run(processing, ctx, processingArgs(2, 'ShardedByS3Key'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(stopped).toBe(true);
    expect(result.error).toMatchObject({ reason: 'exit-nonzero', exitCode: 3, instance: { host: 'algo-2', count: 2 }, failureFile: 'bad shard on algo-2' });
    expect(words(result.error, { name: 'Fail', type: 'Processing' })).toBe(
      'Processing step "Fail" on instance algo-2 (of 2) failed: its container exited with code 3 and wrote to /opt/ml/output/failure: bad shard on algo-2. Fix the cause in the job code or its inputs and run again.',
    );
    expect(t.runtime.networks.size).toBe(0);
  });

  it('InstanceCount and S3DataDistributionType are in the fingerprint; a bad count or distribution names its field', async () => {
    const fp = async (a: JsonObject) => {
      const p = await processing.prepare(a, t.ctx('Fp', 'Processing'), { pull: false });
      if (!p.ok) throw new Error(JSON.stringify(p.error));
      return buildFingerprint('Processing', p.value.fingerprint);
    };
    const one = await fp(processingArgs(1, 'FullyReplicated'));
    expect(await fp(processingArgs(2, 'FullyReplicated'))).not.toEqual(one);
    expect(await fp(processingArgs(1, 'ShardedByS3Key'))).not.toEqual(one);
    const zero = await processing.prepare(processingArgs(0, 'FullyReplicated'), t.ctx('Fp', 'Processing'), { pull: false });
    expect(!zero.ok && zero.error).toMatchObject({ reason: 'invalid-arguments', field: 'ProcessingResources.ClusterConfig.InstanceCount' });
    const bad = await processing.prepare(processingArgs(2, 'Sharded'), t.ctx('Fp', 'Processing'), { pull: false });
    expect(!bad.ok && bad.error).toMatchObject({ reason: 'invalid-arguments', field: 'ProcessingInputs[0].S3Input.S3DataDistributionType' });
  });
});

function trainingArgs(count: number, over: JsonObject = {}): JsonObject {
  return {
    AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File', MetricDefinitions: [{ Name: 'loss', Regex: 'loss=([0-9.]+)' }] },
    HyperParameters: { sagemaker_program: '"train.py"', epochs: '2' },
    InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://bucket/shards', S3DataDistributionType: 'ShardedByS3Key' } } }],
    OutputDataConfig: { S3OutputPath: 's3://bucket/models' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: count, VolumeSizeInGB: 30 },
    RoleArn: 'arn:aws:iam::111111111111:role/r',
    ...over,
  };
}

describe('a multi-instance Training job', () => {
  it('gives each host its resourceconfig.json and SM_HOSTS/SM_CURRENT_HOST, metrics from algo-1, one model of every host', async () => {
    const env = new Map<string, Record<string, string>>();
    t.runtime.onStep('Train', (io) => {
      const config = resourceConfigOf(io, '/opt/ml/input/config');
      const host = config.current_host;
      env.set(host, io.spec.env);
      expect(io.spec.hostname).toBe(host);
      expect(readdirSync(io.hostPath('/opt/ml/input/data/train'))).toHaveLength(5);
      mkdirSync(io.hostPath('/opt/ml/model'), { recursive: true });
      writeFileSync(join(io.hostPath('/opt/ml/model'), `${host}.bin`), host);
      io.log(`loss=${host === 'algo-1' ? '0.25' : '0.75'}`);
      return 0;
    });
    const ctx = t.ctx('Train', 'Training');
    const { result } = await run(training, ctx, trainingArgs(2));
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(env.get('algo-1')).toMatchObject({ SM_HOSTS: '["algo-1","algo-2"]', SM_CURRENT_HOST: 'algo-1', CURRENT_HOST: 'algo-1' });
    expect(env.get('algo-2')).toMatchObject({ SM_HOSTS: '["algo-1","algo-2"]', SM_CURRENT_HOST: 'algo-2', CURRENT_HOST: 'algo-2' });
    expect(JSON.parse(env.get('algo-2')?.SM_TRAINING_ENV ?? '{}')).toMatchObject({ master_hostname: 'algo-1', is_master: false, current_host: 'algo-2' });
    expect(ctx.metrics).toEqual([['loss', 0.25]]);
    expect(ctx.lines.sort()).toEqual(['[algo-1] loss=0.25', '[algo-2] loss=0.75']);
    const model = result.value.outputs.find((o) => o.name === 'model');
    const archive = join(t.services.artifacts.home, 's3', 'bucket', 'models', `pipelines-${ctx.runId}-Train`, 'output', 'model.tar.gz');
    expect(model?.isFile).toBe(true);
    expect(execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).split('\n').filter((l) => l.endsWith('.bin')).sort()).toEqual(['algo-1.bin', 'algo-2.bin']);
    expect(specsOf('Train').map((s) => s.network)).toEqual([specsOf('Train')[0]?.network, specsOf('Train')[0]?.network]);
    expect(specsOf('Train')[0]?.network).toBeDefined();
  });

  it('a failing host stops the other and the failure names it', async () => {
    t.runtime.onStep('TrainFail', async (io) => {
      if (resourceConfigOf(io, '/opt/ml/input/config').current_host === 'algo-1') return { exitCode: 137, oomKilled: true };
      await new Promise((resolve) => io.signal.addEventListener('abort', resolve, { once: true }));
      return 0;
    });
    const { result } = await run(training, t.ctx('TrainFail', 'Training'), trainingArgs(2));
    expect(!result.ok && result.error).toMatchObject({ reason: 'oom-killed', instance: { host: 'algo-1', count: 2 } });
  });
});
