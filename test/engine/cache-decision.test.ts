import { describe, expect, it } from 'vitest';
import { buildFingerprint } from '../../cache/fingerprint.js';
import type { StepDef } from '../../contracts/definition.js';
import { decideCache, type CacheQuery } from '../../engine/run/cache-decision.js';

/** The decision alone, against a store that answers exactly what each case needs (no SQLite, no engine). */
const fp = buildFingerprint('Processing', { image: { uri: 'img', id: 'sha256:1' }, arguments: { A: 1 }, inputs: {}, environment: {} });
const older = buildFingerprint('Processing', { image: { uri: 'img', id: 'sha256:1' }, arguments: { A: 0 }, inputs: {}, environment: {} });
const step = (over: Partial<StepDef> = {}): StepDef =>
  ({ name: 'S', type: 'Processing', arguments: {}, dependsOn: [], explicitDependsOn: [], path: 'Steps[0]', raw: {}, ...over });

/** The rule of a pure job step under cairn's default rules. */
const rule = { kind: 'content-addressed' } as const;

type Entries = { key: string; runId: string; createdAt: number }[];
function query(over: Partial<CacheQuery> = {}, entries: Entries = [], previous?: { runId: string; fingerprint: string }, props = true): CacheQuery {
  return {
    step: step(), cacheable: true, upstreamRunning: [], forced: new Map(), fingerprint: fp, pipeline: 'p',
    run: { runId: 'now', startedAt: 1_000 }, now: 10_000,
    store: {
      findCacheEntry: (key: string, notBefore: number) => {
        const e = entries.filter((x) => x.key === key && x.createdAt >= notBefore).sort((a, b) => b.createdAt - a.createdAt)[0];
        return e === undefined ? undefined : { runId: e.runId, step: 'S', createdAt: e.createdAt };
      },
      getStep: (runId: string) => (props ? { runId, name: 'S', type: 'Processing', status: 'succeeded', reused: false, attempts: 1, properties: {} } : undefined),
      previousFingerprint: () => previous,
    },
    verify: () => Promise.resolve([]),
    ...over,
  };
}

describe('decideCache', () => {
  it('a run with a fingerprint carries its key; a hit reuses its source', async () => {
    expect((await decideCache(query())).decision).toEqual({ action: 'run', reason: { kind: 'no-earlier-execution' }, fingerprintKey: fp.key, rule });
    const hit = await decideCache(query({}, [{ key: fp.key, runId: 'r1', createdAt: 5 }]));
    expect(hit).toEqual({
      decision: { action: 'reuse', reason: { kind: 'same-fingerprint', sourceRun: 'r1', createdAt: 5 }, fingerprintKey: fp.key, rule },
      source: { runId: 'r1', step: 'S' },
    });
    expect((await decideCache(query({}, [{ key: fp.key, runId: 'r1', createdAt: 5 }], undefined, false))).decision)
      .toEqual({ action: 'run', reason: { kind: 'source-lacks-properties', sourceRun: 'r1' }, fingerprintKey: fp.key, rule });
  });

  it('a step type that is never cached runs even on a hit, and says so', async () => {
    expect((await decideCache(query({ cacheable: false }, [{ key: fp.key, runId: 'r1', createdAt: 5 }]))).decision)
      .toEqual({ action: 'run', reason: { kind: 'never-cached', stepType: 'Processing' }, fingerprintKey: fp.key, rule: { kind: 'never-across-runs', stepType: 'Processing' } });
  });

  it('an entry older than ExpireAfter is expired, named with its run and age; a newer one is reused', async () => {
    const s = step({ cacheConfig: { enabled: true, expireAfter: 'PT1S', expireAfterMs: 1_000 } });
    expect((await decideCache(query({ step: s }, [{ key: fp.key, runId: 'old', createdAt: 8_000 }]))).decision)
      .toEqual({ action: 'run', reason: { kind: 'expired', sourceRun: 'old', createdAt: 8_000, expireAfterMs: 1_000 }, fingerprintKey: fp.key, rule });
    expect((await decideCache(query({ step: s }, [{ key: fp.key, runId: 'new', createdAt: 9_500 }]))).decision.action).toBe('reuse');
  });

  it('with no cache entry: the fingerprint compared with the previous execution, path by path', async () => {
    expect((await decideCache(query({}, [], { runId: 'r0', fingerprint: older.canonical }))).decision)
      .toEqual({ action: 'run', reason: { kind: 'fingerprint-changed', sinceRun: 'r0', paths: ['arguments.A'] }, fingerprintKey: fp.key, rule });
    expect((await decideCache(query({}, [], { runId: 'r0', fingerprint: fp.canonical }))).decision)
      .toEqual({ action: 'run', reason: { kind: 'not-cached-before', sinceRun: 'r0' }, fingerprintKey: fp.key, rule });
  });

  it('no fingerprint (a plan whose upstream runs): upstream will run, with no key; without a running upstream it is a bug', async () => {
    expect((await decideCache(query({ fingerprint: undefined, upstreamRunning: ['A', 'B'] }))).decision)
      .toEqual({ action: 'run', reason: { kind: 'upstream-will-run', steps: ['A', 'B'] }, rule });
    await expect(decideCache(query({ fingerprint: undefined }))).rejects.toThrow('bug: step "S" has no fingerprint to decide with');
    expect((await decideCache(query({ fingerprint: { pendingImage: 'img:1' } }))).decision)
      .toEqual({ action: 'run', reason: { kind: 'image-not-pulled', image: 'img:1' }, rule });
  });

  it('any reason to run becomes "upstream will run" when a dependency runs; a hit stays a reuse', async () => {
    expect((await decideCache(query({ upstreamRunning: ['A'], cacheable: false }))).decision)
      .toEqual({ action: 'run', reason: { kind: 'upstream-will-run', steps: ['A'] }, fingerprintKey: fp.key, rule: { kind: 'never-across-runs', stepType: 'Processing' } });
    expect((await decideCache(query({ upstreamRunning: ['A'] }, [{ key: fp.key, runId: 'r1', createdAt: 5 }]))).decision.action).toBe('reuse');
    expect((await decideCache(query({ forced: new Map([['S', { by: 'no-cache' }]]) }, [{ key: fp.key, runId: 'r1', createdAt: 5 }]))).decision)
      .toEqual({ action: 'run', reason: { kind: 'forced', forced: { by: 'no-cache' } }, fingerprintKey: fp.key, rule });
    expect((await decideCache(query({ step: step({ cacheConfig: { enabled: false } }) }, [{ key: fp.key, runId: 'r1', createdAt: 5 }]))).decision)
      .toEqual({ action: 'run', reason: { kind: 'cache-disabled' }, fingerprintKey: fp.key, rule: { kind: 'disabled', mode: 'cairn' } });
  });

  it('a hit whose recorded outputs lost a file runs again with output-lost, even when upstream runs; no hit: nothing verified', async () => {
    const lost = [{ output: 'out', file: 'a/b.csv', hash: 'ab'.repeat(32), state: 'damaged' as const }, { output: 'out', file: 'c', hash: 'cd'.repeat(32), state: 'missing' as const }];
    const asked: { runId: string; step: string }[] = [];
    const verify = (e: { runId: string; step: string }) => { asked.push(e); return Promise.resolve(lost); };
    const reason = { kind: 'output-lost', sourceRun: 'r1', output: 'out', file: 'a/b.csv', state: 'damaged' };
    expect(await decideCache(query({ verify }, [{ key: fp.key, runId: 'r1', createdAt: 5 }])))
      .toEqual({ decision: { action: 'run', reason, fingerprintKey: fp.key, rule }, lost, lostFrom: { runId: 'r1', step: 'S' } });
    expect(asked).toEqual([{ runId: 'r1', step: 'S' }]);
    expect((await decideCache(query({ verify, upstreamRunning: ['A'] }, [{ key: fp.key, runId: 'r1', createdAt: 5 }]))).decision)
      .toEqual({ action: 'run', reason, fingerprintKey: fp.key, rule });
    asked.length = 0;
    expect((await decideCache(query({ verify }))).decision.reason.kind).toBe('no-earlier-execution');
    expect((await decideCache(query({ verify }, [{ key: fp.key, runId: 'r1', createdAt: 5 }], undefined, false))).decision.reason.kind).toBe('source-lacks-properties');
    expect(asked).toEqual([]);
  });

  it('a resume that did not keep a step because its outputs were lost: output-lost before any other reason but a control step', async () => {
    const lostOnResume = { sourceRun: 'now', lost: { output: 'model', file: 'model.tar.gz', hash: 'ef'.repeat(32), state: 'missing' as const } };
    const reason = { kind: 'output-lost', sourceRun: 'now', output: 'model', file: 'model.tar.gz', state: 'missing' };
    expect((await decideCache(query({ lostOnResume }, [{ key: fp.key, runId: 'r1', createdAt: 5 }]))).lostFrom).toEqual({ runId: 'now', step: 'S' });
    expect((await decideCache(query({ lostOnResume }, [{ key: fp.key, runId: 'r1', createdAt: 5 }]))).decision)
      .toEqual({ action: 'run', reason, fingerprintKey: fp.key, rule });
    expect((await decideCache(query({ lostOnResume, forced: new Map([['S', { by: 'no-cache' }]]), upstreamRunning: ['A'] }))).decision.reason).toEqual(reason);
    const control = { stepType: 'Fail' as const };
    expect((await decideCache(query({ lostOnResume, control, fingerprint: undefined }))).decision.reason).toEqual({ kind: 'control-step', control });
  });
});
