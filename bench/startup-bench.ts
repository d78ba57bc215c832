import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../cache/store.js';
import type { BenchFigure } from './bench-figure.js';
import { median, round } from './bench-services.js';

/**
 * (e) Start-up, whole process: `cairn --help` and `cairn runs` (over a home whose store exists and is empty) against
 * `node -e 0`, in paired rounds (each round runs the three once, in a rotating order, so load from elsewhere on the
 * machine falls on all of them alike). Figures: the median wall time of each and the ratio of medians (target ≤ 2×);
 * the CPU time of each (user + system, from the kernel's count of waited-for children) as information.
 */
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** CPU time of this process's waited-for children so far (Linux /proc; NaN elsewhere). */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command name start at field 3 (state); cutime and cstime are fields 16 and 17.
    const ticks = Number(fields[13]) + Number(fields[14]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const cpu0 = childrenCpuMs();
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
      else resolve({ wallMs, cpuMs: childrenCpuMs() - cpu0 });
    });
  });
}

export async function runStartupBench(opts: { rounds?: number; log?: (line: string) => void } = {}): Promise<BenchFigure[]> {
  const rounds = opts.rounds ?? 15;
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-startup-'));
  try {
    const home = path.join(dir, '.cairn');
    Store.open(path.join(home, 'cairn.db')).close();
    const env = { ...process.env, CAIRN_HOME: home };
    const cases: [string, string[]][] = [['node -e 0', ['-e', '0']], ['cairn --help', [CLI, '--help']], ['cairn runs', [CLI, 'runs']]];
    const samples = new Map<string, Sample[]>(cases.map(([name]) => [name, []]));
    for (const [, args] of cases) await timeProcess(args, env); // warm the page cache
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < cases.length; k++) {
        const [name, args] = cases[(r + k) % cases.length] as [string, string[]];
        samples.get(name)?.push(await timeProcess(args, env));
      }
    }
    const wall = (name: string): number => median((samples.get(name) ?? []).map((s) => s.wallMs));
    const cpu = (name: string): number => median((samples.get(name) ?? []).map((s) => s.cpuMs));
    const base = wall('node -e 0');
    for (const [name] of cases) log(`  ${name}: wall median ${wall(name).toFixed(0)} ms, cpu median ${cpu(name).toFixed(0)} ms (${rounds} samples)`);
    const figures: BenchFigure[] = [
      { name: `node -e 0 wall (median)`, value: round(base, 0), unit: 'ms', target: 'info', ok: true, scope: 'whole-process', samples: rounds },
      { name: `node -e 0 cpu (median)`, value: round(cpu('node -e 0'), 0), unit: 'ms', target: 'info', ok: true, scope: 'whole-process', samples: rounds },
    ];
    for (const name of ['cairn --help', 'cairn runs']) {
      const ratio = wall(name) / base;
      figures.push(
        { name: `${name} wall (median)`, value: round(wall(name), 0), unit: 'ms', target: 'info', ok: true, scope: 'whole-process', samples: rounds },
        { name: `${name} cpu (median)`, value: round(cpu(name), 0), unit: 'ms', target: 'info', ok: true, scope: 'whole-process', samples: rounds },
        { name: `${name} / node -e 0 wall (paired)`, value: round(ratio, 2), unit: '×', target: '<= 2', ok: ratio <= 2, scope: 'whole-process', samples: rounds },
      );
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
