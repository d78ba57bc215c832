import type { Store } from '../../cache/store.js';
import { runIsLive } from '../../cache/run-lock.js';
import { LABEL_HOME, LABEL_RUN, homeLabel } from '../../containers/labels.js';
import type { ContainerRuntime } from '../../contracts/container-runtime.js';

/**
 * After a crash (even `kill -9`) a run can be left marked `running` with containers behind it. This finds runs that
 * say `running` but have no live owner, marks them `stopped` (their running steps `stopped`, attempts `interrupted`),
 * and removes every container of this home whose run has no live owner. Cheap enough to call before every run.
 */
export async function reconcile(store: Store, runtime: ContainerRuntime | undefined, home: string): Promise<{ runs: string[]; containers: string[] }> {
  const deadRuns: string[] = [];
  for (const run of store.listRuns()) {
    if (run.status !== 'running' || runIsLive(store, run.runId)) continue;
    markInterrupted(store, run.runId);
    deadRuns.push(run.runId);
  }
  const removed: string[] = [];
  if (runtime !== undefined) {
    const containers = await runtime.listContainers({ [LABEL_HOME]: homeLabel(home) });
    for (const c of containers) {
      const runId = c.labels[LABEL_RUN];
      if (runId !== undefined && runIsLive(store, runId)) continue;
      await runtime.removeContainer(c.id);
      removed.push(c.id);
    }
  }
  return { runs: deadRuns, containers: removed };
}

/** Marks what was in flight when the run's owner died as interrupted / stopped (one transaction, in the store). */
export function markInterrupted(store: Store, runId: string): void {
  store.markInterrupted(runId, { reason: 'stopped', message: 'interrupted: the cairn process running it ended unexpectedly' }, Date.now());
}
