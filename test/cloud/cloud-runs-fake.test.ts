import { StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cloudClients, type CloudClients } from '../../cloud/clients.js';
import { retryExecution, showExecution, cloudRunJson } from '../../cloud/cloud-runs.js';
import { FakeSageMaker } from './fake-sagemaker.js';
import { watchExecution } from '../../cloud/watch.js';
import type { RunEvent } from '../../contracts/run-events.js';
import { fakeEnv, runCli } from './cloud-cli.js';

let fake: FakeSageMaker;
let clients: CloudClients;
beforeAll(async () => {
  fake = await FakeSageMaker.start();
  const c = cloudClients({ region: 'us-east-1', env: fakeEnv(fake.endpoint), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  if (!c.ok) throw new Error(c.error);
  clients = c.value;
});
afterAll(async () => { clients.destroy(); await fake.close(); });
afterEach(() => { fake.clearFaults(); });

const quick = { intervalMs: 5, maxIntervalMs: 20 };
const stepLines = (events: RunEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'step' ? [`${e.step} ${e.status} ${e.attempt ?? ''}`] : e.type === 'run-finished' ? [`run ${e.status}`] : []));

describe('watching an execution on the fake SageMaker server', () => {
  it('follows Executing → a failed step → retry → Succeeded, emitting the local run events', async () => {
    const arn = fake.addExecution('Retrain');
    const events: RunEvent[] = [];
    const first = await watchExecution(clients, arn, { ...quick, onEvent: (e) => events.push(e) });
    expect(first.ok && first.value.exitCode).toBe(1);
    expect(first.ok && first.value.status).toBe('failed');
    expect(events[0]).toMatchObject({ type: 'run-started', runId: arn, pipeline: 'retrain', resumed: false, steps: [
      { name: 'Preprocess', type: 'Processing' }, { name: 'Train', type: 'Training' }, { name: 'Evaluate', type: 'Processing' },
    ] });
    expect(stepLines(events)).toEqual(['Preprocess running 1', 'Preprocess succeeded 1', 'Train running 1', 'Train failed 1', 'run failed']);
    expect(events.some((e) => e.type === 'notice' && e.message.includes('spot instance reclaimed'))).toBe(true);
    expect(first.ok && first.value.run).toEqual({ runId: arn, status: 'failed', steps: [
      { name: 'Preprocess', status: 'succeeded', reused: false, attempts: 1 },
      { name: 'Train', status: 'failed', reused: false, attempts: 1, failureReason: 'AlgorithmError: ExecuteUserScriptError: exit code 1 (spot instance reclaimed)' },
      { name: 'Evaluate', status: 'not-run', reused: false, attempts: 0 },
    ] });

    expect(await retryExecution(clients, arn)).toEqual({ ok: true, value: arn });
    const again: RunEvent[] = [];
    const second = await watchExecution(clients, arn, { ...quick, resumed: true, onEvent: (e) => again.push(e) });
    expect(second.ok && second.value.exitCode).toBe(0);
    expect(again[0]).toMatchObject({ type: 'run-started', resumed: true });
    expect(stepLines(again)).toEqual(['Preprocess succeeded 1', 'Train running 2', 'Train succeeded 2', 'Evaluate running 1', 'Evaluate succeeded 1', 'run succeeded']);
    expect(second.ok && second.value.run.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([['Preprocess', 'succeeded', 1], ['Train', 'succeeded', 2], ['Evaluate', 'succeeded', 1]]);
    // ListPipelineExecutionSteps was paginated (the fake serves 2 steps a page).
    expect(fake.calls.some((c) => c.op === 'ListPipelineExecutionSteps' && typeof c.body.NextToken === 'string')).toBe(true);
  });

  it('rides out throttling and a dropped connection, and gives up after a bounded number of failed polls', async () => {
    const arn = fake.addExecution('Throttled', [{ name: 'Only', type: 'Processing' }]);
    fake.inject('throttle', 5);
    fake.inject('drop', 4, 'ListPipelineExecutionSteps');
    const r = await watchExecution(clients, arn, quick);
    expect(r.ok && r.value.status).toBe('succeeded');

    const stuck = fake.addExecution('Stuck', [{ name: 'Only', type: 'Processing' }]);
    fake.inject('server-error', 1000);
    const gaveUp = await watchExecution(clients, stuck, { ...quick, maxFailures: 3 });
    expect(gaveUp).toEqual({ ok: false, error: expect.stringMatching(/^Gave up watching .*Stuck.* after 3 consecutive failed polls; the last error: .*InternalFailure/i) as unknown });
    fake.clearFaults();

    const unknown = await watchExecution(clients, arn.replace(/execution\/.*/, 'execution/nope'), quick);
    expect(unknown.ok ? '' : unknown.error).toMatch(/^Cannot watch the pipeline execution .*: ResourceNotFound.*does not exist/);
  });

  it('backs off while nothing changes, and polls at the first interval again after a change', async () => {
    const arn = fake.addExecution('Slow', [{ name: 'Long', type: 'Training', executingTicks: 5 }, { name: 'Next', type: 'Processing' }]);
    const r = await watchExecution(clients, arn, { intervalMs: 20, maxIntervalMs: 160 });
    expect(r.ok && r.value.exitCode).toBe(0);
    const times = fake.calls.filter((c) => c.op === 'DescribePipelineExecution' && c.body.PipelineExecutionArn === arn).map((c) => c.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // Starting, Executing (changes: 20 ms), then 4 polls without a change (40, 80, 160, 160), then Long succeeds (20).
    expect(gaps[2]!).toBeGreaterThanOrEqual(38);
    expect(gaps[3]!).toBeGreaterThanOrEqual(78);
    expect(gaps[4]!).toBeGreaterThanOrEqual(158);
    expect(gaps[5]!).toBeGreaterThanOrEqual(158);
    expect(gaps[5]!).toBeLessThan(320);
    expect(gaps[6]!).toBeLessThan(120);
  });

  it('shows a cache hit as reused and steps not yet listed as not-run', async () => {
    const arn = fake.addExecution('Cached', [{ name: 'Prep', type: 'Processing', cacheHitOf: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/cached/execution/old' }, { name: 'Fit', type: 'Training' }]);
    const s = await showExecution(clients, arn);
    expect(s.ok && cloudRunJson(s.value.snapshot)).toEqual({ runId: arn, status: 'running', steps: [
      { name: 'Prep', status: 'succeeded', reused: true, attempts: 1 }, { name: 'Fit', status: 'not-run', reused: false, attempts: 0 },
    ] });
  });
});

describe('cairn cloud on the fake SageMaker server', () => {
  it('watch exits 1 on the failed step, retry --wait exits 0, show --json keeps the local contract', async () => {
    const arn = fake.addExecution('Retrain');
    const env = fakeEnv(fake.endpoint);
    const watched = await runCli(['cloud', 'watch', arn], env);
    expect(watched.code).toBe(1);
    expect(watched.stdout).toContain(`run ${arn} (retrain) started: 3 step(s)`);
    expect(watched.stdout).toContain('Train: failed');
    expect(watched.stdout).toContain('Train: failed on SageMaker (attempt 1): AlgorithmError');
    expect(watched.stdout).toContain(`run ${arn} failed`);

    const retried = await runCli(['cloud', 'retry', arn, '--wait'], env);
    expect(retried.stderr).toBe('');
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain(`retrying ${arn}`);
    expect(retried.stdout).toContain(`run ${arn} (retrain) resumed: 3 step(s)`);
    expect(retried.stdout).toContain('Train: running (attempt 2)');
    expect(retried.stdout).toContain('Evaluate: succeeded');
    expect(retried.stdout).toContain(`run ${arn} succeeded`);

    const shown = await runCli(['cloud', 'show', arn, '--json'], env);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({ runId: arn, status: 'succeeded', steps: [
      { name: 'Preprocess', status: 'succeeded', reused: false, attempts: 1 },
      { name: 'Train', status: 'succeeded', reused: false, attempts: 2 },
      { name: 'Evaluate', status: 'succeeded', reused: false, attempts: 1 },
    ] });
    const again = await runCli(['cloud', 'retry', arn], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^Cannot retry the pipeline execution .*only a Failed execution can be retried/);
  });

  it('recovers from throttling and dropped connections during --wait', async () => {
    const arn = fake.addExecution('Retrain');
    const env = fakeEnv(fake.endpoint, { AWS_MAX_ATTEMPTS: '1' });
    await runCli(['cloud', 'watch', arn], env);
    fake.inject('throttle', 3, 'DescribePipelineExecution');
    fake.inject('drop', 2, 'ListPipelineExecutionSteps');
    const before = fake.calls.length;
    const served = fake.faultsServed;
    const r = await runCli(['cloud', 'retry', arn, '--wait'], env);
    expect(r.code).toBe(0);
    expect(fake.faultsServed - served).toBe(5);
    expect(r.stdout).toContain(`run ${arn} succeeded`);
    expect(fake.calls.length - before).toBeGreaterThan(8);
  });

  it('stop --wait ends Stopped with exit 1; --help and bad input', async () => {
    const env = fakeEnv(fake.endpoint);
    const started = await clients.sagemaker.send(new StartPipelineExecutionCommand({ PipelineName: 'Long' }));
    const arn = started.PipelineExecutionArn!;
    await showExecution(clients, arn);
    const stopped = await runCli(['cloud', 'stop', arn, '--wait'], env);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain(`stopping ${arn}`);
    expect(stopped.stdout).toContain(`run ${arn} stopped`);
    expect(fake.status(arn)).toBe('Stopped');
    const shown = await runCli(['cloud', 'show', arn], env);
    expect(shown.stdout).toMatch(/stopped \(Stopped\)/);
    expect(shown.stdout).toMatch(/Preprocess\s+stopped/);

    for (const args of [['cloud', '--help'], ['cloud', 'show', '--help'], ['cloud', 'retry', '--help']]) {
      const h = await runCli(args, env);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain('usage: cairn cloud');
    }
    const bad = await runCli(['cloud', 'show', 'not-an-arn'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a pipeline execution ARN');
  });
});
