import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keepShard, shardOf } from '../../steps/input-shard.js';
import { listTree, makeTemp } from '../cache/temp-home.js';

const tmp = makeTemp('cairn-shard-');
afterAll(() => tmp.cleanup());

describe('ShardedByS3Key', () => {
  it('deals the keys round-robin in S3 listing order (code points): every host gets ⌊k/n⌋ or ⌈k/n⌉', () => {
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    expect([0, 1, 2].map((index) => shardOf(keys, { index, count: 3 }))).toEqual([['k0', 'k3', 'k6', 'k9'], ['k1', 'k4', 'k7'], ['k2', 'k5', 'k8']]);
    // Byte order, not locale order: "B" < "a" < "b/x" < "é".
    expect(shardOf(['é', 'b/x', 'a', 'B'], { index: 0, count: 2 })).toEqual(['B', 'b/x']);
    expect(shardOf(['é', 'b/x', 'a', 'B'], { index: 1, count: 2 })).toEqual(['a', 'é']);
    expect(shardOf(['only'], { index: 1, count: 2 })).toEqual([]);
  });

  it('keeps only the host\'s share of a staged copy, nested keys included', async () => {
    const dir = join(tmp.dir, 'staged');
    for (const rel of ['a.csv', 'sub/b.csv', 'sub/c.csv', 'd.csv']) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), rel);
    }
    expect(await keepShard(dir, { index: 1, count: 2 })).toEqual(['d.csv', 'sub/c.csv']);
    expect(listTree(dir)).toEqual(['d.csv', 'sub/c.csv']);
    expect(readdirSync(dir).sort()).toEqual(['d.csv', 'sub']);
  });
});
