import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../cache/store.js';
import { processStartTime } from '../../cache/run-lock.js';
import { LABEL_HOME, LABEL_RUN, homeLabel } from '../../containers/labels.js';
import type { ContainerRuntime } from '../../contracts/container-runtime.js';
import { reconcile, removeRunContainers } from '../../engine/run/reconcile.js';
import { reconcileWarningText } from '../../cli/render-refusal.js';
import { makeTemp } from '../cache/temp-home.js';

/** A container runtime whose listing and removal do what the test says (nothing else is called by reconcile). */
function runtime(list: () => Promise<{ id: string; labels: Record<string, string>; state: string }[]>, remove: (id: string) => Promise<void>): ContainerRuntime {
  return { listContainers: list, removeContainer: remove } as unknown as ContainerRuntime;
}

describe('reconcile with a Docker engine that hiccups', () => {
  let tmp: ReturnType<typeof makeTemp>;
  let store: Store;
  const home = '/home/u/.cairn';
  beforeEach(() => {
    tmp = makeTemp();
    store = Store.open(join(tmp.dir, 'cairn.db'));
    const run = { runId: 'dead', pipeline: 'p', definitionFile: 'p.json', definition: '{}', parameters: {}, execution: {}, options: { noCache: false, rerun: [] }, status: 'running' as const, startedAt: 1 };
    store.createRun(run, [{ name: 'A', type: 'Processing' }]);
    store.setStepStatus('dead', 'A', 'running', { startedAt: 1 });
  });
  afterEach(() => { store.close(); tmp.cleanup(); });

  it('does not throw when listing containers fails: dead runs are still marked, the problem is returned', async () => {
    const failing = runtime(() => Promise.reject(new Error('connect ECONNREFUSED /var/run/docker.sock')), () => Promise.resolve());
    const r = await reconcile(store, failing, home);
    expect(r).toEqual({ runs: ['dead'], containers: [], problem: { during: 'list', engineText: 'connect ECONNREFUSED /var/run/docker.sock' } });
    expect(store.getRun('dead')?.status).toBe('stopped');
    expect(store.getStep('dead', 'A')).toMatchObject({ status: 'stopped', failure: { reason: 'stopped', when: 'interrupted' } });
    expect(reconcileWarningText(r.problem!)).toBe(
      'warning: leftover containers of dead runs were not removed: the Docker engine failed (connect ECONNREFUSED /var/run/docker.sock); the next run tries again');
  });

  it('does not throw when removing a container fails: what was removed before stays reported', async () => {
    const labels = { [LABEL_HOME]: homeLabel(home), [LABEL_RUN]: 'dead' };
    const removed: string[] = [];
    const flaky = runtime(
      () => Promise.resolve([{ id: 'c1', labels, state: 'exited' }, { id: 'c2', labels, state: 'exited' }]),
      (id) => (id === 'c2' ? Promise.reject(new Error('socket hang up')) : (removed.push(id), Promise.resolve())),
    );
    const r = await reconcile(store, flaky, home);
    expect(r).toEqual({ runs: ['dead'], containers: ['c1'], problem: { during: 'remove', engineText: 'socket hang up', containerId: 'c2' } });
    expect(removed).toEqual(['c1']);
  });

  it('reports no problem when the engine answers', async () => {
    const fine = runtime(() => Promise.resolve([]), () => Promise.resolve());
    expect(await reconcile(store, fine, home)).toEqual({ runs: ['dead'], containers: [] });
  });

  it('removeRunContainers (a resume sweeping its run) does not throw either', async () => {
    const failing = runtime(() => Promise.reject(new Error('EOF')), () => Promise.resolve());
    expect(await removeRunContainers(failing, 'dead')).toEqual({ during: 'list', engineText: 'EOF' });
    const removed: string[] = [];
    const fine = runtime(() => Promise.resolve([{ id: 'c1', labels: {}, state: 'exited' }]), (id) => (removed.push(id), Promise.resolve()));
    expect(await removeRunContainers(fine, 'dead')).toBeUndefined();
    expect(removed).toEqual(['c1']);
  });
});

describe('reconcile sweeps temp files', () => {
  it('removes the temp directory a dead process left in the home (run start and resume both reconcile)', async () => {
    const tmp = makeTemp();
    const store = Store.open(join(tmp.dir, 'cairn.db'));
    try {
      const dead = join(tmp.dir, 'tmp', `p${process.pid}-${Number(processStartTime(process.pid) ?? '0') + 1}-${hostname()}`);
      mkdirSync(dead, { recursive: true });
      writeFileSync(join(dead, 'abc'), 'half');
      await reconcile(store, undefined, tmp.dir);
      expect(existsSync(dead)).toBe(false);
    } finally {
      store.close();
      tmp.cleanup();
    }
  });
});
