import { Store } from '../cache/store.js';
import { StoreFault } from '../cache/store-fault.js';
import { resolveHome, type Home } from '../contracts/home.js';
import { reconcile } from '../engine/run/reconcile.js';

/**
 * Opens the store under the home: all that `runs`, `show`, `logs`, `explain`, `metrics`… need. Its own module, so
 * those commands load SQLite only, not the Docker client and executors that cli/services.ts brings.
 */
export function openStore(home: Home = resolveHome()): Store {
  return Store.open(home.db);
}

/**
 * The store for a command that only reads (`runs`, `show`, `explain`, `metrics`, `logs`, `compare`, `experiments`,
 * `models list`…): on a full disk it still opens (cache/store-open.ts `readOnly`).
 */
export function openReadOnlyStore(home: Home = resolveHome()): Store {
  return Store.open(home.db, { readOnly: true });
}

/**
 * Settles runs whose owner died (reconcile without Docker: containers are swept by the next run). On a full disk the
 * marks cannot be written: the runs are shown as they are recorded, and a later run or resume settles them.
 */
export async function settleRuns(store: Store, home: Home): Promise<void> {
  try {
    await reconcile(store, undefined, home.root);
  } catch (e) {
    if (!(e instanceof StoreFault && e.problem.kind === 'full')) throw e;
  }
}
