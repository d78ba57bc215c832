import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../cache/store.js';
import { buildServices } from '../../cli/services.js';
import { anyExecutor, type StepExecutor } from '../../contracts/executor.js';
import { resolveHome } from '../../contracts/home.js';
import type { RunRecord } from '../../contracts/records.js';
import type { Services } from '../../engine/run/run-context.js';
import type { JsonValue } from '../../kernel/json.js';
import { ok } from '../../kernel/result.js';
import { makeTemp } from '../cache/temp-home.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { runOneProcessingStep } from './one-step-run.js';

/**
 * What cairn.db holds without its -wal file (a copy of the database file alone is what a deleted -wal leaves): the
 * run's record from the moment it starts (a checkpoint after it is created), and its end state once it ends.
 */
let tmp: ReturnType<typeof makeTemp>;
let services: Services;
let duringRun: RunRecord[] = [];

/** The runs a copy of cairn.db alone (no -wal) holds. */
function runsWithoutWal(name: string): RunRecord[] {
  const copy = path.join(tmp.dir, `${name}.db`);
  copyFileSync(services.home.db, copy);
  const s = Store.open(copy);
  try {
    return s.listRuns();
  } finally {
    s.close();
  }
}

const executor: StepExecutor<JsonValue> = {
  type: 'Processing',
  prepare: (args) => Promise.resolve(ok({ fingerprint: { image: { uri: 'fake', id: 'fake' }, arguments: args, inputs: {}, environment: {} }, job: args })),
  execute: (_prepared, ctx) => {
    duringRun = runsWithoutWal('during');
    return Promise.resolve(ok({ properties: { ProcessingJobName: ctx.stepName }, outputs: [] }));
  },
};

beforeEach(() => {
  tmp = makeTemp('cairn-checkpoint-');
  services = buildServices({ home: resolveHome({ CAIRN_HOME: path.join(tmp.dir, 'home') }), runtime: new FakeRuntime(), executors: () => new Map([['Processing', anyExecutor(executor)]]) });
  duringRun = [];
});
afterEach(() => { services.store.close(); tmp.cleanup(); });

describe('a run is checkpointed into cairn.db', () => {
  it('when it starts (a lost -wal keeps the run) and when it ends (its final state too)', async () => {
    const run = await runOneProcessingStep(services);
    expect(duringRun.map((x) => [x.runId, x.status])).toEqual([[run.runId, 'running']]);
    expect(runsWithoutWal('after').map((x) => [x.runId, x.status])).toEqual([[run.runId, 'succeeded']]);
  });
});
