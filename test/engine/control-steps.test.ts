import { worded, words } from '../failure-words.js';
import { exitFailure } from '../../contracts/step-failure.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveHome } from '../../contracts/home.js';
import type { JsonValue } from '../../kernel/json.js';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import type { Definition } from '../../contracts/definition.js';
import { planRun } from '../../engine/run/plan.js';
import { plannedWhy } from '../../cli/plan-words.js';
import { err, ok } from '../../kernel/result.js';
import type { Services } from '../../engine/run/run-context.js';
import type { RunEvent } from '../../contracts/run-events.js';
import { resumeRun, startRun } from '../../engine/run/run-pipeline.js';
import { anyExecutor, type StepExecutor } from '../../contracts/executor.js';
import { buildServices } from '../../cli/services.js';
import { SUPPORTED_STEP_TYPES } from '../../steps/executor-registry.js';
import { makeTemp } from '../cache/temp-home.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { definitionText, get } from './definition-helpers.js';

/** Processing steps here run no container: they record their resolved arguments and succeed (or fail on demand). */
const ran: { step: string; args: JsonValue }[] = [];
const failing = new Set<string>();
const fakeProcessing: StepExecutor<JsonValue> = {
  type: 'Processing',
  prepare: (args) => Promise.resolve(ok({ fingerprint: { image: { uri: 'fake', id: 'fake' }, arguments: args, inputs: {}, environment: {} }, job: args })),
  execute: (prepared, ctx) => {
    if (failing.has(ctx.stepName)) return Promise.resolve(err(exitFailure({ exitCode: 1, logTail: ['boom'] })));
    ran.push({ step: ctx.stepName, args: prepared.job });
    return Promise.resolve(ok({ properties: { ProcessingJobName: ctx.stepName }, outputs: [] }));
  },
};

let tmp: ReturnType<typeof makeTemp>;
let services: Services;
beforeEach(() => {
  tmp = makeTemp('cairn-control-');
  const home = resolveHome({ CAIRN_HOME: tmp.dir });
  const runtime = new FakeRuntime();
  services = buildServices({ home, runtime, executors: () => new Map([['Processing', anyExecutor(fakeProcessing)]]) });
  ran.length = 0;
  failing.clear();
});
afterEach(() => { services.store.close(); tmp.cleanup(); });

const proc = (name: string, args: Record<string, JsonValue> = {}, extra: Record<string, JsonValue> = {}): JsonValue =>
  ({ Name: name, Type: 'Processing', Arguments: args, ...extra });
const fail = (name: string, message: JsonValue): JsonValue => ({ Name: name, Type: 'Fail', Arguments: { ErrorMessage: message } });
const condition = (name: string, conditions: JsonValue[], ifSteps: JsonValue[], elseSteps: JsonValue[], extra: Record<string, JsonValue> = {}): JsonValue =>
  ({ Name: name, Type: 'Condition', Arguments: { Conditions: conditions, IfSteps: ifSteps, ElseSteps: elseSteps }, ...extra });

function definition(steps: JsonValue[], parameters: JsonValue[] = []): { def: Definition; text: string } {
  const text = definitionText({ Parameters: parameters, Steps: steps });
  const r = loadDefinitionText(text, 'pipeline.json', { supportedStepTypes: SUPPORTED_STEP_TYPES });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { def: r.value, text };
}

async function run(d: { def: Definition; text: string }, parameters: Record<string, string | number> = {}) {
  const events: RunEvent[] = [];
  const r = await startRun(services, { definition: d.def, definitionText: d.text, pipeline: 'p', parameters, options: { noCache: true, rerun: [] } },
    { signal: new AbortController().signal, emit: (e) => events.push(e), maxParallel: 2 });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { run: r.value, events, steps: statuses(r.value.runId) };
}

function statuses(runId: string): Record<string, string> {
  return Object.fromEntries(services.store.getSteps(runId).map((s) => [s.name, `${s.status}${s.reused && s.status === 'succeeded' ? ' (reused)' : ''}`]));
}

/** Evaluate → Check (accuracy >= Threshold) → Promote → Publish, else Reject (a Fail step). */
function gate() {
  return definition([
    proc('Evaluate'),
    condition('Check', [{ Type: 'GreaterThanOrEqualTo', LeftValue: get('Parameters.Accuracy'), RightValue: get('Parameters.Threshold') }],
      [proc('Promote', { Job: get('Steps.Evaluate.ProcessingJobName') })],
      [fail('Reject', { 'Std:Join': { On: ' ', Values: ['accuracy', get('Parameters.Accuracy'), 'is below', get('Parameters.Threshold')] } })]),
    proc('Publish', { Outcome: get('Steps.Check.Outcome') }, { DependsOn: ['Promote'] }),
    proc('Audit', { Outcome: get('Steps.Check.Outcome') }),
  ], [{ Name: 'Accuracy', Type: 'Float', DefaultValue: 0.9 }, { Name: 'Threshold', Type: 'Float', DefaultValue: 0.8 }]);
}

describe('Condition and Fail steps in the engine', () => {
  it('true: IfSteps and their downstream run, ElseSteps are skipped; Outcome is readable', async () => {
    const { run: r, steps, events } = await run(gate(), { Accuracy: 0.9, Threshold: 0.8 });
    expect(r.status).toBe('succeeded');
    expect(steps).toEqual({ Evaluate: 'succeeded', Check: 'succeeded', Promote: 'succeeded', Reject: 'skipped', Publish: 'succeeded', Audit: 'succeeded' });
    expect(services.store.getStep(r.runId, 'Check')?.properties).toEqual({ Outcome: true });
    expect(services.store.getStep(r.runId, 'Check')?.attempts).toBe(0);
    expect(ran.find((x) => x.step === 'Publish')?.args).toEqual({ Outcome: true });
    expect(ran.map((x) => x.step).indexOf('Promote')).toBeGreaterThan(ran.map((x) => x.step).indexOf('Evaluate'));
    expect(events).toContainEqual(expect.objectContaining({
      type: 'notice', step: 'Check', message: 'evaluated to true: IfSteps run (Promote); ElseSteps are skipped (Reject)',
    }));
  });

  it('false: the Fail step ends the run as failed with its resolved message; IfSteps and their downstream are skipped', async () => {
    const { run: r, steps } = await run(gate(), { Accuracy: 0.5, Threshold: 0.8 });
    expect(r.status).toBe('failed');
    expect(steps.Promote).toBe('skipped');
    expect(steps.Publish).toBe('skipped');
    expect(steps.Reject).toBe('failed');
    expect(worded(services.store.getStep(r.runId, 'Reject')?.failure, { name: 'Reject', type: 'Fail' })).toEqual({
      reason: 'fail-step', errorMessage: 'accuracy 0.5 is below 0.8', message: 'Fail step "Reject" ended the run: accuracy 0.5 is below 0.8',
    });
    expect(ran.map((x) => x.step)).not.toContain('Promote');
  });

  it('a branch step waits for its Condition even with no dependency of its own', async () => {
    const d = definition([
      proc('Slow'),
      condition('C', [{ Type: 'Equals', LeftValue: get('Steps.Slow.ProcessingJobName'), RightValue: 'Slow' }], [proc('Inner')], []),
    ]);
    // Slow is held (100 ms, or until Inner starts): had Inner not waited for C, it would start while Slow is held.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const conditionWhenInnerStarted: (string | undefined)[] = [];
    services = { ...services, executors: new Map([['Processing', anyExecutor({
      ...fakeProcessing,
      execute: async (prepared, ctx) => {
        if (ctx.stepName === 'Slow') { setTimeout(release, 100); await held; }
        if (ctx.stepName === 'Inner') {
          conditionWhenInnerStarted.push(services.store.getStep(ctx.runId, 'C')?.status);
          release();
        }
        return fakeProcessing.execute(prepared, ctx);
      },
    })]]) };
    const { steps } = await run(d);
    expect(steps).toEqual({ Slow: 'succeeded', C: 'succeeded', Inner: 'succeeded' });
    expect(ran.map((x) => x.step)).toEqual(['Slow', 'Inner']);
    expect(conditionWhenInnerStarted).toEqual(['succeeded']);
  });

  it('nested conditions: a Condition in the branch not taken is skipped with both its branches', async () => {
    const d = definition([
      condition('Outer', [{ Type: 'Equals', LeftValue: get('Parameters.Mode'), RightValue: 'a' }],
        [condition('Inner', [{ Type: 'In', QueryValue: get('Parameters.Mode'), Values: ['a', 'b'] }], [proc('InnerIf')], [proc('InnerElse')])],
        [proc('OuterElse')]),
      proc('After', {}, { DependsOn: ['InnerIf', 'OuterElse'] }),
    ], [{ Name: 'Mode', Type: 'String', DefaultValue: 'a' }]);
    expect((await run(d, { Mode: 'b' })).steps).toEqual({
      Outer: 'succeeded', Inner: 'skipped', InnerIf: 'skipped', InnerElse: 'skipped', OuterElse: 'succeeded', After: 'skipped',
    });
    expect((await run(d, { Mode: 'a' })).steps).toEqual({
      Outer: 'succeeded', Inner: 'succeeded', InnerIf: 'succeeded', InnerElse: 'skipped', OuterElse: 'skipped', After: 'skipped',
    });
  });

  it('a type mismatch fails the Condition step with a sentence naming the step and the condition', async () => {
    const d = definition([
      condition('Check', [{ Type: 'GreaterThan', LeftValue: get('Parameters.Label'), RightValue: 3 }], [proc('A')], [proc('B')]),
    ], [{ Name: 'Label', Type: 'String', DefaultValue: 'x' }]);
    const { run: r, steps } = await run(d, { Label: 'x' });
    expect(r.status).toBe('failed');
    expect(steps).toEqual({ Check: 'failed', A: 'not-run', B: 'not-run' });
    expect(words(services.store.getStep(r.runId, 'Check')?.failure, { name: 'Check', type: 'Condition' })).toBe(
      'Condition step "Check" cannot be evaluated: Conditions[0] (GreaterThan) cannot compare LeftValue "x" (a string) with RightValue 3 (a number); both sides must be numbers or both strings.');
  });

  it('on resume a Condition keeps the outcome it recorded, even if its inputs changed since', async () => {
    const flag = path.join(tmp.dir, 's3/b/flag.json');
    mkdirSync(path.dirname(flag), { recursive: true });
    writeFileSync(flag, '{"go": true}');
    const d = definition([
      condition('Check', [{ Type: 'Equals', LeftValue: { 'Std:JsonGet': { S3Uri: 's3://b/flag.json', Path: 'go' } }, RightValue: true }],
        [proc('Promote')], [fail('Reject', 'no')]),
    ]);
    failing.add('Promote');
    const first = await run(d);
    expect(first.run.status).toBe('failed');
    expect(first.steps).toEqual({ Check: 'succeeded', Promote: 'failed', Reject: 'skipped' });

    writeFileSync(flag, '{"go": false}');
    failing.clear();
    const resumed = await resumeRun(services, first.run.runId, () => ok(d.def), { signal: new AbortController().signal, emit: () => undefined, maxParallel: 2 });
    expect(resumed.ok && resumed.value.status).toBe('succeeded');
    expect(statuses(first.run.runId)).toEqual({ Check: 'succeeded (reused)', Promote: 'succeeded', Reject: 'skipped' });
  });

  it('plan: Condition and Fail run without a container; branch steps say under which outcome they run', async () => {
    const planned = await planRun(services, gate().def, 'p', { Accuracy: 0.5, Threshold: 0.8 }, { noCache: false, rerun: [] });
    const line = (n: string) => { const p = planned.find((x) => x.name === n); return p && { ...p, why: plannedWhy(p) }; };
    expect(line('Check')).toMatchObject({ action: 'run', why: 'evaluated when the run reaches it (never cached): IfSteps 1 step(s), ElseSteps 1 step(s)' });
    expect(line('Promote')).toMatchObject({ action: 'run', why: '(if Condition "Check" is true) upstream "Evaluate" will run', when: { condition: 'Check', outcome: true } });
    expect(line('Reject')).toMatchObject({ action: 'run', why: '(if Condition "Check" is false) ends the run as failed: "accuracy 0.5 is below 0.8"' });
    expect(line('Publish')).toMatchObject({ why: '(if Condition "Check" is true) upstream "Check", "Promote" will run' });
    expect(line('Audit')?.when).toBeUndefined();
  });
});
