import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalArtifactStore } from '../cache/artifact-store.js';
import { blobPath, linkOrCopy } from '../cache/cas.js';
import { mapLimit, MemoryHashCache } from '../cache/hasher.js';
import { copyPrivate, STAGED_BLOB_MODE } from '../cache/stage-copy.js';
import type { RecordedOutput } from '../contracts/artifacts.js';
import { info, type BenchFigure } from './bench-figure.js';
import { median } from './bench-services.js';

/**
 * (k) What staging an input costs now that a job gets private copies (cache/stage-copy.ts: a reflink where the
 * filesystem allows it, a plain copy on ext4) instead of hard links into the content store. For each shape (N MiB in
 * M files, committed as an upstream output first, page cache warm), the median of `samples` stagings of:
 * - `stageInput` as a step does it: every blob verified (checkBlob) through a warm stat cache, then copied;
 * - the same with a cold stat cache (the first staging of a blob: it is hashed once, then remembered);
 * - the copies alone, and the hard links the old staging made (same concurrency, no verification), side by side.
 */
const MiB = 1024 * 1024;
const CONCURRENCY = 16; // cache/artifact-store.ts COPY_CONCURRENCY, as the old LINK_CONCURRENCY was

export interface StagingShape {
  mib: number;
  files: number;
}

export async function runStagingBench(opts: { shapes: StagingShape[]; samples: number; log?: (line: string) => void }): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const shape of opts.shapes) figures.push(...(await stagingShape(shape, opts.samples, opts.log)));
  return figures;
}

async function stagingShape(shape: StagingShape, samples: number, log?: (line: string) => void): Promise<BenchFigure[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-staging-bench-'));
  try {
    const home = path.join(dir, 'home');
    const warmCache = new MemoryHashCache();
    const store = new LocalArtifactStore(home, warmCache);
    const rec = await commitShape(store, path.join(dir, 'out'), shape);
    const uri = 's3://bench/upstream/out';
    let n = 0;
    const fresh = (): string => path.join(dir, 'stage', String(n++));
    const stage = async (s: LocalArtifactStore): Promise<void> => {
      const r = await s.stageInput(uri, fresh(), [rec]);
      if (!r.ok) throw new Error(`staging failed: ${JSON.stringify(r.error)}`);
    };
    const files = rec.files.map((f) => ({ blob: blobPath(home, f.hash), rel: f.path }));
    const each = async (put: (blob: string, target: string) => Promise<void>): Promise<void> => {
      const root = fresh();
      await mapLimit(files, CONCURRENCY, async (f) => {
        const target = path.join(root, ...f.rel.split('/'));
        mkdirSync(path.dirname(target), { recursive: true });
        await put(f.blob, target);
      });
    };
    await stage(store); // warms the stat cache and the page cache
    const timed = async (what: string, run: () => Promise<void>): Promise<number> => {
      const ms: number[] = [];
      for (let i = 0; i < samples; i++) {
        const t0 = performance.now();
        await run();
        ms.push(performance.now() - t0);
        rmSync(path.join(dir, 'stage'), { recursive: true, force: true });
      }
      log?.(`  ${shape.mib} MiB in ${shape.files} files, ${what}: ${ms.map((m) => m.toFixed(1)).join(', ')} ms`);
      return median(ms);
    };
    const verified = await timed('stageInput (verify + copy), warm stat cache', () => stage(store));
    const cold = await timed('stageInput (verify + copy), cold stat cache', () => stage(new LocalArtifactStore(home, new MemoryHashCache())));
    const copied = await timed('copies only', () => each((blob, target) => copyPrivate(blob, target, STAGED_BLOB_MODE)));
    const linked = await timed('hard links only (the old staging)', () => each(linkOrCopy));
    const label = `${shape.mib} MiB in ${shape.files} files`;
    return [
      info(`staging ${label}: stageInput (verify + copy, warm stat cache)`, verified, 'ms', 'in-process', samples),
      info(`staging ${label}: stageInput (verify + copy, cold stat cache)`, cold, 'ms', 'in-process', samples),
      info(`staging ${label}: copies only`, copied, 'ms', 'in-process', samples),
      info(`staging ${label}: hard links only (before)`, linked, 'ms', 'in-process', samples),
      info(`staging ${label}: stageInput (warm) / hard links`, verified / linked, 'ratio', 'in-process', samples),
      info(`staging ${label}: copy throughput`, shape.mib / (copied / 1000), 'MiB/s', 'in-process', samples),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `shape.files` files of equal size (distinct bytes), in directories of 64, committed as an upstream output. */
async function commitShape(store: LocalArtifactStore, out: string, shape: StagingShape): Promise<RecordedOutput> {
  const size = Math.max(1, Math.floor((shape.mib * MiB) / shape.files));
  const pool = randomBytes(Math.min(size + shape.files * 16, 64 * MiB + size));
  for (let i = 0; i < shape.files; i++) {
    const sub = path.join(out, `d${Math.floor(i / 64)}`);
    if (i % 64 === 0) mkdirSync(sub, { recursive: true });
    const off = (i * 16) % Math.max(1, pool.length - size);
    writeFileSync(path.join(sub, `part-${i}.bin`), pool.subarray(off, off + size));
  }
  const r = await store.commitDirectory('out', out, 's3://bench/upstream/out');
  if (!r.ok) throw new Error(`commit failed: ${JSON.stringify(r.error)}`);
  return r.value;
}
