import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { Store } from '../../cache/store.js';
import { Registry, sha256Text } from '../../registry/registry.js';
import { RegistryTables } from '../../registry/store.js';
import { comparePackages } from '../../registry/views.js';

const stats = (acc: number, loss: number): string => JSON.stringify({
  binary_classification_metrics: { accuracy: { value: acc, standard_deviation: 'NaN' }, log_loss: { value: loss, standard_deviation: 'NaN' } },
});
const request = (i: number, extra: Record<string, unknown> = {}) => ({
  ModelPackageGroupName: 'risky',
  ModelPackageDescription: `model ${i}`,
  InferenceSpecification: { Containers: [{ Image: 'img', ModelDataUrl: 's3://b/model.tar.gz' }] },
  ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://b/stats/${i}.json` } } },
  CustomerMetadataProperties: { model: String(i) },
  ...extra,
});

let home: string;
let store: Store;
let reg: Registry;
let artifacts: LocalArtifactStore;
const put = (key: string, body: string): void => {
  const p = join(home, 's3', key);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, body);
};

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cairn-registry-'));
  store = Store.open(join(home, 'cairn.db'));
  reg = new Registry(store.db);
  artifacts = new LocalArtifactStore(home, new MemoryHashCache());
  put('b/model.tar.gz', 'weights');
  put('b/stats/1.json', stats(0.9, 0.3));
  put('b/stats/2.json', stats(0.8, 0.2));
});
afterEach(() => { store.close(); rmSync(home, { recursive: true, force: true }); });

describe('the model registry', () => {
  it('creates the group on first use and counts versions up per group', async () => {
    const a = await reg.createModelPackage(request(1), { artifacts, who: 'ann' });
    const b = await reg.createModelPackage(request(2), { artifacts, who: 'ann' });
    const c = await reg.createModelPackage({ ModelPackageGroupName: 'other' }, { artifacts, who: 'ann' });
    expect([a, b, c]).toEqual([
      { ok: true, value: { group: 'risky', version: 1, arn: 'arn:aws:sagemaker:local:000000000000:model-package/risky/1' } },
      { ok: true, value: { group: 'risky', version: 2, arn: 'arn:aws:sagemaker:local:000000000000:model-package/risky/2' } },
      { ok: true, value: { group: 'other', version: 1, arn: 'arn:aws:sagemaker:local:000000000000:model-package/other/1' } },
    ]);
    const p = reg.get('risky', 1);
    expect(p.ok && p.value.statistics).toEqual({ uri: 's3://b/stats/1.json', content: stats(0.9, 0.3), sha256: sha256Text(Buffer.from(stats(0.9, 0.3))) });
    expect(p.ok && p.value.status).toBe('PendingManualApproval');
    expect(p.ok && p.value.approvals).toEqual([{ to: 'PendingManualApproval', who: 'ann', at: expect.any(Number), note: 'registered' }]);
    expect(reg.groups().map((g) => [g.name, g.versions, g.latestVersion])).toEqual([['other', 1, 1], ['risky', 2, 2]]);
  });

  it('registers several requests all or nothing', async () => {
    const r = await reg.createModelPackages([request(1), request(3)], { artifacts });
    expect(r).toEqual({ ok: false, error: `CreateModelPackage request 2: the statistics file s3://b/stats/3.json (${join(home, 's3/b/stats/3.json')}) does not exist.` });
    expect(reg.groups()).toEqual([]);
  });

  it('a RegisterModel step executed again in its run gets its first registration back', async () => {
    const ctx = { artifacts, runId: 'r1', step: 'Register', attempt: 1 };
    const a = await reg.createModelPackage(request(1), ctx);
    const b = await reg.createModelPackage(request(1), { ...ctx, attempt: 2 });
    expect(b).toEqual(a);
    expect(reg.list('risky').ok && reg.list('risky')).toMatchObject({ value: [{ version: 1 }] });
  });

  it('keeps pending registrations hidden until committed, and discards them on failure', async () => {
    const ctx = { artifacts, runId: 'r1', step: 'L', attempt: 1, pending: true };
    await reg.createModelPackage(request(1), ctx);
    await reg.createModelPackage(request(2), ctx);
    expect(reg.groups()).toEqual([]);
    const tables = new RegistryTables(store.db);
    expect(tables.discardPending('r1', 'L')).toBe(2);
    await reg.createModelPackages([request(1), request(2)], { ...ctx, attempt: 2 });
    expect(tables.commitPending('r1', 'L', 2)).toBe(2);
    expect(reg.list('risky').ok && reg.list('risky')).toMatchObject({ value: [{ version: 1 }, { version: 2 }] });
  });

  it('validates status transitions and records who, when and the note', async () => {
    await reg.createModelPackage(request(1), { artifacts });
    expect(reg.reject('risky', 1, { who: 'bob', note: 'too slow' }).ok).toBe(true);
    const again = reg.reject('risky', 1, { who: 'bob' });
    expect(again).toEqual({ ok: false, error: 'risky version 1 is Rejected; it cannot become Rejected (allowed from Rejected: Approved).' });
    const ok = await reg.approve('risky', 1, { artifacts, who: 'cy', note: 'fine after all' });
    expect(ok.ok && ok.value.approvals.map((a) => [a.from, a.to, a.who, a.note])).toEqual([
      [undefined, 'PendingManualApproval', expect.any(String), 'registered'], ['PendingManualApproval', 'Rejected', 'bob', 'too slow'], ['Rejected', 'Approved', 'cy', 'fine after all'],
    ]);
    expect(reg.get('risky', 9)).toEqual({ ok: false, error: 'model package group "risky" has no version 9 (versions: 1).' });
    expect(reg.list('nope')).toEqual({ ok: false, error: 'no model package group "nope" (groups: risky).' });
  });

  it('refuses to approve a version whose statistics or model data are altered or missing, naming the file and both hashes', async () => {
    await reg.createModelPackage(request(1), { artifacts });
    await reg.createModelPackage(request(2), { artifacts });
    const p1 = reg.get('risky', 1);
    if (!p1.ok) throw new Error(p1.error);
    const statsHash = p1.value.statistics!.sha256;
    const modelHash = p1.value.modelData!.hash;
    put('b/stats/1.json', stats(0.99, 0.3));
    const altered = sha256Text(Buffer.from(stats(0.99, 0.3)));
    expect(await reg.approve('risky', 1, { artifacts })).toEqual({ ok: false, error: `cannot approve risky version 1: its statistics file s3://b/stats/1.json was altered (recorded ${statsHash}, now ${altered}).` });
    rmSync(join(home, 's3/b/stats/2.json'));
    const h2 = reg.get('risky', 2);
    expect(await reg.approve('risky', 2, { artifacts })).toEqual({ ok: false, error: `cannot approve risky version 2: its statistics file s3://b/stats/2.json is missing (recorded ${h2.ok ? h2.value.statistics!.sha256 : ''}, now none).` });
    put('b/stats/1.json', stats(0.9, 0.3));
    put('b/model.tar.gz', 'other weights');
    const now = await artifacts.hashInput('s3://b/model.tar.gz', []);
    expect(await reg.approve('risky', 1, { artifacts })).toEqual({ ok: false, error: `cannot approve risky version 1: its model data s3://b/model.tar.gz was altered (recorded ${modelHash}, now ${now.ok ? now.value.hash : ''}).` });
    rmSync(join(home, 's3/b/model.tar.gz'));
    expect(await reg.approve('risky', 1, { artifacts })).toEqual({ ok: false, error: `cannot approve risky version 1: its model data s3://b/model.tar.gz is missing (recorded ${modelHash}, now none).` });
    expect(reg.get('risky', 1).ok && reg.get('risky', 1)).toMatchObject({ value: { status: 'PendingManualApproval' } });
  });

  it('compares metrics side by side and marks the best (lower is better for losses)', async () => {
    await reg.createModelPackages([request(1), request(2)], { artifacts });
    const l = reg.list('risky');
    if (!l.ok) throw new Error(l.error);
    expect(comparePackages('risky', l.value)).toEqual({
      group: 'risky',
      metrics: ['accuracy', 'log_loss'],
      versions: [
        { version: 1, status: 'PendingManualApproval', description: 'model 1', metrics: { accuracy: 0.9, log_loss: 0.3 } },
        { version: 2, status: 'PendingManualApproval', description: 'model 2', metrics: { accuracy: 0.8, log_loss: 0.2 } },
      ],
      best: { accuracy: { versions: [1], lowerIsBetter: false }, log_loss: { versions: [2], lowerIsBetter: true } },
    });
  });

  it('refuses malformed requests with a sentence', async () => {
    expect(await reg.createModelPackage({ ModelPackageGroupName: 'bad name' }, { artifacts })).toEqual({ ok: false, error: 'CreateModelPackage: ModelPackageGroupName must be 1 to 63 letters, digits and hyphens (starting with a letter or digit), not "bad name".' });
    expect(await reg.createModelPackage({ ModelPackageGroupName: 'g', ModelApprovalStatus: 'Maybe' }, { artifacts })).toEqual({ ok: false, error: 'CreateModelPackage: ModelApprovalStatus must be one of PendingManualApproval, Approved, Rejected, not "Maybe".' });
  });
});
