import { lstat, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { create } from 'tar';

/** Fixed mtime of every entry: the archive depends only on names, modes and bytes. */
const EPOCH = new Date(0);

/**
 * Packs the contents of `dir` (not the directory itself) into a gzip tar at `dest` that is byte-identical for the same
 * tree: entries sorted bytewise by path, directories included, mtime 0, no uid/gid/uname/atime/ctime (`portable`),
 * symlinks stored as links. SageMaker's model.tar.gz has the same layout (paths relative to /opt/ml/model).
 */
export async function packDirectoryDeterministic(dir: string, dest: string): Promise<void> {
  const entries = await listTree(dir);
  // node-tar refuses an empty list; an empty tar is two zero blocks.
  if (entries.length === 0) return writeFile(dest, gzipSync(Buffer.alloc(1024), { level: 6 }));
  await create(
    {
      file: dest,
      cwd: dir,
      gzip: { level: 6 },
      portable: true,
      mtime: EPOCH,
      noDirRecurse: true,
      strict: true,
    },
    entries,
  );
}

/** Every path under `root`, relative, `/`-separated, sorted bytewise (a parent sorts before its children). */
async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const names = (await readdir(rel === '' ? root : join(root, rel))).sort(compareBytes);
    for (const name of names) {
      const child = rel === '' ? name : `${rel}/${name}`;
      out.push(child);
      const st = await lstat(join(root, child));
      if (st.isDirectory()) await walk(child);
    }
  };
  await walk('');
  return out.sort(compareBytes);
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
