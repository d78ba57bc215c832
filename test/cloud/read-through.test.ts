import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { Store } from '../../cache/store.js';
import type { CloudClients } from '../../cloud/clients.js';
import { S3ReadThroughFetcher } from '../../cloud/read-through.js';
import type { RecordedOutput } from '../../contracts/artifacts.js';
import { MotoServer } from './moto-harness.js';

const moto = new MotoServer();
beforeAll(() => moto.start());
afterAll(() => moto.stop());

const BUCKET = 'user-data';
let home: string;
let store: Store;
let clients: CloudClients;
let calls: string[];
beforeEach(async () => {
  await moto.reset();
  home = await mkdtemp(join(tmpdir(), 'cairn-read-through-'));
  store = Store.open(join(home, 'cairn.db'));
  clients = moto.clients();
  await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const [k, v] of Object.entries({ 'raw/a.csv': '1\n', 'raw/b.csv': '2\n', 'code/prep.py': 'print(1)\n', 'rawer/x': 'no\n' })) {
    await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: v }));
  }
  calls = [];
  const send = clients.s3.send.bind(clients.s3) as (c: unknown) => Promise<unknown>;
  (clients.s3 as unknown as { send: (c: unknown) => Promise<unknown> }).send = (c) => {
    if (c instanceof GetObjectCommand) calls.push(`get ${String(c.input.Key)}`);
    if (c instanceof HeadObjectCommand || c instanceof ListObjectsV2Command) calls.push('look');
    return send(c);
  };
  return () => { store.close(); clients.destroy(); };
});

function artifacts(dryRun = false): LocalArtifactStore {
  const hashCache = { get: (p: string) => store.getFileHash(p), put: store.putFileHash.bind(store) };
  const sink = { home, db: store.db, artifacts: new LocalArtifactStore(home, hashCache), hashCache };
  return new LocalArtifactStore(home, hashCache, new S3ReadThroughFetcher(clients, sink, dryRun));
}

describe('--s3-read-through: an input the store lacks is fetched from S3 on first read', () => {
  it('fetches a missing prefix and a missing object once, then reads them from the store', async () => {
    const a = artifacts();
    const prefix = await a.hashInput(`s3://${BUCKET}/raw/`, []);
    expect(prefix.ok && prefix.value.files).toBe(2);
    expect(calls.filter((c) => c.startsWith('get')).sort()).toEqual(['get raw/a.csv', 'get raw/b.csv']);
    const code = await a.stageInput(`s3://${BUCKET}/code/prep.py`, join(home, 'stage'), []);
    expect(code.ok).toBe(true);
    expect(await readFile(join(home, 'stage', 'prep.py'), 'utf8')).toBe('print(1)\n');
    expect(calls.filter((c) => c.startsWith('get'))).toHaveLength(3);
    calls = [];
    const again = await artifacts().hashInput(`s3://${BUCKET}/raw/`, []);
    expect(again.ok && again.value.hash).toBe(prefix.ok && prefix.value.hash);
    expect(await artifacts().stageInput(`s3://${BUCKET}/code/prep.py`, join(home, 'stage2'), [])).toMatchObject({ ok: true });
    expect(calls).toEqual([]); // in the store now: S3 is not even asked
    expect(existsSync(join(home, 's3', BUCKET, 'rawer'))).toBe(false);
  });

  it('never asks S3 for an input an upstream output covers, nor for one S3 lacks too (input-missing as before)', async () => {
    const a = artifacts();
    const upstream: RecordedOutput[] = [{ name: 'out', uri: `s3://${BUCKET}/raw/`, hash: 'x', isFile: false, files: [] }];
    const covered = await a.hashInput(`s3://${BUCKET}/raw/`, upstream);
    expect(covered.ok).toBe(true);
    expect(calls).toEqual([]);
    const absent = await a.hashInput(`s3://${BUCKET}/nothing/here.csv`, []);
    expect(!absent.ok && absent.error.reason).toBe('input-missing');
    expect(calls.some((c) => c.startsWith('get'))).toBe(false);
  });

  it('in a plan (dry run) names what a run would fetch and fetches nothing', async () => {
    const r = await artifacts(true).hashInput(`s3://${BUCKET}/raw/`, []);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.reason).toBe('input-missing');
    expect(r.error.reason === 'input-missing' && r.error.message).toBe(
      `Input s3://${BUCKET}/raw/ is not in the store; a run with --s3-read-through fetches 2 object(s) (4 bytes) from S3 first: ` +
      `s3://${BUCKET}/raw/a.csv, s3://${BUCKET}/raw/b.csv.`);
    expect(calls.some((c) => c.startsWith('get'))).toBe(false);
    expect(existsSync(join(home, 's3'))).toBe(false);
    expect(await readdir(home)).not.toContain('s3');
  });
});
