import path from 'node:path';
import { readdir, stat } from 'node:fs/promises';

/**
 * Recursive listing of the regular files under a directory.
 *
 * Symbolic links are followed (to files and to directories), the way `aws s3 sync` uploads them: what a link points
 * to is what a step would read through it. A link back to a directory already being walked (a cycle) is an error, as
 * is a dangling link. Sockets, FIFOs and devices are skipped: S3 cannot hold them and reading a FIFO would block.
 */
export interface WalkedFile {
  /** Path relative to the walked root, `/`-separated. */
  rel: string;
  /** Host path (through any symlinked directories). */
  abs: string;
  /** The last path component is itself a symlink: hard-link its realpath, not the link. */
  isLink: boolean;
}

export interface WalkResult {
  files: WalkedFile[];
  /** Some entry (file or directory) was reached through a symlink: the tree cannot be bind-mounted as it is. */
  sawSymlink: boolean;
}

export class WalkError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export async function walkFiles(root: string): Promise<WalkResult> {
  const files: WalkedFile[] = [];
  const state = { sawSymlink: false };
  const rootStat = await stat(root);
  await walkDir(root, '', new Set([`${rootStat.dev}:${rootStat.ino}`]), files, state);
  return { files, sawSymlink: state.sawSymlink };
}

async function walkDir(
  dir: string,
  relDir: string,
  ancestors: Set<string>,
  out: WalkedFile[],
  state: { sawSymlink: boolean },
): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const abs = path.join(dir, entry.name);
    const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
    const isLink = entry.isSymbolicLink();
    if (!isLink && !entry.isDirectory() && !entry.isFile()) continue;
    if (entry.isFile()) {
      out.push({ rel, abs, isLink: false }); // stat left to the hasher, which runs many at once
      continue;
    }
    if (isLink) state.sawSymlink = true;
    const st = await stat(abs).catch((e: NodeJS.ErrnoException) => {
      if (isLink && e.code === 'ENOENT') throw new WalkError(`${abs} is a symbolic link to nothing (dangling)`, abs);
      throw e;
    });
    if (st.isDirectory()) {
      const id = `${st.dev}:${st.ino}`;
      if (ancestors.has(id)) throw new WalkError(`${abs} is a symbolic link that loops back to a parent directory`, abs);
      ancestors.add(id);
      await walkDir(abs, rel, ancestors, out, state);
      ancestors.delete(id);
    } else if (st.isFile()) {
      out.push({ rel, abs, isLink });
    }
  }
}
