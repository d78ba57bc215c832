import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { definitionTextHash, pulledPipelineName } from '../cache/pulled-store.js';
import { Store } from '../cache/store.js';
import { StoreFault } from '../cache/store-fault.js';
import { resolveHome } from '../contracts/home.js';

/**
 * The pipeline name `cairn pull` recorded for this definition file (cache/pulled-store.ts), if any: what `run` and
 * `plan` use when `--name` is not given. No home yet: none (a lookup never creates one); a store that cannot be
 * opened is left for the command's own opening to report.
 */
export function recordedPipelineName(file: string, text: string): string | undefined {
  const home = resolveHome();
  if (!existsSync(home.db)) return undefined;
  let store: Store | undefined;
  try {
    store = Store.open(home.db, { readOnly: true });
    return pulledPipelineName(store.db, resolve(file), definitionTextHash(text));
  } catch (e) {
    if (e instanceof StoreFault) return undefined;
    throw e;
  } finally {
    store?.close();
  }
}
