import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { walkFiles } from '../cache/file-walk.js';
import { DEFAULT_HASH_CONCURRENCY, hashFiles, MemoryHashCache, treeHash, type HashCache } from '../cache/hasher.js';

/**
 * Hashing throughput against coreutils `sha256sum`, and the cost of re-hashing an unchanged tree through the stat
 * cache. Writes ~1 GiB (¾ in 16 MiB files, ¼ in 128 KiB files) of pseudo-random bytes to a temp dir, warms the page
 * cache, then times: `sha256sum` run as DEFAULT_HASH_CONCURRENCY parallel processes over halves of the files (the
 * same parallelism the hasher gets), the hasher with a cold stat cache (walk + stat + hash + tree hash), and the
 * hasher again over the unchanged files (warm stat cache). Best of a few runs each.
 */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  target: string;
  ok: boolean;
}

const MiB = 1024 * 1024;
const BIG = 16 * MiB;
const SMALL = 128 * 1024;

export async function runHashBench(opts: { totalBytes?: number } = {}): Promise<BenchFigure[]> {
  const total = opts.totalBytes ?? 1024 * MiB;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-hash-bench-'));
  try {
    const files = writeFiles(dir, Math.max(1, Math.round((total * 0.75) / BIG)), Math.round((total * 0.25) / SMALL));
    const bytes = files.reduce((n, f) => n + f.size, 0);
    for (const f of files) readFileSync(f.path); // warm the page cache

    const sums = await best(3, () => timeSha256sum(files, DEFAULT_HASH_CONCURRENCY));
    const single = await best(2, () => timeSha256sum(files, 1));
    let cache: HashCache = new MemoryHashCache();
    const cold = await best(3, async () => {
      cache = new MemoryHashCache();
      return timeHasher(dir, cache);
    });
    const warm = await best(5, () => timeHasher(dir, cache));

    const rate = (ms: number) => bytes / MiB / (ms / 1000);
    const ratio = rate(cold) / rate(sums);
    const rerun = warm / cold;
    return [
      info(`hasher throughput (${files.length} files, ${(bytes / MiB).toFixed(0)} MiB, cold stat cache)`, rate(cold)),
      info(`sha256sum throughput (${DEFAULT_HASH_CONCURRENCY} parallel processes)`, rate(sums)),
      info('sha256sum throughput (1 process)', rate(single)),
      { name: 'hasher / sha256sum throughput', value: round(ratio), unit: 'ratio', target: '>= 0.9', ok: ratio >= 0.9 },
      { name: 'rerun (warm stat cache) / first hash time', value: round(rerun, 4), unit: 'ratio', target: '<= 0.05', ok: rerun <= 0.05 },
      info('rerun time (warm stat cache)', warm, 'ms'),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function info(name: string, value: number, unit = 'MiB/s'): BenchFigure {
  return { name, value: round(value, 1), unit, target: 'info', ok: true };
}

function round(v: number, digits = 3): number {
  return Number(v.toFixed(digits));
}

async function best(times: number, run: () => Promise<number>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < times; i++) min = Math.min(min, await run());
  return min;
}

/** Files share one random pool at varying offsets, each with a distinct 16-byte header: fast and all distinct. */
function writeFiles(dir: string, bigCount: number, smallCount: number): { path: string; size: number }[] {
  const pool = randomBytes(64 * MiB);
  const out: { path: string; size: number }[] = [];
  const write = (p: string, size: number, i: number) => {
    const header = Buffer.alloc(16);
    header.writeUInt32LE(i, 0);
    header.write(p.slice(-12), 4);
    const off = ((i * 7919 * 4096) % (pool.length - size)) & ~4095;
    const fd = openSync(p, 'w');
    try {
      writeSync(fd, header);
      writeSync(fd, pool, off, size - header.length);
    } finally {
      closeSync(fd);
    }
    out.push({ path: p, size });
  };
  mkdirSync(path.join(dir, 'big'));
  for (let i = 0; i < bigCount; i++) write(path.join(dir, 'big', `part-${i}.bin`), BIG, i);
  for (let i = 0; i < smallCount; i++) {
    const sub = path.join(dir, 'small', `d${Math.floor(i / 64)}`);
    if (i % 64 === 0) mkdirSync(sub, { recursive: true });
    write(path.join(sub, `rec-${i}.bin`), SMALL, bigCount + i);
  }
  return out;
}

/** `sha256sum` over all files, split into `processes` groups of about equal bytes run at once. */
async function timeSha256sum(files: { path: string; size: number }[], processes: number): Promise<number> {
  const groups: string[][] = Array.from({ length: processes }, () => []);
  const load = new Array<number>(processes).fill(0);
  for (const f of files) {
    const g = load.indexOf(Math.min(...load));
    (groups[g] as string[]).push(f.path);
    load[g] = (load[g] as number) + f.size;
  }
  const t0 = performance.now();
  await Promise.all(groups.map((g) => run('sha256sum', g)));
  return performance.now() - t0;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}`))));
  });
}

async function timeHasher(dir: string, cache: HashCache): Promise<number> {
  const t0 = performance.now();
  const walked = await walkFiles(dir);
  const hashed = await hashFiles(walked.files.map((f) => ({ path: f.abs })), cache);
  treeHash(hashed.map((h, i) => ({ path: walked.files[i]?.rel ?? '', hash: h.hash })));
  return performance.now() - t0;
}
