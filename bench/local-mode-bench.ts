import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchFigure } from './bench-figure.js';
import { median, round } from './bench-services.js';
import { setUpLocalMode, type LocalModeTools } from './local-mode-setup.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const CLI = resolve(HERE, '../cli/main.js');
/** The Python source lives next to the bench's TypeScript (bench/local-mode/), also when the bench runs from dist/. */
const SCRIPT = resolve(HERE, HERE.includes('/dist/') ? '../../bench/local-mode/four_step_pipeline.py' : 'local-mode/four_step_pipeline.py');
const TARGET = 0.1;

interface Timed { ms: number; code: number | null; stdout: string; out: string }

function timed(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Timed {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - t0, code: r.status, stdout: r.stdout, out: `${r.stdout}${r.stderr}` };
}

function must(what: string, r: Timed, code: number): Timed {
  if (r.code !== code) throw new Error(`${what} exited ${String(r.code)}, not ${code}: ${r.out.trim().split('\n').slice(-5).join(' | ')}`);
  return r;
}

/**
 * (i) The same 4-step pipeline (bench/local-mode/four_step_pipeline.py: Prepare → FeaturesA, FeaturesB → Train, data
 * passed through S3) run by the SageMaker Python SDK v2's own local mode (LocalPipelineSession, docker compose, moto
 * as its S3) and by `cairn run` of the definition the same script writes with a PipelineSession, whole process each:
 * cold (cairn: a fresh home), unchanged (the same again), and recovery after a failing last step (FailLast=1 fails
 * Train; then the fixed run, FailLast=0: local mode runs all four steps again, cairn reuses three and runs Train).
 * Figures: each side's median wall time and the ratio cairn / local mode (targets ≤ 0.1 each). When local mode cannot
 * run here, the bench fails with the reason instead of a figure.
 */
export async function runLocalModeBench(opts: { rounds: number; log: (l: string) => void }): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-local-mode-'));
  const tools = await setUpLocalMode(dir, opts.log);
  if ('why' in tools) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`SageMaker local mode cannot run here: ${tools.why}`);
  }
  try {
    must('the SDK writing the definition', timed(tools.python, [SCRIPT], dir, { ...tools.env, CAIRN_DEFINITION_OUT: join(dir, 'pipeline.json') }), 0);
    const samples = { cold: [[], []], unchanged: [[], []], recovery: [[], []] } as Record<string, [number[], number[]]>;
    for (let round = 0; round < opts.rounds; round++) {
      const lm = localMode(tools, dir);
      const cairn = cairnRuns(dir, round);
      push(samples, 'cold', cairn.cold, lm.cold);
      push(samples, 'unchanged', cairn.unchanged, lm.unchanged);
      push(samples, 'recovery', cairn.recovery, lm.recovery);
      opts.log(`  round ${round + 1}: local mode ${fmt(lm)}; cairn ${fmt(cairn)}`);
    }
    const figures: BenchFigure[] = [];
    for (const [name, [cairn, lm]] of Object.entries(samples)) {
      const c = median(cairn);
      const l = median(lm);
      const ratio = c / l;
      figures.push(
        { name: `${name}: SageMaker local mode wall (median)`, value: round(l / 1000, 2), unit: 's', target: 'info', ok: true, scope: 'whole-process', samples: lm.length },
        { name: `${name}: cairn run wall (median)`, value: round(c / 1000, 2), unit: 's', target: 'info', ok: true, scope: 'whole-process', samples: cairn.length },
        { name: `${name}: cairn / local mode`, value: round(ratio, 3), unit: 'ratio', target: `≤ ${TARGET}`, ok: ratio <= TARGET, scope: 'whole-process', samples: cairn.length },
      );
    }
    return figures;
  } finally {
    tools.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Three { cold: number; unchanged: number; recovery: number }

const fmt = (t: Three): string => `cold ${(t.cold / 1000).toFixed(2)} s, unchanged ${(t.unchanged / 1000).toFixed(2)} s, recovery ${(t.recovery / 1000).toFixed(2)} s`;

function push(samples: Record<string, [number[], number[]]>, key: string, cairn: number, lm: number): void {
  samples[key]?.[0].push(cairn);
  samples[key]?.[1].push(lm);
}

/** Local mode keeps no state between executions: every run, the fixed one after a failure too, runs all four steps. */
function localMode(tools: LocalModeTools, dir: string): Three {
  const run = (failLast: number, code: number): number =>
    must(`local mode (FailLast=${failLast})`, timed(tools.python, [SCRIPT], dir, { ...tools.env, CAIRN_LOCAL_MODE: '1', CAIRN_FAIL_LAST: String(failLast) }), code).ms;
  const cold = run(0, 0);
  const unchanged = run(0, 0);
  run(1, 1);
  return { cold, unchanged, recovery: run(0, 0) };
}

function cairnRuns(dir: string, round: number): Three {
  const cli = (home: string, args: string[], code: number): Timed => must(`cairn ${args.join(' ')}`,
    timed(process.execPath, [CLI, ...args, '--json'], dir, { ...process.env, CAIRN_HOME: join(dir, home) }), code);
  const steps = (r: Timed): { name: string; status: string; reused: boolean }[] => (JSON.parse(r.stdout) as { steps: { name: string; status: string; reused: boolean }[] }).steps;
  const cold = cli(`home-${round}`, ['run', 'pipeline.json'], 0);
  const unchanged = cli(`home-${round}`, ['run', 'pipeline.json'], 0);
  if (!steps(unchanged).every((s) => s.reused)) throw new Error('cairn did not reuse every step of the unchanged run');
  cli(`home-${round}-recovery`, ['run', 'pipeline.json', '--param', 'FailLast=1'], 1);
  const recovery = cli(`home-${round}-recovery`, ['run', 'pipeline.json'], 0);
  if (steps(recovery).filter((s) => !s.reused).map((s) => s.name).join() !== 'Train') throw new Error('cairn\'s recovery did not reuse the first three steps');
  return { cold: cold.ms, unchanged: unchanged.ms, recovery: recovery.ms };
}
