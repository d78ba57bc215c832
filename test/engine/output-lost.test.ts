import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobPath } from '../../cache/cas.js';
import { reasonWords } from '../../cli/decision-words.js';
import { explanationLines } from '../../cli/explain-text.js';
import { runRefusalText } from '../../cli/render-refusal.js';
import type { CacheReason } from '../../contracts/cache-decision.js';
import { explainStep } from '../../engine/reports/explain.js';
import { planRun } from '../../engine/run/plan.js';
import type { Services } from '../../engine/run/run-context.js';
import { resumeRun, startRun } from '../../engine/run/run-pipeline.js';
import { ok } from '../../kernel/result.js';
import { FakeRuntime, type FakeJobIo } from '../support/fake-runtime.js';
import { fakeServices } from '../support/fake-services.js';
import { CHAIN_IMAGE, IN_DIR, OUT_DIR, chain, type Loaded } from './processing-chain.js';

/**
 * Recorded outputs are verified before they are served again: a cache hit or a step a resume keeps whose blob is
 * missing or damaged runs again in the same run (reason `output-lost`, the same in `plan`), and its dependants follow
 * the normal decision; a reused step's `s3/` view is put back from the content store.
 */
let env: ReturnType<typeof fakeServices>;
let services: Services;
let executions: Map<string, number>;
/** Steps whose next execution fails (once). */
let failNext: Set<string>;

/** A deterministic job: writes "<step> of: <its input>", so a re-run of an upstream step leaves the same bytes. */
function job(io: FakeJobIo): number {
  const step = io.spec.labels['org.cairn.step'] ?? '?';
  executions.set(step, (executions.get(step) ?? 0) + 1);
  if (failNext.delete(step)) return 3;
  const inDir = io.hostPath(IN_DIR);
  const input = readdirSync(inDir).map((f) => readFileSync(join(inDir, f), 'utf8')).join('');
  const out = io.hostPath(OUT_DIR);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'result.txt'), `${step} of: ${input}`);
  return 0;
}

beforeEach(() => {
  env = fakeServices(new FakeRuntime());
  env.runtime.addImage(CHAIN_IMAGE);
  env.runtime.onImage(CHAIN_IMAGE, job);
  services = env.services;
  executions = new Map();
  failNext = new Set();
  const raw = join(services.home.root, 's3', 'bucket/raw/data.csv');
  mkdirSync(dirname(raw), { recursive: true });
  writeFileSync(raw, '1,2,3\n');
});
afterEach(() => env.close());

const OPTIONS = { noCache: false, rerun: [] };
const inv = () => ({ signal: new AbortController().signal, emit: () => undefined, maxParallel: 1 });
const view = (step: string): string => join(services.home.root, 's3', 'bucket/out', step, 'result.txt');
const EXPECTED = { A: 'A of: 1,2,3\n', B: 'B of: A of: 1,2,3\n', C: 'C of: B of: A of: 1,2,3\n' };

async function run(d: Loaded): Promise<string> {
  const r = await startRun(services, { definition: d.def, definitionText: d.text, pipeline: 'p', parameters: { Go: 'yes' }, options: OPTIONS }, inv());
  if (!r.ok) throw new Error(runRefusalText(r.error));
  return r.value.runId;
}

async function resume(d: Loaded, runId: string): Promise<void> {
  const r = await resumeRun(services, runId, () => ok(d.def), inv());
  if (!r.ok) throw new Error(runRefusalText(r.error));
}

async function plan(d: Loaded): Promise<Record<string, CacheReason | undefined>> {
  const planned = await planRun(services, d.def, 'p', { Go: 'yes' }, OPTIONS);
  return Object.fromEntries(planned.map((p) => [p.name, p.action === 'blocked' ? undefined : p.decision.reason]));
}

const reasons = (runId: string) => Object.fromEntries(services.store.getSteps(runId).map((s) => [s.name, s.decision?.reason]));
const statuses = (runId: string) => Object.fromEntries(services.store.getSteps(runId).map((s) => [s.name, s.status]));
const blobOf = (runId: string, step: string): string => {
  const f = services.store.getOutputs(runId, step)[0]?.files[0];
  if (f === undefined) throw new Error(`no recorded file for ${step} in ${runId}`);
  return blobPath(services.home.root, f.hash);
};

/** Every recorded output of the run verifies, and each view file holds the expected bytes as the blob itself. */
async function expectIntact(runId: string): Promise<void> {
  for (const step of ['A', 'B', 'C'] as const) {
    expect(await services.artifacts.verifyOutputs(services.store.getOutputs(runId, step)), step).toEqual([]);
    expect(readFileSync(view(step), 'utf8'), step).toBe(EXPECTED[step]);
    expect(statSync(view(step)).ino, step).toBe(statSync(blobOf(runId, step)).ino);
  }
}

/** Overwrites `length` bytes at `at` with zeros in place (same inode, same size), as `dd conv=notrunc` would. */
async function zeroRange(file: string, at: number, length: number): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    await fh.write(Buffer.alloc(length), 0, length, at);
  } finally {
    await fh.close();
  }
}

describe('a lost output of a step that would be reused', () => {
  it('a missing blob: the producer runs again with output-lost (plan says the same), its dependants are reused', async () => {
    const d = chain();
    const first = await run(d);
    rmSync(blobOf(first, 'A'));
    const lost: CacheReason = { kind: 'output-lost', sourceRun: first, output: 'out', file: 'result.txt', state: 'missing' };
    const planned = await plan(d);
    expect(planned).toEqual({ A: lost, B: { kind: 'upstream-will-run', steps: ['A'] }, C: { kind: 'upstream-will-run', steps: ['B'] } });

    const second = await run(d);
    expect(statuses(second)).toEqual({ A: 'succeeded', B: 'succeeded', C: 'succeeded' });
    expect(reasons(second)).toMatchObject({ A: lost, B: { kind: 'same-fingerprint', sourceRun: first }, C: { kind: 'same-fingerprint', sourceRun: first } });
    expect(executions).toEqual(new Map([['A', 2], ['B', 1], ['C', 1]]));
    await expectIntact(second);
    expect(reasonWords(lost)).toBe(`output "out" recorded by run ${first} is lost: its file "result.txt" is missing from the content store, so the step runs again`);
    expect(explanationLines(second, explainStep(services.store, second, 'A')).lines[1]).toBe(`  decision: run: ${reasonWords(lost)}`);
  });

  it('a zeroed range in a blob (written through the s3/ view link): runs again, and downstream reads the right bytes', async () => {
    const d = chain();
    const first = await run(d);
    await zeroRange(view('A'), 2, 4);
    expect(readFileSync(blobOf(first, 'A'), 'utf8')).not.toBe(EXPECTED.A);
    const lost: CacheReason = { kind: 'output-lost', sourceRun: first, output: 'out', file: 'result.txt', state: 'damaged' };
    expect((await plan(d)).A).toEqual(lost);
    const second = await run(d);
    expect(reasons(second).A).toEqual(lost);
    expect(executions).toEqual(new Map([['A', 2], ['B', 1], ['C', 1]]));
    await expectIntact(second);
  });

  it('an intact blob whose s3/ view file was removed or replaced: reused, and the view is put back from the content store', async () => {
    const d = chain();
    const first = await run(d);
    rmSync(view('A'));
    rmSync(view('B'));
    writeFileSync(view('B'), 'someone else wrote this\n');
    expect((await plan(d)).A).toMatchObject({ kind: 'same-fingerprint', sourceRun: first });
    const second = await run(d);
    const hit = { kind: 'same-fingerprint', sourceRun: first };
    expect(reasons(second)).toMatchObject({ A: hit, B: hit, C: hit });
    expect(executions).toEqual(new Map([['A', 1], ['B', 1], ['C', 1]]));
    await expectIntact(second);
  });
});

describe('resume', () => {
  it('a step that succeeded earlier in the run whose output was truncated runs again, with the reason; downstream gets the right bytes', async () => {
    const d = chain();
    failNext.add('C');
    const runId = await run(d);
    expect(statuses(runId)).toEqual({ A: 'succeeded', B: 'succeeded', C: 'failed' });
    truncateSync(view('A'), 3);
    await resume(d, runId);
    expect(statuses(runId)).toEqual({ A: 'succeeded', B: 'succeeded', C: 'succeeded' });
    expect(reasons(runId)).toMatchObject({
      A: { kind: 'output-lost', sourceRun: runId, output: 'out', file: 'result.txt', state: 'damaged' },
      B: { kind: 'same-fingerprint', sourceRun: runId },
    });
    expect(executions).toEqual(new Map([['A', 2], ['B', 1], ['C', 2]]));
    await expectIntact(runId);
  });

  it('a kept step whose blob verifies but whose s3/ view file is gone is kept, and the view is put back', async () => {
    const d = chain();
    failNext.add('C');
    const runId = await run(d);
    rmSync(view('B'));
    await resume(d, runId);
    expect(statuses(runId)).toEqual({ A: 'succeeded', B: 'succeeded', C: 'succeeded' });
    expect(executions).toEqual(new Map([['A', 1], ['B', 1], ['C', 2]]));
    await expectIntact(runId);
  });
});
