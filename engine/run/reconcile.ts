import type { Store } from '../../cache/store.js';
import { runIsLive } from '../../cache/run-lock.js';
import { sweepTempLeftovers } from '../../cache/temp-area.js';
import { LABEL_HOME, LABEL_RUN, homeLabel } from '../../containers/labels.js';
import type { ContainerRuntime } from '../../contracts/container-runtime.js';
import type { SweepProblem } from '../../contracts/run-events.js';
import { stepFailure } from '../../contracts/step-failure.js';

/** The Docker engine failed while leftovers were swept; the run goes on without the sweep. */
export type ReconcileProblem = SweepProblem;

export interface Reconciled {
  runs: string[];
  containers: string[];
  /** Run networks removed (best effort: one Docker refuses to remove stays for a later sweep, and `doctor` lists it). */
  networks?: string[];
  /** Set when the engine failed: what was not swept is swept by a later run (cli/render-refusal.ts words it). */
  problem?: ReconcileProblem;
}

/**
 * After a crash (even `kill -9`) a run can be left marked `running` with containers behind it. This finds runs that
 * say `running` but have no live owner, marks them `stopped` (their running steps `stopped`, attempts `interrupted`),
 * removes every container of this home whose run has no live owner, and the temp files of dead processes. Cheap
 * enough to call before every run.
 * A Docker hiccup here never throws: the sweep stops and `problem` says why; the run itself then meets the engine
 * (and fails its steps with `docker-error` if it is really down).
 */
export async function reconcile(store: Store, runtime: ContainerRuntime | undefined, home: string): Promise<Reconciled> {
  await sweepTempLeftovers(home); // temp files of dead processes (cache/temp-area.ts); never throws
  const deadRuns = findDeadRuns(store);
  for (const runId of deadRuns) markInterrupted(store, runId);
  const removed: string[] = [];
  if (runtime === undefined) return { runs: deadRuns, containers: removed };
  let containers: Awaited<ReturnType<ContainerRuntime['listContainers']>>;
  try {
    containers = await orphanedContainers(store, runtime, home);
  } catch (e) {
    return { runs: deadRuns, containers: removed, problem: { during: 'list', engineText: errorText(e) } };
  }
  for (const c of containers) {
    try {
      await runtime.removeContainer(c.id);
    } catch (e) {
      return { runs: deadRuns, containers: removed, problem: { during: 'remove', engineText: errorText(e), containerId: c.id } };
    }
    removed.push(c.id);
  }
  const networks = await removeNetworks(runtime, await orphanedNetworks(store, runtime, home).catch(() => []));
  return { runs: deadRuns, containers: removed, ...(networks.length > 0 ? { networks } : {}) };
}

/** Run networks (engine/run/run-s3.ts) of this home whose run has no live owner: what `reconcile` removes. */
export async function orphanedNetworks(
  store: Store, runtime: ContainerRuntime, home: string,
): Promise<Awaited<ReturnType<ContainerRuntime['listNetworks']>>> {
  return (await runtime.listNetworks({ [LABEL_HOME]: homeLabel(home) })).filter(ownerless(store));
}

/** A container or network whose run has no live owner (or that names no run). */
function ownerless(store: Store): (x: { labels: Record<string, string> }) => boolean {
  return (x) => {
    const runId = x.labels[LABEL_RUN];
    return runId === undefined || !runIsLive(store, runId);
  };
}

/** Removes the network of one run a resume now owns (left by its dead owner); best effort, like `removeNetworks`. */
export async function removeRunNetworks(runtime: ContainerRuntime, runId: string): Promise<string[]> {
  return removeNetworks(runtime, await runtime.listNetworks({ [LABEL_RUN]: runId }).catch(() => []));
}

async function removeNetworks(runtime: ContainerRuntime, networks: { id: string; name: string }[]): Promise<string[]> {
  const removed: string[] = [];
  for (const n of networks) {
    // A network Docker will not remove (a container still attached) is left for a later sweep.
    if (await runtime.removeNetwork(n.id).then(() => true, () => false)) removed.push(n.name);
  }
  return removed;
}

/** Runs marked `running` whose owner process is gone (what `reconcile` marks stopped, what `cairn doctor` reports). */
export function findDeadRuns(store: Store): string[] {
  return store.listRuns().filter((r) => r.status === 'running' && !runIsLive(store, r.runId)).map((r) => r.runId);
}

/** Containers of this home whose run has no live owner (what `reconcile` removes); throws what the engine throws. */
export async function orphanedContainers(
  store: Store, runtime: ContainerRuntime, home: string,
): Promise<Awaited<ReturnType<ContainerRuntime['listContainers']>>> {
  return (await runtime.listContainers({ [LABEL_HOME]: homeLabel(home) })).filter(ownerless(store));
}

/**
 * Removes every container of one run (a resume, which now owns the run, sweeps what a dead owner left). Like
 * `reconcile`, a Docker hiccup never throws: the sweep stops and the problem is returned.
 */
export async function removeRunContainers(runtime: ContainerRuntime, runId: string): Promise<ReconcileProblem | undefined> {
  let containers: Awaited<ReturnType<ContainerRuntime['listContainers']>>;
  try {
    containers = await runtime.listContainers({ [LABEL_RUN]: runId });
  } catch (e) {
    return { during: 'list', engineText: errorText(e) };
  }
  for (const c of containers) {
    try {
      await runtime.removeContainer(c.id);
    } catch (e) {
      return { during: 'remove', engineText: errorText(e), containerId: c.id };
    }
  }
  return undefined;
}

/** Marks what was in flight when the run's owner died as interrupted / stopped (one transaction, in the store). */
export function markInterrupted(store: Store, runId: string): void {
  store.markInterrupted(runId, stepFailure('stopped', { when: 'interrupted' }), Date.now());
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
