import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../kernel/result.js';
import { CAIRN_CONFIG_FILE, emptyCairnConfig, parseCairnConfig, type CairnConfig } from './cairn-config.js';

/**
 * Reads `<dir>/cairn.json` (the one place that does): a missing file is an empty configuration; an unreadable or
 * malformed one an error naming the file, the JSON path and the fix.
 */
export async function loadCairnConfig(dir: string): Promise<Result<CairnConfig, string>> {
  const file = join(dir, CAIRN_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok(emptyCairnConfig());
    return err(`${file} could not be read (${(e as Error).message}); check its permissions.`);
  }
  return parseCairnConfig(text, file);
}
