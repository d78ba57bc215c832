import { describe, expect, it } from 'vitest';
import { buildFingerprint } from '../../cache/fingerprint.js';
import type { StepDef } from '../../contracts/definition.js';
import { decideCache, type CacheQuery } from '../../engine/run/cache-decision.js';
import { sagemakerKey } from '../../engine/run/cache-rules.js';

/** cairn's and SageMaker's caching rules, through the one decision, against a store that answers what each case needs. */
const fp = buildFingerprint('Processing', { image: { uri: 'img', id: 'sha256:1' }, arguments: { A: 1 }, inputs: {}, environment: {} });
const step = (over: Partial<StepDef> = {}): StepDef =>
  ({ name: 'S', type: 'Processing', arguments: {}, dependsOn: [], explicitDependsOn: [], path: 'Steps[0]', raw: {}, ...over });
const enabled = { cacheConfig: { enabled: true } };

function query(over: Partial<CacheQuery>, keys: string[] = []): CacheQuery {
  return {
    step: step(), cacheable: true, upstreamRunning: [], forced: new Map(), fingerprint: fp, pipeline: 'p',
    run: { runId: 'now', startedAt: 1_000 }, now: 10_000,
    store: {
      findCacheEntry: (key: string) => (keys.includes(key) ? { runId: 'r1', step: 'S', createdAt: 5 } : undefined),
      getStep: (runId: string) => ({ runId, name: 'S', type: 'Processing', status: 'succeeded', reused: false, attempts: 1, properties: {} }),
      previousFingerprint: () => undefined,
    },
    verify: () => Promise.resolve([]),
    ...over,
  };
}

const processing = (env: Record<string, string>, instanceType = 'ml.m5.xlarge') => ({
  AppSpecification: { ImageUri: 'img' }, Environment: env, ProcessingInputs: [{ InputName: 'code', S3Input: { S3Uri: 's3://b/code.py' } }],
  ProcessingResources: { ClusterConfig: { InstanceType: instanceType, InstanceCount: 1 } },
});

describe('cache rules (--cache cairn, the default)', () => {
  it('a pure job step is content-addressed: a fingerprint hit is reused', async () => {
    const d = (await decideCache(query({}, [fp.key]))).decision;
    expect(d).toEqual({ action: 'reuse', reason: { kind: 'same-fingerprint', sourceRun: 'r1', createdAt: 5 }, fingerprintKey: fp.key, rule: { kind: 'content-addressed' } });
  });

  it.each(['Lambda', 'Callback'])('a %s step runs in every run despite a hit, unless CacheConfig.Enabled=true opts in', async (type) => {
    expect((await decideCache(query({ step: step({ type }) }, [fp.key]))).decision).toEqual({
      action: 'run', reason: { kind: 'side-effecting', stepType: type }, fingerprintKey: fp.key, rule: { kind: 'never-across-runs', stepType: type },
    });
    const opted = (await decideCache(query({ step: step({ type, ...enabled }) }, [fp.key]))).decision;
    expect([opted.action, opted.rule]).toEqual(['reuse', { kind: 'content-addressed' }]);
    expect((await decideCache(query({ step: step({ type, cacheConfig: { enabled: false } }) }, [fp.key]))).decision.reason)
      .toEqual({ kind: 'cache-disabled' });
  });

  it('RegisterModel (an executor that is never cacheable) cannot opt in: it runs in every run', async () => {
    for (const s of [step({ type: 'RegisterModel' }), step({ type: 'RegisterModel', ...enabled })]) {
      const d = (await decideCache(query({ step: s, cacheable: false }, [fp.key]))).decision;
      expect([d.action, d.reason, d.rule]).toEqual(['run', { kind: 'never-cached', stepType: 'RegisterModel' }, { kind: 'never-across-runs', stepType: 'RegisterModel' }]);
    }
  });

  it('a SageMaker key match alone is no reuse under cairn rules', async () => {
    const key = sagemakerKey('p', step(), processing({}))!;
    const d = (await decideCache(query({ step: step(enabled), sagemakerKey: key }, [key]))).decision;
    expect([d.action, d.reason.kind]).toEqual(['run', 'no-earlier-execution']);
  });
});

describe('cache rules (--cache sagemaker)', () => {
  const key = sagemakerKey('p', step(), processing({ A: '1' }))!;
  const sm = (over: Partial<CacheQuery>, keys: string[] = []) => decideCache(query({ mode: 'sagemaker', sagemakerKey: key, ...over }, keys));
  const attributes = ['AppSpecification', 'Environment', 'ProcessingInputs'];

  it('only CacheConfig.Enabled=true steps are looked up; a fingerprint hit without it runs', async () => {
    expect((await sm({}, [fp.key, key])).decision).toEqual({ action: 'run', reason: { kind: 'sagemaker-not-enabled' }, fingerprintKey: fp.key, rule: { kind: 'disabled', mode: 'sagemaker' } });
    expect((await sm({ step: step({ cacheConfig: { enabled: false } }) }, [key])).decision.reason).toEqual({ kind: 'sagemaker-not-enabled' });
  });

  it('an enabled step is reused by its SageMaker key, not by the fingerprint', async () => {
    expect((await sm({ step: step(enabled) }, [key])).decision).toEqual({
      action: 'reuse', reason: { kind: 'same-sagemaker-key', sourceRun: 'r1', createdAt: 5 }, fingerprintKey: fp.key, rule: { kind: 'sagemaker-key', attributes },
    });
    expect((await sm({ step: step(enabled) }, [fp.key])).decision)
      .toEqual({ action: 'run', reason: { kind: 'sagemaker-key-unmatched', attributes }, fingerprintKey: fp.key, rule: { kind: 'sagemaker-key', attributes } });
  });

  it('ExpireAfter bounds the age of the execution reused', async () => {
    const s = step({ cacheConfig: { enabled: true, expireAfter: 'PT1S', expireAfterMs: 1_000 } });
    const store = {
      findCacheEntry: (k: string, notBefore: number) => (k === key && notBefore <= 5 ? { runId: 'old', step: 'S', createdAt: 5 } : undefined),
      getStep: () => undefined, previousFingerprint: () => undefined,
    };
    expect((await sm({ step: s, store })).decision.reason).toEqual({ kind: 'expired', sourceRun: 'old', createdAt: 5, expireAfterMs: 1_000 });
  });

  it.each(['Model', 'Lambda', 'Callback', 'RegisterModel'])('SageMaker never caches %s steps, even with Enabled=true', async (type) => {
    expect((await sm({ step: step({ type, ...enabled }) }, [key, fp.key])).decision.reason).toEqual({ kind: 'sagemaker-never-cached', stepType: type });
  });
});

describe('sagemakerKey', () => {
  it('holds the key attributes by value: an instance type change keeps it, an Environment change does not', () => {
    const base = sagemakerKey('p', step(), processing({ A: '1' }));
    expect(base).toMatch(/^sagemaker:sha256:[0-9a-f]{64}$/);
    expect(sagemakerKey('p', step(), processing({ A: '1' }, 'ml.c5.2xlarge'))).toBe(base);
    expect(sagemakerKey('p', step(), processing({ A: '2' }))).not.toBe(base);
  });

  it('is scoped to the pipeline and the step; none for a type SageMaker does not cache', () => {
    const base = sagemakerKey('p', step(), processing({}));
    expect(sagemakerKey('q', step(), processing({}))).not.toBe(base);
    expect(sagemakerKey('p', step({ name: 'T' }), processing({}))).not.toBe(base);
    expect(sagemakerKey('p', step({ type: 'Lambda' }), processing({}))).toBeUndefined();
    const training = { HyperParameters: { lr: '0.1' }, ResourceConfig: { InstanceType: 'ml.m5.large' } };
    const t = sagemakerKey('p', step({ type: 'Training' }), training);
    expect(sagemakerKey('p', step({ type: 'Training' }), { ...training, ResourceConfig: { InstanceType: 'ml.m5.xlarge' } })).toBe(t);
    expect(sagemakerKey('p', step({ type: 'Training' }), { ...training, HyperParameters: { lr: '0.2' } })).not.toBe(t);
  });
});
