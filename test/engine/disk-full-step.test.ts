import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServices } from '../../cli/services.js';
import { anyExecutor, type StepExecutor } from '../../contracts/executor.js';
import { resolveHome } from '../../contracts/home.js';
import type { Services } from '../../engine/run/run-context.js';
import type { JsonValue } from '../../kernel/json.js';
import { ok } from '../../kernel/result.js';
import { makeTemp } from '../cache/temp-home.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { runOneProcessingStep } from './one-step-run.js';

/**
 * A Processing step whose container log is /dev/full (every write: ENOSPC), or whose executor throws ENOSPC: the
 * step fails with `disk-full` and the run ends `failed`; the process goes on (an unhandled stream error used to end it).
 */
let mode: 'log' | 'throw' = 'log';
const executor: StepExecutor<JsonValue> = {
  type: 'Processing',
  prepare: (args, ctx) => {
    mkdirSync(ctx.attemptDir, { recursive: true });
    if (mode === 'log') symlinkSync('/dev/full', path.join(ctx.attemptDir, 'container.log'));
    return Promise.resolve(ok({ fingerprint: { image: { uri: 'fake', id: 'fake' }, arguments: args, inputs: {}, environment: {} }, job: args }));
  },
  execute: async (_prepared, ctx) => { await Promise.resolve();
    if (mode === 'throw') throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', path: path.join(ctx.attemptDir, 'x') });
    for (let i = 0; i < 5; i++) ctx.onLine(`line ${i}`, 'stdout');
    return ok({ properties: { ProcessingJobName: ctx.stepName }, outputs: [] });
  },
};

let tmp: ReturnType<typeof makeTemp>;
let services: Services;
beforeEach(() => {
  tmp = makeTemp('cairn-disk-full-step-');
  services = buildServices({ home: resolveHome({ CAIRN_HOME: tmp.dir }), runtime: new FakeRuntime(), executors: () => new Map([['Processing', anyExecutor(executor)]]) });
});
afterEach(() => { services.store.close(); tmp.cleanup(); });

async function runOneStep() {
  const run = await runOneProcessingStep(services);
  return { run, step: services.store.getStep(run.runId, 'P'), attempts: services.store.getAttempts(run.runId, 'P') };
}

describe('a full disk inside a step', () => {
  it('a container log that cannot be written fails the step with disk-full (during log), not the process', async () => {
    mode = 'log';
    const { run, step, attempts } = await runOneStep();
    expect(run.status).toBe('failed');
    expect(step?.status).toBe('failed');
    const logFile = services.home.attemptDir(run.runId, 'P', 1) + '/container.log';
    expect(step?.failure).toMatchObject({ reason: 'disk-full', during: 'log', code: 'ENOSPC', path: logFile });
    expect(attempts.map((a) => a.status)).toEqual(['failed']);
  });

  it('an ENOSPC thrown by an executor fails the step with disk-full (during step), naming the path written', async () => {
    mode = 'throw';
    const { run, step } = await runOneStep();
    expect(run.status).toBe('failed');
    expect(step?.failure).toMatchObject({ reason: 'disk-full', during: 'step', code: 'ENOSPC', path: services.home.attemptDir(run.runId, 'P', 1) });
  });
});
