import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobPath } from '../../cache/cas.js';
import { reasonWords } from '../../cli/decision-words.js';
import { buildServices } from '../../cli/services.js';
import { runRefusalText } from '../../cli/render-refusal.js';
import { sideWriteLines, stepSideWrites } from '../../cli/side-write-lines.js';
import { LABEL_HOME, LABEL_RUN, homeLabel, networkLabels } from '../../containers/labels.js';
import type { CacheReason } from '../../contracts/cache-decision.js';
import { resolveHome } from '../../contracts/home.js';
import { runJson } from '../../contracts/run-json.js';
import { reconcile } from '../../engine/run/reconcile.js';
import type { Services } from '../../engine/run/run-context.js';
import { startRun } from '../../engine/run/run-pipeline.js';
import { makeTemp } from '../cache/temp-home.js';
import { fakeRunS3 } from '../support/fake-s3-endpoint.js';
import { FakeRuntime, type FakeJobIo } from '../support/fake-runtime.js';
import { CHAIN_IMAGE, IN_DIR, OUT_DIR, definition, proc } from './processing-chain.js';

/**
 * The run's S3 endpoint as the engine wires it (issue 11), against a FakeRuntime and an in-memory endpoint: one
 * network and endpoint per run, closed at its end; every container on the network with the attempt's credentials
 * (an isolated one with neither); side writes replayed on reuse; side reads in the cache decision.
 */
let tmp: ReturnType<typeof makeTemp>;
let runtime: FakeRuntime;
let s3: ReturnType<typeof fakeRunS3>;
let services: Services;
let executions: Map<string, number>;
/** When R's container ran: whether every grant of W's attempts was already revoked. */
let wRevokedWhenRRan: boolean | undefined;

const SIDE = { bucket: 'side', key: 'models/scaler.txt' };
const sideView = (): string => join(services.home.root, 's3', SIDE.bucket, ...SIDE.key.split('/'));
const write = (rel: string, text: string): void => {
  const p = join(services.home.root, 's3', rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
};

/** W uploads "scaler of <its input>" through the endpoint; R reads it back and writes what it saw as its output. */
async function job(io: FakeJobIo): Promise<number> {
  const step = io.spec.labels['org.cairn.step'] ?? '?';
  executions.set(step, (executions.get(step) ?? 0) + 1);
  const input = readdirSync(io.hostPath(IN_DIR)).map((f) => readFileSync(join(io.hostPath(IN_DIR), f), 'utf8')).join('');
  const out = io.hostPath(OUT_DIR);
  mkdirSync(out, { recursive: true });
  if (step === 'I') {
    writeFileSync(join(out, 'r.txt'), 'isolated');
    return 0;
  }
  const key = io.spec.env.AWS_ACCESS_KEY_ID ?? '';
  const endpoint = s3.endpointFor(key);
  if (step === 'R') wRevokedWhenRRan = [...endpoint.grants.values()].filter((g) => g.principal.step === 'W').every((g) => g.revoked);
  if (step === 'W') await endpoint.put(key, SIDE.bucket, SIDE.key, Buffer.from(`scaler of ${input}`));
  if (step === 'R') writeFileSync(join(out, 'r.txt'), `R saw ${endpoint.get(key, SIDE.bucket, SIDE.key)?.toString() ?? '(nothing)'}`);
  else writeFileSync(join(out, 'r.txt'), `${step} done`);
  return 0;
}

beforeEach(() => {
  tmp = makeTemp('cairn-run-s3-');
  runtime = new FakeRuntime();
  runtime.addImage(CHAIN_IMAGE);
  runtime.onImage(CHAIN_IMAGE, job);
  const home = resolveHome({ CAIRN_HOME: tmp.dir });
  s3 = fakeRunS3(home.root);
  services = buildServices({ home, runtime, s3: () => s3 });
  executions = new Map();
  wRevokedWhenRRan = undefined;
  write('bucket/raw/data.csv', '1,2,3\n');
  write('bucket/static/x.txt', 'static\n');
});
afterEach(() => { services.store.close(); tmp.cleanup(); });

const pipeline = () => definition([proc('W', 's3://bucket/raw'), proc('R', 's3://bucket/static', { DependsOn: ['W'] })]);

async function run(d = pipeline()): Promise<string> {
  const r = await startRun(services, { definition: d.def, definitionText: d.text, pipeline: 'p', parameters: { Go: 'yes' }, options: { noCache: false, rerun: [] } },
    { signal: new AbortController().signal, emit: () => undefined, maxParallel: 1 });
  if (!r.ok) throw new Error(runRefusalText(r.error));
  expect(r.value.status).toBe('succeeded');
  return r.value.runId;
}
const reasons = (runId: string) => Object.fromEntries(services.store.getSteps(runId).map((s) => [s.name, s.decision?.reason]));

describe('one network and endpoint per run', () => {
  it('every container joins cairn-<runId> with the attempt\'s credentials; both are gone when the run ends', async () => {
    const runId = await run();
    expect(runtime.specs).toHaveLength(2);
    const endpoint = s3.endpoints[0]!;
    expect(endpoint.listened).toEqual(['10.99.1.1']);
    for (const [i, spec] of runtime.specs.entries()) {
      const step = i === 0 ? 'W' : 'R';
      expect(spec.network).toBe(`cairn-${runId}`);
      expect(spec.env).toMatchObject({ AWS_ENDPOINT_URL: 'http://10.99.1.1:4566', AWS_ENDPOINT_URL_S3: 'http://10.99.1.1:4566', AWS_REGION: 'eu-west-1', AWS_EC2_METADATA_DISABLED: 'true' });
      const grant = endpoint.grants.get(spec.env.AWS_ACCESS_KEY_ID ?? '');
      expect(grant).toEqual({ principal: { runId, step, attempt: 1 }, revoked: true });
    }
    expect(wRevokedWhenRRan).toBe(true); // at the end of W's attempt, not only when the endpoint closed
    expect(runtime.networks.size).toBe(0);
    expect(endpoint.closed).toBe(true);
  });

  it('EnableNetworkIsolation: no network and no endpoint environment', async () => {
    const d = definition([proc('I', 's3://bucket/raw', {}), proc('W', 's3://bucket/raw')]);
    const isolated = JSON.parse(d.text) as { Steps: { Arguments: Record<string, unknown> }[] };
    isolated.Steps[0]!.Arguments.NetworkConfig = { EnableNetworkIsolation: true };
    await run(definition(isolated.Steps as never));
    const spec = runtime.specs.find((s) => s.labels['org.cairn.step'] === 'I')!;
    expect(spec.networkIsolated).toBe(true);
    expect(spec.network).toBeUndefined();
    expect(Object.keys(spec.env).filter((k) => k.startsWith('AWS_'))).toEqual([]);
    expect(s3.endpoints[0]!.grants.size).toBe(1);
  });

  it('reconcile removes the network of a dead run and keeps another home\'s', async () => {
    await runtime.createNetwork({ name: 'cairn-dead', labels: networkLabels({ home: services.home.root, runId: 'dead', pid: 999999 }) });
    await runtime.createNetwork({ name: 'cairn-other', labels: { [LABEL_HOME]: homeLabel('/elsewhere'), [LABEL_RUN]: 'other' } });
    const r = await reconcile(services.store, runtime, services.home.root);
    expect(r.networks).toEqual(['cairn-dead']);
    expect([...runtime.networks.values()].map((n) => n.name)).toEqual(['cairn-other']);
  });
});

describe('side writes and side reads', () => {
  it('a reused step replays its side writes byte for byte; show and --json list them', async () => {
    const first = await run();
    const bytes = readFileSync(sideView());
    expect(bytes.toString()).toBe('scaler of 1,2,3\n');
    rmSync(sideView());
    const second = await run();
    expect(executions).toEqual(new Map([['W', 1], ['R', 1]]));
    expect(reasons(second)).toMatchObject({ W: { kind: 'same-fingerprint', sourceRun: first }, R: { kind: 'same-fingerprint', sourceRun: first } });
    expect(readFileSync(sideView()).equals(bytes)).toBe(true);
    const { hash, etag } = s3.sideEffects(first, 'W', 1).writes[0]!;
    const writes = [{ bucket: 'side', key: 'models/scaler.txt', hash, size: bytes.length, etag }];
    const step = services.store.getStep(second, 'W')!;
    expect(stepSideWrites(s3, services.store, step)).toEqual(writes);
    expect(sideWriteLines(writes, first)).toEqual([`side writes (replayed from run ${first}):`, `  s3://side/models/scaler.txt  16 bytes  sha256 ${hash}`]);
    const json = runJson(services.store.getRun(second)!, services.store.getSteps(second), (s) => stepSideWrites(s3, services.store, s));
    expect(json.steps.map((s) => s.sideWrites)).toEqual([writes, undefined]);
  });

  it('a side-read object that changed makes the reader run again with side-read-changed, naming the key and both hashes', async () => {
    const first = await run();
    const before = s3.sideEffects(first, 'R', 1).reads[0]!.hash;
    write('bucket/raw/data.csv', '4,5,6\n');
    const second = await run();
    expect(executions).toEqual(new Map([['W', 2], ['R', 2]]));
    const after = s3.sideEffects(second, 'W', 1).writes[0]!.hash;
    const changed: CacheReason = { kind: 'side-read-changed', sourceRun: first, bucket: 'side', key: 'models/scaler.txt', recorded: before, current: after };
    expect(before).not.toBe(after);
    expect(reasons(second).R).toEqual(changed);
    expect(reasonWords(changed)).toBe(`s3://side/models/scaler.txt, read by run ${first}'s execution, changed: it was sha256 ${before} then and is sha256 ${after} now, so the step runs again`);
    expect(readFileSync(join(services.home.root, 's3', 'bucket/out/R/r.txt'), 'utf8')).toBe('R saw scaler of 4,5,6\n');
  });

  it('a key that was absent when read and is there now counts as changed', async () => {
    const d = definition([proc('R', 's3://bucket/static')]);
    const first = await run(d);
    expect(s3.sideEffects(first, 'R', 1).reads).toEqual([{ ...SIDE, hash: null }]);
    write('side/models/scaler.txt', 'now here\n');
    const second = await run(d);
    expect(reasons(second).R).toMatchObject({ kind: 'side-read-changed', recorded: null, current: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown });
  });

  it('a side write whose blob the content store lost: the writer runs again (output-lost), and the blob is back', async () => {
    const first = await run();
    const w = s3.sideEffects(first, 'W', 1).writes[0]!;
    rmSync(blobPath(services.home.root, w.hash));
    const second = await run();
    expect(reasons(second).W).toEqual({ kind: 'output-lost', sourceRun: first, output: 'side write s3://side/models/scaler.txt', file: 'scaler.txt', state: 'missing' });
    expect(executions.get('W')).toBe(2);
    expect(readFileSync(blobPath(services.home.root, w.hash), 'utf8')).toBe('scaler of 1,2,3\n');
  });
});
