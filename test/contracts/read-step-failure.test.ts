import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failureSentence } from '../../cli/render-failure.js';
import { readStepFailure } from '../../contracts/read-step-failure.js';
import { runJson } from '../../contracts/run-json.js';
import { exitFailure, stepFailure, STEP_FAILURE_VERSION, type StepFailure } from '../../contracts/step-failure.js';
import { Store } from '../../cache/store.js';
import { makeTemp } from '../cache/temp-home.js';

const step = { name: 'Train', type: 'Training' };

describe('readStepFailure: the one reader of stored failure records', () => {
  it('reads a record of this version back as it was written', () => {
    const f = exitFailure({ exitCode: 1, logTail: ['x'], failureFile: 'InternalServerError: gone', failureSummary: 'InternalServerError: gone' });
    expect(f).toMatchObject({ v: STEP_FAILURE_VERSION, retryable: true, platformFault: 'InternalServerError' });
    expect(readStepFailure(JSON.stringify(f))).toEqual(f);
  });

  it('maps a record of the previous cairn (no version, a message) to legacy, keeping its words and facts', () => {
    const old = { reason: 'exit-nonzero', message: 'Training step "Train" failed: its container exited with code 1.', exitCode: 1, logTail: [], failureFile: 'oops' };
    const f = readStepFailure(JSON.stringify(old));
    expect(f).toEqual({ v: STEP_FAILURE_VERSION, retryable: false, reason: 'legacy', was: 'exit-nonzero', message: old.message, exitCode: 1, failureFile: 'oops' });
    expect(failureSentence(step, f)).toBe(old.message);
    const fail = readStepFailure(JSON.stringify({ reason: 'fail-step', message: 'Fail step "R" ended the run: low', errorMessage: 'low' }));
    expect(fail).toMatchObject({ reason: 'legacy', was: 'fail-step', errorMessage: 'low' });
  });

  it.each([
    ['not JSON', '{oops', 'the stored failure record is not JSON'],
    ['not an object', '[1,2]', 'the stored failure record is not an object'],
    ['an old record without a message', '{"reason":"stopped"}', 'the stored failure record has no reason or message'],
    ['a newer version', '{"v":3,"reason":"stopped","retryable":false,"when":"container"}', 'the stored failure record has version 3, not 2'],
    ['an unknown reason', '{"v":2,"reason":"cosmic-ray","retryable":false}', 'the stored failure record has an unknown reason "cosmic-ray"'],
    ['no retryable', '{"v":2,"reason":"stopped","when":"container"}', 'the stored stopped failure record has no "retryable"'],
    ['a field of the wrong kind', '{"v":2,"reason":"exit-nonzero","retryable":false,"exitCode":"1","logTail":[]}', 'the stored exit-nonzero failure record has no valid "exitCode"'],
    ['a log tail that is not lines', '{"v":2,"reason":"oom-killed","retryable":false,"exitCode":137,"logTail":[1]}', 'the stored oom-killed failure record has no valid "logTail"'],
  ])('never crashes on a malformed record: %s', (_what, json, why) => {
    const f = readStepFailure(json);
    expect(f).toEqual({ v: STEP_FAILURE_VERSION, retryable: false, reason: 'legacy', was: 'unreadable', message: why });
    expect(failureSentence(step, f)).toBe(`(${why})`);
  });
});

describe('the store reads failures through readStepFailure', () => {
  let tmp: ReturnType<typeof makeTemp>;
  let store: Store;
  beforeEach(() => { tmp = makeTemp(); store = Store.open(join(tmp.dir, 'cairn.db')); });
  afterEach(() => { store.close(); tmp.cleanup(); });

  /** A run whose step failed with `record` as stored (written through the store's own API, cast: any shape). */
  function runWith(record: unknown): string {
    const run = { runId: 'r1', pipeline: 'p', definitionFile: 'p.json', definition: '{}', parameters: {}, execution: {}, options: { noCache: false, rerun: [] }, status: 'failed' as const, startedAt: 1 };
    store.createRun(run, [{ name: 'Train', type: 'Training' }]);
    store.setStepStatus(run.runId, 'Train', 'failed', { failure: record as StepFailure });
    return run.runId;
  }

  it('shows a record written by the previous cairn, and `show --json` still gives its failure file', () => {
    const id = runWith({ reason: 'exit-nonzero', message: 'old words', exitCode: 2, logTail: [], failureFile: 'ValueError: x' });
    const s = store.getStep(id, 'Train');
    expect(s?.failure).toMatchObject({ reason: 'legacy', was: 'exit-nonzero', message: 'old words' });
    expect(runJson(store.getRun(id)!, store.getSteps(id)).steps[0]?.failureReason).toBe('ValueError: x');
  });

  it('reads a malformed record as unreadable instead of throwing', () => {
    const id = runWith({ v: 2, reason: 'exit-nonzero', retryable: false });
    expect(store.getStep(id, 'Train')?.failure).toMatchObject({ reason: 'legacy', was: 'unreadable' });
  });

  it('round-trips a disk-full record', () => {
    const f = stepFailure('disk-full', { during: 'output-commit', code: 'ENOSPC', path: '/h/s3/b/o', freeBytes: 0, output: 'o', uri: 's3://b/o' });
    expect(store.getStep(runWith(f), 'Train')?.failure).toEqual(f);
  });

  it('reads a disk-full record without its path as unreadable', () => {
    const id = runWith({ v: 2, reason: 'disk-full', retryable: false, during: 'log', code: 'ENOSPC' });
    expect(store.getStep(id, 'Train')?.failure).toMatchObject({ reason: 'legacy', was: 'unreadable', message: 'the stored disk-full failure record has no valid "path"' });
  });

  it('round-trips a record of this version', () => {
    const f = stepFailure('stopped', { when: 'callback', token: 't', runId: 'r1' });
    const id = runWith(f);
    expect(store.getStep(id, 'Train')?.failure).toEqual(f);
  });
});
