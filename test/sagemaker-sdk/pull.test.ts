import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreatePipelineCommand } from '@aws-sdk/client-sagemaker';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { blobPath } from '../../cache/cas.js';
import { pulledObject } from '../../cache/pulled-store.js';
import { Store } from '../../cache/store.js';
import { pull, type PullReport } from '../../cloud/pull.js';
import type { PullSink } from '../../cloud/pull-fetch.js';
import { readPipelineRequest } from '../../cli/pipeline-request.js';
import { runCli } from '../cloud/cloud-cli.js';
import { MOTO_ROLE_ARN, MotoServer } from '../cloud/moto-harness.js';
import { SDK_BUCKET, type SdkDefinition } from '../support/sagemaker-sdk.js';
import { DATA, DECOYS, sdkPipeline } from './pull-sdk-pipeline.js';

const moto = new MotoServer();
let s3: S3Client;
let sdk: SdkDefinition;
beforeAll(async () => {
  await moto.start();
  s3 = moto.clients().s3;
  sdk = await sdkPipeline(moto, s3);
}, 120_000);
afterAll(() => moto.stop());

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'cairn-pull-home-'));
  for (const [key, body] of Object.entries(DATA)) await s3.send(new PutObjectCommand({ Bucket: SDK_BUCKET, Key: key, Body: body }));
});

async function bucketKeys(): Promise<string[]> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: SDK_BUCKET }));
  return (page.Contents ?? []).map((o) => o.Key ?? '').sort();
}

/** pull() in this process, against moto; `failAfter`: GetObject fails from that many fetches on (an interrupted pull). */
async function pullHere(opts: { dryRun?: boolean; failAfter?: number } = {}): Promise<PullReport> {
  const clients = moto.clients();
  if (opts.failAfter !== undefined) {
    let gets = 0;
    const send = clients.s3.send.bind(clients.s3) as (c: unknown) => Promise<unknown>;
    (clients.s3 as unknown as { send: (c: unknown) => Promise<unknown> }).send = (c) => {
      if (c instanceof GetObjectCommand && ++gets > (opts.failAfter as number)) return Promise.reject(new Error('connection reset'));
      return send(c);
    };
  }
  const store = Store.open(join(home, 'cairn.db'));
  const hashCache = { get: (p: string) => store.getFileHash(p), put: store.putFileHash.bind(store) };
  const sink: PullSink = { home, db: store.db, artifacts: new LocalArtifactStore(home, hashCache), hashCache };
  try {
    const r = await pull(clients, sink, { kind: 'file', path: sdk.file }, { dryRun: opts.dryRun === true });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  } finally {
    store.close();
    clients.destroy();
  }
}

const fetched = (r: PullReport): string[] => r.objects.filter((o) => o.state !== 'present' && !r.problems.some((p) => p.uri === o.uri)).map((o) => o.uri).sort();
const uris = (keys: string[]): string[] => keys.map((k) => `s3://${SDK_BUCKET}/${k}`).sort();

describe('cairn pull of a definition the real SageMaker SDK wrote', () => {
  it('fetches exactly the objects and prefixes the definition names, through the commit path, and lists run-time values', async () => {
    const sdkUploads = (await bucketKeys()).filter((k) => !(k in DATA) && !(k in DECOYS));
    expect(sdkUploads.some((k) => k.endsWith('/prepare.py'))).toBe(true);
    expect(sdkUploads.some((k) => k.endsWith('/sourcedir.tar.gz'))).toBe(true);
    const r = await pullHere();
    expect(r.problems).toEqual([]);
    expect(fetched(r)).toEqual(uris([...sdkUploads, ...Object.keys(DATA)]));
    const store = Store.open(join(home, 'cairn.db'));
    try {
      for (const key of [...sdkUploads, ...Object.keys(DATA)]) {
        const local = join(home, 's3', SDK_BUCKET, key);
        const body = await (await s3.send(new GetObjectCommand({ Bucket: SDK_BUCKET, Key: key }))).Body?.transformToByteArray();
        expect(readFileSync(local)).toEqual(Buffer.from(body ?? new Uint8Array()));
        // committed like an output: the s3/ view file is the content-addressed blob (one inode), recorded with its hash
        const row = pulledObject(store.db, `s3://${SDK_BUCKET}/${key}`);
        expect(row?.size).toBe(statSync(local).size);
        expect(statSync(local).ino).toBe(statSync(blobPath(home, row?.hash ?? '')).ino);
      }
    } finally {
      store.close();
    }
    for (const key of Object.keys(DECOYS)) expect(existsSync(join(home, 's3', SDK_BUCKET, key))).toBe(false);
    expect(r.defaulted).toEqual([{ name: 'RawData', value: `s3://${SDK_BUCKET}/raw/` }]);
    expect(r.runtime.map((x) => [x.step, x.path])).toContainEqual(['Train', 'Arguments.InputDataConfig[0].DataSource.S3DataSource.S3Uri']);
    expect(r.notFound).toEqual([]);
  });

  it('fetches nothing the second time, and again an object whose ETag changed in S3', async () => {
    const first = await pullHere();
    expect(fetched(first).length).toBeGreaterThan(0);
    const second = await pullHere();
    expect(fetched(second)).toEqual([]);
    expect(second.objects.every((o) => o.state === 'present')).toBe(true);
    expect(second.fetchedBytes).toBe(0);
    await s3.send(new PutObjectCommand({ Bucket: SDK_BUCKET, Key: 'raw/a.csv', Body: '9,9\n' }));
    const third = await pullHere();
    expect(fetched(third)).toEqual([`s3://${SDK_BUCKET}/raw/a.csv`]);
    expect(await readFile(join(home, 's3', SDK_BUCKET, 'raw/a.csv'), 'utf8')).toBe('9,9\n');
  });

  it('an interrupted pull leaves whole files only, and the next pull fetches only what is still missing', async () => {
    const all = (await pullHere({ dryRun: true })).objects.map((o) => o.uri).sort();
    const cut = await pullHere({ failAfter: 2 });
    expect(cut.problems.length).toBe(all.length - 2);
    expect(cut.problems.every((p) => p.kind === 's3' && p.message.includes('connection reset'))).toBe(true);
    const landed = all.filter((u) => !cut.problems.some((p) => p.uri === u));
    expect(landed.length).toBe(2);
    for (const p of cut.problems) expect(existsSync(join(home, 's3', p.uri.slice(5)))).toBe(false);
    const rest = await pullHere();
    expect(rest.problems).toEqual([]);
    expect(fetched(rest)).toEqual(all.filter((u) => !landed.includes(u)));
  });

  it('--dry-run lists what would be fetched and changes nothing', async () => {
    const r = await runCli(['pull', sdk.file, '--dry-run', '--json'], moto.env({ CAIRN_HOME: home }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { version: number; dryRun: boolean; objects: { uri: string; state: string; fetched: boolean }[] };
    expect(report.version).toBe(1);
    expect(report.dryRun).toBe(true);
    expect(report.objects.map((o) => o.uri).sort()).toEqual(uris((await bucketKeys()).filter((k) => !(k in DECOYS))));
    expect(report.objects.every((o) => o.state === 'new' && !o.fetched)).toBe(true);
    expect(existsSync(join(home, 's3'))).toBe(false);
    const store = Store.open(join(home, 'cairn.db'));
    try {
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM pulled_objects').get()).toEqual({ n: 0 });
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM pulled_definitions').get()).toEqual({ n: 0 });
    } finally {
      store.close();
    }
  });

  it('pulls a deployed pipeline by name, records its name, and run/plan then use it for that file', async () => {
    const sm = moto.clients();
    try {
      await sm.sagemaker.send(new CreatePipelineCommand({
        PipelineName: 'churn-retrain', RoleArn: MOTO_ROLE_ARN, PipelineDefinition: readFileSync(sdk.file, 'utf8'),
      }));
    } finally {
      sm.destroy();
    }
    const cwd = await mkdtemp(join(tmpdir(), 'cairn-pull-cwd-'));
    const r = await runCli(['pull', 'churn-retrain'], moto.env({ CAIRN_HOME: home }), cwd);
    expect(r.stderr).toContain('objects');
    expect(r.code).toBe(0);
    const file = join(cwd, 'churn-retrain.json');
    expect(r.stdout).toContain(`recorded: cairn run ${file} uses the pipeline name churn-retrain`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(readFileSync(sdk.file, 'utf8')));
    expect(existsSync(join(home, 's3', SDK_BUCKET, 'raw/a.csv'))).toBe(true);
    const before = process.env.CAIRN_HOME;
    process.env.CAIRN_HOME = home;
    try {
      const req = await readPipelineRequest(file, {});
      expect(req.ok && req.value.loaded.name).toBe('churn-retrain');
      const named = await readPipelineRequest(file, { name: 'explicit' });
      expect(named.ok && named.value.loaded.name).toBe('explicit');
      const other = await readPipelineRequest(sdk.file, {});
      expect(other.ok && other.value.loaded.name).toBe('churn-retrain'); // the same text elsewhere: the same pipeline
    } finally {
      if (before === undefined) delete process.env.CAIRN_HOME;
      else process.env.CAIRN_HOME = before;
    }
  });
});
