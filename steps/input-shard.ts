import { rm, stat } from 'node:fs/promises';
import { walkFiles } from '../cache/file-walk.js';
import { compareCodePoints } from '../kernel/python-json.js';

/** Which host of how many a sharded input is staged for (index 0: `algo-1`). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * ShardedByS3Key: the objects host `index` of `count` gets. SageMaker documents only that each of n instances gets
 * about 1/n of the objects; cairn deals them round-robin over the keys in S3's listing order (UTF-8 byte order, which
 * code point order equals), so every host gets ⌊k/n⌋ or ⌈k/n⌉ of k objects and the split is the same on every run.
 */
export function shardOf<T extends string>(keys: readonly T[], shard: Shard): T[] {
  return [...keys].sort(compareCodePoints).filter((_, i) => i % shard.count === shard.index);
}

/**
 * Keeps in a staged input (a private copy: its files are the job's own) only the objects of `shard`, removing the
 * others; returns the kept relative paths (sorted). A staged single object is kept by host 0 only.
 */
export async function keepShard(stagedDir: string, shard: Shard): Promise<string[]> {
  if (!(await stat(stagedDir)).isDirectory()) {
    if (shard.index !== 0) await rm(stagedDir, { force: true });
    return [];
  }
  const { files } = await walkFiles(stagedDir);
  const keep = new Set(shardOf(files.map((f) => f.rel), shard));
  for (const f of files) if (!keep.has(f.rel)) await rm(f.abs, { force: true });
  return [...keep].sort(compareCodePoints);
}
