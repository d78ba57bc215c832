import { describe, expect, it } from 'vitest';
import type { Store } from '../../cache/store.js';
import type { RunRecord, StepRecord } from '../../contracts/records.js';
import pino from 'pino';
import type { RecordedOutput } from '../../contracts/artifacts.js';
import type { Definition } from '../../contracts/definition.js';
import { selectionDecision, selectionScope } from '../../engine/run/cache-decision.js';
import { newRunContext } from '../../engine/run/run-context.js';
import { checkSelection, loadReferenceStep, recordSelection, resolveSelection, scheduledSteps } from '../../engine/run/selective.js';
import { fakeServices } from '../support/fake-services.js';
import type { JsonObject } from '../../kernel/json.js';

/** A → B → C, A → D; X stands alone. */
const step = (name: string, dependsOn: string[] = [], type = 'Processing') => ({ name, type, dependsOn });
const def = { steps: [step('A'), step('B', ['A']), step('C', ['B']), step('D', ['A']), step('X', [], 'Training')] };

const run = (runId: string, over: Partial<RunRecord> = {}): RunRecord => ({
  runId, pipeline: 'p', definitionFile: 'p.json', definition: '{}', parameters: {}, execution: {}, options: { noCache: false, rerun: [] },
  status: 'succeeded', startedAt: 0, ...over,
} as RunRecord);
const rec = (runId: string, name: string, over: Partial<StepRecord> = {}): StepRecord =>
  ({ runId, name, type: 'Processing', status: 'succeeded', reused: false, attempts: 1, properties: { Name: name }, ...over });

function reader(runs: RunRecord[], steps: Record<string, StepRecord[]>) {
  return {
    getRun: (id: string) => runs.find((r) => r.runId === id),
    getSteps: (id: string) => steps[id] ?? [],
    listRuns: () => runs,
  } as unknown as Pick<Store, 'getRun' | 'getSteps' | 'listRuns'>;
}

describe('checkSelection', () => {
  it('orders the selection topologically, drops repeats, and names the upstream steps to reuse', () => {
    expect(checkSelection(def, ['C', 'B', 'C'])).toEqual({ ok: true, value: { ordered: ['B', 'C'], reused: ['A'] } });
    expect(checkSelection(def, ['A'])).toEqual({ ok: true, value: { ordered: ['A'], reused: [] } });
  });

  it('refuses unknown names, an empty selection, a gap on a path, and steps that are not connected', () => {
    expect(checkSelection(def, ['B', 'Nope', 'Q'])).toEqual({ ok: false, error: ['--steps names step(s) that the definition does not have: "Nope", "Q".'] });
    expect(checkSelection(def, [])).toEqual({ ok: false, error: ['--steps needs at least one step name.'] });
    expect(checkSelection(def, ['A', 'C'])).toEqual({ ok: false, error: ['--steps: "B" lies on a path between selected steps but is not selected; as in SageMaker, every step on a path between two selected steps must be selected (add "B").'] });
    const wide = { steps: [step('S'), step('M1', ['S']), step('M2', ['S']), step('E', ['M1', 'M2'])] };
    expect(checkSelection(wide, ['S', 'E'])).toEqual({ ok: false, error: ['--steps: "M1", "M2" lie on a path between selected steps but are not selected; as in SageMaker, every step on a path between two selected steps must be selected (add "M1", "M2").'] });
    expect(checkSelection(def, ['B', 'X'])).toEqual({ ok: false, error: ['--steps: the selected steps are not connected ("B" and "X" share no dependency); as in SageMaker, select steps that are connected in the pipeline\'s graph.'] });
  });

  it('connected through a downstream or an upstream neighbour counts as connected', () => {
    expect(checkSelection(def, ['B', 'D', 'A'])).toEqual({ ok: true, value: { ordered: ['A', 'B', 'D'], reused: [] } });
    expect(checkSelection(def, ['D', 'A'])).toEqual({ ok: true, value: { ordered: ['A', 'D'], reused: [] } });
  });
});

describe('resolveSelection', () => {
  const good = { r1: [rec('r1', 'A'), rec('r1', 'B')] };

  it('with --from-run: the run must exist, be of the pipeline, have ended, and hold every upstream step succeeded with its type', () => {
    const s = reader([run('r1'), run('other', { pipeline: 'q' }), run('live', { status: 'running' })], {
      ...good, miss: [], other: [rec('other', 'A')], live: [rec('live', 'A')],
    });
    expect(resolveSelection(s, def, 'p', ['B'], 'r1')).toEqual({ ok: true, value: { selective: { steps: ['B'], fromRun: 'r1' }, reused: ['A'], picked: false } });
    expect(resolveSelection(s, def, 'p', ['B'], 'gone')).toEqual({ ok: false, error: ['--from-run: there is no run "gone" in this cairn home (see `cairn runs`).'] });
    expect(resolveSelection(s, def, 'p', ['B'], 'other')).toEqual({ ok: false, error: ['--from-run other: it is a run of pipeline "q", not of "p"; a reference run must be of the same pipeline.'] });
    expect(resolveSelection(s, def, 'p', ['B'], 'live')).toEqual({ ok: false, error: ['--from-run live: it is running; as in SageMaker, the reference run must have failed or succeeded (resume it first, or choose another run).'] });
  });

  it('each upstream step of the reference run: missing, of another type, or not succeeded, each said', () => {
    const s = reader([run('f', { status: 'failed' })], {
      f: [rec('f', 'A', { type: 'Training' }), rec('f', 'B', { status: 'failed' }), rec('f', 'D', { properties: undefined })],
    });
    expect(resolveSelection(s, def, 'p', ['C'], 'f')).toEqual({ ok: false, error: [
      '--from-run f: its step "A" is a Training step, but the definition\'s is a Processing step.',
      '--from-run f: its step "B", which is upstream of the selected steps, did not succeed (failed).',
    ] });
    expect(resolveSelection(s, def, 'p', ['D'], 'f').ok).toBe(false);
    const noD = reader([run('f')], { f: [rec('f', 'A'), rec('f', 'D', { properties: undefined })] });
    expect(resolveSelection(noD, { steps: [step('A'), step('D', ['A']), step('E', ['D'])] }, 'p', ['E'], 'f')).toEqual({ ok: false, error: [
      '--from-run f: its step "D", which is upstream of the selected steps, did not succeed (succeeded).',
    ] });
    expect(resolveSelection(reader([run('e')], { e: [] }), def, 'p', ['B'], 'e')).toEqual({ ok: false, error: [
      '--from-run e: it has no step "A", which is upstream of the selected steps.',
    ] });
  });

  it('without --from-run: nothing upstream needs no run; otherwise the newest usable run of the pipeline is picked', () => {
    const s = reader([run('q1', { pipeline: 'q' }), run('bad'), run('r1'), run('r0')], { ...good, q1: good.r1, bad: [rec('bad', 'A', { status: 'failed' })], r0: good.r1 });
    expect(resolveSelection(s, def, 'p', ['A'], undefined)).toEqual({ ok: true, value: { selective: { steps: ['A'] }, reused: [], picked: false } });
    expect(resolveSelection(s, def, 'p', ['B'], undefined)).toEqual({ ok: true, value: { selective: { steps: ['B'], fromRun: 'r1' }, reused: ['A'], picked: true } });
  });

  it('without --from-run and no usable run: one sentence naming the upstream step(s)', () => {
    const none = reader([run('bad')], { bad: [] });
    expect(resolveSelection(none, def, 'p', ['B'], undefined)).toEqual({ ok: false, error: [
      '--steps B: no failed or succeeded run of pipeline "p" has the upstream step "A" succeeded, so there is nothing to reuse; run the pipeline first, or name a reference run with --from-run.',
    ] });
    expect(resolveSelection(none, def, 'p', ['C'], undefined)).toEqual({ ok: false, error: [
      '--steps C: no failed or succeeded run of pipeline "p" has all the upstream steps "A", "B" succeeded, so there is nothing to reuse; run the pipeline first, or name a reference run with --from-run.',
    ] });
    expect(resolveSelection(none, def, 'p', ['Nope'], undefined).ok).toBe(false);
  });
});

describe('scheduledSteps, selectionDecision, loadReferenceStep, recordSelection', () => {
  const selective = { steps: ['B'], fromRun: 'r1' };

  it('schedules the selection and what is upstream of it; without a selection, every step (undefined)', () => {
    expect(scheduledSteps(def, undefined)).toBeUndefined();
    expect([...(scheduledSteps(def, { steps: ['C'] }) ?? [])].sort()).toEqual(['A', 'B', 'C']);
  });

  it('decides: upstream steps are reused from the reference run, others not run, selected ones decided as usual', () => {
    const scope = selectionScope(def, selective);
    expect(selectionScope(def, undefined)).toBeUndefined();
    expect(selectionDecision(undefined, 'A')).toBeUndefined();
    expect(selectionDecision(scope, 'B')).toBeUndefined();
    expect(selectionDecision(scope, 'C')).toEqual({ action: 'not-run', reason: { kind: 'selected-out' } });
    expect(selectionDecision(scope, 'X')).toEqual({ action: 'not-run', reason: { kind: 'selected-out' } });
    expect(selectionDecision(scope, 'A')).toEqual({ action: 'reuse', reason: { kind: 'reference-run', sourceRun: 'r1' } });
    expect(selectionDecision(selectionScope(def, { steps: ['B'] }), 'A')).toEqual({ action: 'reuse', reason: { kind: 'reference-run', sourceRun: '?' } });
  });

  it('plan: loads a reused step\'s properties and outputs from the reference run', () => {
    const outputs = [{ name: 'o', uri: 's3://b/o', hash: 'sha256:1', isFile: false }];
    const store = {
      getStep: (runId: string, name: string) => (runId === 'r1' && name === 'A' ? rec('r1', 'A', { properties: { P: 1 } }) : undefined),
      getOutputs: (runId: string, name: string) => (runId === 'r1' && name === 'A' ? outputs : []),
    } as unknown as Pick<Store, 'getStep' | 'getOutputs'>;
    const into = { properties: new Map<string, JsonObject>(), outputs: new Map<string, RecordedOutput[]>() };
    loadReferenceStep(store, 'r1', 'A', into);
    expect([...into.properties]).toEqual([['A', { P: 1 }]]);
    expect([...into.outputs]).toEqual([['A', outputs]]);
  });

  it('records each upstream step as succeeded and reused from the reference run, and every decision, in one store', () => {
    const { services, close } = fakeServices();
    try {
      const { store } = services;
      const steps = [...def.steps].map((s) => ({ name: s.name, type: s.type }));
      const r1 = run('r1', { options: { noCache: false, rerun: [] } });
      store.createRun(r1, steps);
      store.commitStepSuccess('r1', 'A', { fingerprintKey: 'sha256:k', fingerprint: '{}', properties: { P: 1 }, outputs: [], cacheable: true, reused: false, endedAt: 1 });
      store.commitStepSuccess('r1', 'B', { fingerprintKey: 'sha256:b', fingerprint: '{}', properties: { Name: 'B' }, outputs: [], cacheable: true, reused: false, endedAt: 1 });
      const fresh = run('new', { status: 'running', options: { noCache: false, rerun: [], selective: { steps: ['C'], fromRun: 'r1' } } });
      store.createRun(fresh, steps);
      const rc = newRunContext({
        services, run: fresh, definition: def as unknown as Definition, forced: new Map(),
        signal: new AbortController().signal, emit: () => undefined, log: pino({ level: 'silent' }),
      });
      recordSelection(rc, { steps: ['C'], fromRun: 'r1' });
      const got = Object.fromEntries(store.getSteps('new').map((s) => [s.name, [s.status, s.reusedFrom ?? null, s.properties ?? null, s.decision?.reason.kind ?? null]]));
      expect(got).toEqual({
        A: ['succeeded', 'r1', { P: 1 }, 'reference-run'],
        B: ['succeeded', 'r1', { Name: 'B' }, 'reference-run'],
        C: ['not-run', null, null, null],
        D: ['not-run', null, null, 'selected-out'],
        X: ['not-run', null, null, 'selected-out'],
      });
      const broken = run('broken', { status: 'running', options: { noCache: false, rerun: [], selective: { steps: ['C'], fromRun: 'new2' } } });
      store.createRun(run('new2'), steps);
      store.createRun(broken, steps);
      const rc2 = newRunContext({ ...rc, run: broken });
      expect(() => recordSelection(rc2, { steps: ['C'], fromRun: 'new2' })).toThrow('bug: reference step "A" of run new2 has no properties');
    } finally {
      close();
    }
  });
});
