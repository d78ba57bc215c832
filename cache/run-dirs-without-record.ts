import { readdirSync } from 'node:fs';
import type { Home } from '../contracts/home.js';
import type { Store } from './store.js';

/**
 * Run directories under `<home>/runs` whose run the database does not know: what is left of a run whose record was
 * lost, e.g. with a cairn.db-wal file deleted or damaged after a crash (SQLite then drops the transactions the WAL
 * held). Sorted by name; none when there is no runs directory. `cairn runs` mentions them and `cairn doctor` lists them.
 */
export function runDirsWithoutRecord(home: Pick<Home, 'runsDir'>, store: Pick<Store, 'getRun'>): string[] {
  let names: string[];
  try {
    names = readdirSync(home.runsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.filter((id) => store.getRun(id) === undefined).sort();
}
