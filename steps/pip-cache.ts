import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A file the launcher writes into the install directory once `pip install --target` succeeded. */
export const COMPLETE_MARKER = '.cairn-complete';

/**
 * cairn's cache of requirements.txt installs (script mode on images without the toolkit), under `<home>/pip-cache/`:
 * one directory per (image id, sha256 of requirements.txt), filled by `pip install --target` in a job container the
 * first time, then mounted read-only on PYTHONPATH by every later run. An install is built in a `.tmp-…` directory
 * and renamed into place only when the launcher marked it complete, so a killed or failed install leaves nothing that
 * looks finished.
 */
export interface PipCacheSlot {
  key: string;
  /** Host directory to mount at the launcher's `--pip-target`. */
  hostPath: string;
  /** True: already installed (mount read-only, no pip). False: install into `hostPath` now (mount writable). */
  ready: boolean;
  /** After the container: promotes a completed install, removes an incomplete one. */
  finish(): Promise<void>;
}

export function pipCacheRoot(home: string): string {
  return join(home, 'pip-cache');
}

export async function pipCacheKey(imageId: string, requirementsFile: string): Promise<string> {
  const req = createHash('sha256').update(await readFile(requirementsFile)).digest('hex');
  return createHash('sha256').update(`cairn-pip-cache-v1\n${imageId}\n${req}\n`).digest('hex');
}

export async function pipCacheSlot(home: string, key: string): Promise<PipCacheSlot> {
  const root = pipCacheRoot(home);
  const final = join(root, key);
  if (await isDir(final)) return { key, hostPath: final, ready: true, finish: async () => undefined };
  const tmp = join(root, `.tmp-${key.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp, { recursive: true });
  return {
    key,
    hostPath: tmp,
    ready: false,
    async finish() {
      const complete = await stat(join(tmp, COMPLETE_MARKER)).then(
        () => true,
        () => false,
      );
      if (complete && !(await isDir(final))) {
        try {
          await rename(tmp, final);
          return;
        } catch {
          // another run finished the same install first: keep theirs
        }
      }
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
