import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { walkFiles } from '../cache/file-walk.js';
import { DEFAULT_HASH_CONCURRENCY, hashFiles, MemoryHashCache, treeHash, type HashCache } from '../cache/hasher.js';
import { info, type BenchFigure } from './bench-figure.js';
import { round } from './bench-services.js';

/**
 * (c) Hashing throughput per core against the machine's fastest SHA-256, and the cost of re-hashing an unchanged tree
 * through the stat cache. Writes ~1 GiB (¾ in 16 MiB files, ¼ in 128 KiB files) of pseudo-random bytes to a temp dir,
 * warms the page cache, then times, in ROUNDS rounds taking turns (each figure its best round): `openssl dgst -sha256`
 * over every file (one process; OpenSSL uses the CPU's SHA extensions), node's `createHash` reading the files one after
 * the other in this process (1 and 4 MiB reads; the faster counts), and cairn's hasher with one stream (walk + stat +
 * hash + tree hash, cold stat cache). "Per core" is bytes per CPU-second (user + system time of every thread; for
 * openssl, of its process): unlike wall-clock time it does not depend on how much of the machine other processes take,
 * and it charges a hasher for any thread it keeps busy besides the main one. Wall-clock rates are printed beside it.
 * Then the hasher with its default streams, cold and again over the unchanged files (warm stat cache).
 */
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

    const mib = (bytes / MiB).toFixed(0);
    const rate = (ms: number): number => bytes / MiB / (ms / 1000);
    // The one-core figures are taken round-robin, so that a load spike on a shared machine hits them alike.
    const [openssl, node4, node1, oneStream] = await bestInterleaved(ROUNDS, [
      () => timeOpenssl(files.map((f) => f.path)),
      async () => timeCreateHash(files, 4 * MiB),
      async () => timeCreateHash(files, MiB),
      () => timeHasher(dir, new MemoryHashCache(), 1),
    ]) as [Timing, Timing, Timing, Timing];
    const node = node1.cpuMs <= node4.cpuMs ? { ...node1, chunk: 1 } : { ...node4, chunk: 4 };
    let cache: HashCache = new MemoryHashCache();
    const fresh = (): HashCache => (cache = new MemoryHashCache());
    const cold = await best(3, async () => (await timeHasher(dir, fresh(), DEFAULT_HASH_CONCURRENCY)).wallMs);
    const warm = await best(5, async () => (await timeHasher(dir, cache, DEFAULT_HASH_CONCURRENCY)).wallMs);

    const opensslFaster = openssl.cpuMs <= node.cpuMs;
    const fastest = opensslFaster ? openssl : node;
    const perCore = fastest.cpuMs / oneStream.cpuMs;
    const rerun = warm / cold;
    const cpuRate = (name: string, t: Timing, scope: BenchFigure['scope']): BenchFigure[] => [
      info(`${name}: per CPU-second`, rate(t.cpuMs), 'MiB/s', scope, ROUNDS),
      info(`${name}: wall clock`, rate(t.wallMs), 'MiB/s', scope, ROUNDS),
    ];
    return [
      ...cpuRate(`openssl dgst -sha256, 1 process (${files.length} files, ${mib} MiB)`, openssl, 'whole-process'),
      ...cpuRate(`node createHash, files one after the other, readSync of ${node.chunk} MiB (the faster of 1 and 4 MiB)`, node, 'in-process'),
      ...cpuRate('cairn hasher, 1 stream, cold stat cache (walk + stat + hash + tree hash)', oneStream, 'in-process'),
      info(`cairn hasher, ${DEFAULT_HASH_CONCURRENCY} streams, cold stat cache: wall clock`, rate(cold), 'MiB/s', 'in-process', 3),
      { name: `cairn per core / fastest SHA-256 per core (${opensslFaster ? 'openssl' : 'createHash'}; CPU time)`, value: round(perCore, 3), unit: 'ratio',
        target: '>= 0.9', ok: perCore >= 0.9, scope: 'in-process', samples: ROUNDS },
      info('cairn per core / openssl (CPU time)', openssl.cpuMs / oneStream.cpuMs, 'ratio', 'in-process', ROUNDS),
      info('cairn per core / createHash (CPU time)', node.cpuMs / oneStream.cpuMs, 'ratio', 'in-process', ROUNDS),
      info(`cairn 1 stream / fastest (wall clock; on a loaded machine this measures the scheduler too)`, fastest.wallMs / oneStream.wallMs, 'ratio', 'in-process', ROUNDS),
      { name: 'rerun (warm stat cache) / first hash time', value: round(rerun, 4), unit: 'ratio', target: '<= 0.05', ok: rerun <= 0.05, scope: 'in-process', samples: 5 },
      info('rerun time (warm stat cache)', warm, 'ms', 'in-process', 5),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rounds of the one-core comparison (each runs every contender once; each figure is its best round). */
const ROUNDS = 5;

/** Best (lowest) wall and CPU time of each contender over `rounds` rounds, the contenders taking turns in a round. */
async function bestInterleaved(rounds: number, runs: (() => Promise<Timing>)[]): Promise<Timing[]> {
  const min = runs.map(() => ({ wallMs: Infinity, cpuMs: Infinity }));
  for (let r = 0; r < rounds; r++) {
    for (const [i, go] of runs.entries()) {
      const t = await go();
      const m = min[i] as Timing;
      min[i] = { wallMs: Math.min(m.wallMs, t.wallMs), cpuMs: Math.min(m.cpuMs, t.cpuMs) };
    }
  }
  return min;
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

/** Wall-clock and CPU time of one contender's pass over the files. */
interface Timing {
  wallMs: number;
  /** User + system CPU time of the whole process (every thread), or of the child process for openssl. */
  cpuMs: number;
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** `openssl dgst -sha256` over the files in one child process; its CPU time as bash's `time` reports it. */
async function timeOpenssl(files: string[]): Promise<Timing> {
  const t0 = performance.now();
  const stderr = await run('bash', ['-c', 'TIMEFORMAT="%3U %3S"; time openssl dgst -sha256 "$@" > /dev/null', 'bash', ...files]);
  const wallMs = performance.now() - t0;
  const [user, sys] = (stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  if (user === undefined || sys === undefined || !Number.isFinite(user + sys)) throw new Error(`openssl: no CPU time in ${JSON.stringify(stderr)}`);
  return { wallMs, cpuMs: (user + sys) * 1000 };
}

/** Runs a child process; its stderr. */
function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stderr) : reject(new Error(`${cmd} exited with ${code}: ${stderr}`))));
  });
}

/** node's createHash over every file, one after the other, synchronous reads of `chunk` bytes: one core, no overlap. */
function timeCreateHash(files: { path: string }[], chunk: number): Timing {
  const buffer = Buffer.allocUnsafe(chunk);
  const t0 = performance.now();
  const c0 = cpuNow();
  for (const f of files) {
    const h = createHash('sha256');
    const fd = openSync(f.path, 'r');
    try {
      for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) h.update(buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    h.digest('hex');
  }
  return { wallMs: performance.now() - t0, cpuMs: cpuNow() - c0 };
}

async function timeHasher(dir: string, cache: HashCache, concurrency: number): Promise<Timing> {
  const t0 = performance.now();
  const c0 = cpuNow();
  const walked = await walkFiles(dir);
  const hashed = await hashFiles(walked.files.map((f) => ({ path: f.abs })), cache, { concurrency });
  treeHash(hashed.map((h, i) => ({ path: walked.files[i]?.rel ?? '', hash: h.hash })));
  return { wallMs: performance.now() - t0, cpuMs: cpuNow() - c0 };
}
