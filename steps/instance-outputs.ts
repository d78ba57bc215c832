import { lstat, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Gathers what every host of a multi-instance job wrote to one output into the first host's directory, which is then
 * committed as the job's output: SageMaker uploads each instance's output to the same prefix (Processing) and
 * aggregates every host's /opt/ml/model and /opt/ml/output/data into one archive (Training). Entries are moved, not
 * copied or followed (a link stays a link, checked when the output is committed). Hosts are merged in order, so where
 * two hosts wrote the same path the later host's file is kept, as SageMaker's local mode does; those paths are
 * returned (relative, `/`-separated) for a warning.
 */
export async function mergeHostOutputs(dirs: readonly string[]): Promise<{ dir: string; clashes: string[] }> {
  const [first, ...rest] = dirs;
  if (first === undefined) throw new Error('mergeHostOutputs: no directories');
  const clashes: string[] = [];
  for (const dir of rest) await moveInto(dir, first, '', clashes);
  return { dir: first, clashes };
}

async function moveInto(src: string, dest: string, rel: string, clashes: string[]): Promise<void> {
  // A host that never got to make its directory (it was stopped first) wrote nothing.
  const entries = await readdir(src, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const from = join(src, entry.name);
    const to = join(dest, entry.name);
    const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
    const there = await lstat(to).catch(() => undefined);
    if (there === undefined) {
      await rename(from, to);
    } else if (entry.isDirectory() && there.isDirectory()) {
      await moveInto(from, to, path, clashes);
    } else {
      clashes.push(path);
      await rm(to, { recursive: true, force: true });
      await rename(from, to);
    }
  }
}
