import { Store } from '../cache/store.js';
import { resolveHome, type Home } from '../contracts/home.js';

/**
 * Opens the store under the home: all that `runs`, `show`, `logs`, `explain`, `metrics`… need. Its own module, so
 * those commands load SQLite only, not the Docker client and executors that cli/services.ts brings.
 */
export function openStore(home: Home = resolveHome()): Store {
  return Store.open(home.db);
}
