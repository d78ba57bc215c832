import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashFiles, MemoryHashCache } from '../../cache/hasher.js';
import { makeTemp } from './temp-home.js';

// The hasher reads and hashes synchronously on the main thread (issue 16, bench (c)); it must still let the event loop
// run every few MiB, also across many small files, so that a long hash does not stall the run's other work.

let tmp: ReturnType<typeof makeTemp>;
beforeEach(() => (tmp = makeTemp()));
afterEach(() => tmp.cleanup());

/** How many turns of the event loop happen while `work` runs. */
async function loopTurnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let stop = false;
  const tick = (): void => { if (!stop) { turns++; setImmediate(tick); } };
  setImmediate(tick);
  await work();
  stop = true;
  return turns;
}

describe('hashing lets the event loop run', () => {
  it('between the chunks of large files', async () => {
    const big = Buffer.alloc(12 * 1024 * 1024, 7);
    const files = ['a', 'b'].map((n) => path.join(tmp.dir, n));
    for (const f of files) writeFileSync(f, big);
    // 24 MiB at most 8 MiB between turns: at least two turns (three with the stat and commit around it).
    expect(await loopTurnsDuring(() => hashFiles(files.map((p) => ({ path: p })), new MemoryHashCache(), { concurrency: 1 }))).toBeGreaterThanOrEqual(2);
  });

  it('between many small files', async () => {
    mkdirSync(path.join(tmp.dir, 'small'));
    const files = Array.from({ length: 300 }, (_, i) => path.join(tmp.dir, 'small', `f${i}`));
    for (const f of files) writeFileSync(f, 'x');
    // 300 files of one byte, each counted as 64 KiB of work: ~19 MiB, so at least two turns.
    expect(await loopTurnsDuring(() => hashFiles(files.map((p) => ({ path: p })), new MemoryHashCache()))).toBeGreaterThanOrEqual(2);
  });
});
