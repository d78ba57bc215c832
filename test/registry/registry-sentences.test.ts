import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRegistryHome, packageRequest, type RegistryHome } from '../support/registry-home.js';

// The registry's sentences name what is there and what went wrong (issue 16: mutants Stryker left alive in
// registry/registry.ts).

let h: RegistryHome;
beforeEach(() => { h = openRegistryHome(); });
afterEach(() => h.close());

const withStats = (uri: string) => ({
  ...packageRequest('s'), ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: uri } } },
});

describe('registry sentences', () => {
  it('names the groups there are, or says the registry is empty', async () => {
    expect(h.reg.list('nope')).toEqual({ ok: false, error: 'no model package group "nope" (the registry is empty).' });
    expect(h.reg.get('nope', 1)).toEqual({ ok: false, error: 'no model package group "nope" (the registry is empty).' });
    await h.versions(['a', 'b'], {});
    await h.reg.createModelPackage({ ModelPackageGroupName: 'h' }, { artifacts: h.artifacts });
    expect(h.reg.get('nope', 1)).toEqual({ ok: false, error: 'no model package group "nope" (groups: g, h).' });
    expect(h.reg.get('g', 7)).toEqual({ ok: false, error: 'model package group "g" has no version 7 (versions: 1, 2).' });
  });

  it('an approved version may be rejected, and approving it again names what is allowed', async () => {
    await h.versions(['a'], {});
    expect((await h.reg.approve('g', 1, { artifacts: h.artifacts, who: 'ann' })).ok).toBe(true);
    expect(await h.reg.approve('g', 1, { artifacts: h.artifacts, who: 'ann' })).toEqual({
      ok: false, error: 'g version 1 is Approved; it cannot become Approved (allowed from Approved: Rejected).',
    });
    expect(h.reg.reject('g', 1, { who: 'bob' })).toMatchObject({ ok: true, value: { status: 'Rejected' } });
  });

  it('says why a statistics file cannot be used: not local, a directory, not JSON', async () => {
    const local = h.artifacts.hostPath('https://example.com/stats.json');
    expect(local.ok).toBe(false);
    expect(await h.reg.createModelPackage(withStats('https://example.com/stats.json'), { artifacts: h.artifacts })).toEqual({
      ok: false, error: `CreateModelPackage: the statistics file https://example.com/stats.json cannot be read: ${local.ok ? '' : local.error}`,
    });
    mkdirSync(join(h.home, 's3/b/dir.json'), { recursive: true });
    expect(await h.reg.createModelPackage(withStats('s3://b/dir.json'), { artifacts: h.artifacts })).toEqual({
      ok: false,
      error: `CreateModelPackage: the statistics file s3://b/dir.json (${join(h.home, 's3/b/dir.json')}) cannot be read (EISDIR: illegal operation on a directory, read).`,
    });
    h.put('b/bad.json', 'not json');
    let parse = '';
    try { JSON.parse('not json'); } catch (e) { parse = (e as Error).message; }
    expect(await h.reg.createModelPackage(withStats('s3://b/bad.json'), { artifacts: h.artifacts })).toEqual({
      ok: false,
      error: `CreateModelPackage: the statistics file s3://b/bad.json is not JSON (${parse}); ModelMetrics.ModelQuality.Statistics must name a model-quality JSON file.`,
    });
    expect(h.reg.groups()).toEqual([]);
  });

  it('says the model data cannot be read, with the store\'s reason', async () => {
    const spec = { Containers: [{ Image: 'img', ModelDataUrl: 's3://b/none.tar.gz' }] };
    const r = await h.reg.createModelPackage({ ...packageRequest('m'), InferenceSpecification: spec }, { artifacts: h.artifacts });
    const at = join(h.home, 's3/b/none.tar.gz');
    expect(r).toEqual({
      ok: false,
      error: `CreateModelPackage: the model data s3://b/none.tar.gz cannot be read: Input s3://b/none.tar.gz matches nothing: no file at or under ${at}, nor any starting with "${at}".`,
    });
  });
});
