import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { homeLabel } from '../../containers/labels.js';
import { Store } from '../../cache/store.js';
import type { DoctorReport } from '../../contracts/doctor-report.js';
import { outRef, pyStep } from '../e2e/fixtures.js';
import { CLI, collect, waitFor, Workspace, type CliResult, type RunJson } from '../e2e/harness.js';

type Json = Record<string, unknown>;
const py = (lines: string[]): string => lines.join('\n');

/**
 * The chaos suite's pipeline, on the local python image: Prep (cleans an input into a file and four parts) → Train
 * (a 64 KiB "model" derived from Prep's bytes, after sleeping `TrainSleep` seconds) → Eval (reads the model and
 * Prep's parts). Every output byte depends on every byte upstream: a step fed damaged data writes other outputs.
 */
export function chaosDefinition(): Json {
  const prep = pyStep('Prep', py([
    'import os', "rows = [l.strip().lower() for l in open('/opt/ml/processing/input/raw/data.csv') if l.strip()]",
    "out = '/opt/ml/processing/output/clean'", "os.makedirs(out + '/parts', exist_ok=True)",
    "open(out + '/data.csv', 'w').write('\\n'.join(rows) + '\\n')",
    'for i in range(4):', "    open(out + f'/parts/p{i}.csv', 'w').write('\\n'.join(rows[i::4]) + '\\n')",
  ]), [['raw', 's3://chaos/input/data.csv']], ['clean']);
  const train = pyStep('Train', py([
    'import hashlib, json, sys, time', 'time.sleep(float(sys.argv[1]))', "d = open('/opt/ml/processing/input/clean/data.csv', 'rb').read()",
    "w = b''.join(hashlib.sha256(d + bytes([i % 256, i // 256])).digest() for i in range(2048))",
    "open('/opt/ml/processing/output/model/weights.bin', 'wb').write(w)",
    "json.dump({'rows': d.count(b'\\n'), 'sha': hashlib.sha256(d).hexdigest()}, open('/opt/ml/processing/output/model/meta.json', 'w'), sort_keys=True)",
  ]), [['clean', outRef('Prep', 'clean')]], ['model']);
  (train.Arguments as Json & { AppSpecification: Json }).AppSpecification.ContainerArguments = [
    { 'Std:Join': { On: '', Values: [{ Get: 'Parameters.TrainSleep' }] } },
  ];
  const evaluate = pyStep('Eval', py([
    'import hashlib, json, os', "w = open('/opt/ml/processing/input/model/weights.bin', 'rb').read()",
    "parts = {p: hashlib.sha256(open('/opt/ml/processing/input/clean/parts/' + p, 'rb').read()).hexdigest() for p in sorted(os.listdir('/opt/ml/processing/input/clean/parts'))}",
    "json.dump({'weights': hashlib.sha256(w).hexdigest(), 'size': len(w), 'parts': parts}, open('/opt/ml/processing/output/report/report.json', 'w'), sort_keys=True)",
  ]), [['model', outRef('Train', 'model')], ['clean', outRef('Prep', 'clean')]], ['report']);
  // TrainSleep (seconds) holds Train running, so a test can interrupt the run there.
  const parameters = [{ Name: 'TrainSleep', Type: 'Float', DefaultValue: 0 }];
  return { Version: '2020-12-01', Metadata: {}, Parameters: parameters, Steps: [prep, train, evaluate] };
}

/** ~40 KiB of deterministic input rows. */
export function chaosInput(): string {
  const rows: string[] = [];
  for (let i = 0; i < 1200; i++) rows.push(`Row-${i},${createHash('sha256').update(String(i)).digest('hex').slice(0, 24)}`);
  return rows.join('\n') + '\n';
}

/** A workspace holding the chaos pipeline and its input. */
export function chaosWorkspace(): Workspace {
  const ws = new Workspace();
  ws.putS3('chaos', 'input/data.csv', chaosInput());
  ws.write('pipeline.json', chaosDefinition());
  return ws;
}

/** Each step's recorded outputs of a run as `step/output/path → sha256`: what a run produced, reused or not. */
export function recordedBytes(home: string, runId: string): Record<string, string> {
  const store = Store.open(`${home}/cairn.db`);
  try {
    const out: Record<string, string> = {};
    for (const step of store.getSteps(runId)) {
      for (const o of store.getOutputs(runId, step.name)) for (const f of o.files) out[`${step.name}/${o.name}/${f.path}`] = f.hash;
    }
    return out;
  } finally {
    store.close();
  }
}

export async function doctorReport(ws: Workspace, repair = false): Promise<DoctorReport> {
  const r = await ws.json<DoctorReport>(['doctor', '--json', ...(repair ? ['--repair'] : [])]);
  return r.json;
}

/** Ids of the containers (running or not) labelled with this workspace's home. */
export function homeContainers(ws: Workspace): string[] {
  const out = execFileSync('docker', ['ps', '-aq', '--filter', `label=org.cairn.home=${homeLabel(ws.home)}`]).toString().trim();
  return out === '' ? [] : out.split('\n');
}

/**
 * `cairn <args>` under strace, which sends SIGKILL to the process at the `when`-th call of `syscall` by one thread
 * (strace counts per thread): with one libuv pool thread, the N-th asynchronous file operation is the same each time.
 */
export function runUnderStrace(ws: Workspace, syscall: string, when: number, args: string[]): Promise<CliResult> {
  const child = spawn('strace', ['-f', '-qq', '-o', '/dev/null', '-e', `trace=${syscall}`, '-e', `inject=${syscall}:signal=SIGKILL:when=${when}`, process.execPath, CLI, ...args], {
    cwd: ws.dir, env: { ...process.env, CAIRN_HOME: ws.home, FORCE_COLOR: '0', UV_THREADPOOL_SIZE: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

/** The run id that `cairn run` printed first (plain output), if it got that far. */
export function printedRunId(stdout: string): string | undefined {
  return /run ([a-z0-9]{12}) /.exec(stdout)?.[1];
}

/** Starts `cairn run` (plain output) and returns its run id once printed, with the child and its end. */
export async function startRun(ws: Workspace, args: string[]): Promise<{ id: string; child: ReturnType<Workspace['spawn']>; done: Promise<CliResult> }> {
  const child = ws.spawn(['run', 'pipeline.json', ...args]);
  const done = collect(child);
  let seen = '';
  child.stdout?.on('data', (d: Buffer) => { seen += d.toString(); });
  const id = await waitFor('the run id', () => printedRunId(seen));
  return { id, child, done };
}

/** Waits until `step` of the run is running (as `cairn show --json` says). */
export async function stepRunning(ws: Workspace, runId: string, step: string): Promise<void> {
  await waitFor(`${step} running`, async () => {
    const r = await ws.run(['show', runId, '--json']);
    if (r.code !== 0) return undefined;
    return (JSON.parse(r.stdout) as RunJson).steps.find((s) => s.name === step)?.status === 'running' ? true : undefined;
  });
}

/** Host path of a run's output file in the s3/ view (test-bucket/runs/<run>/<step>/<output>/<rel>). */
export function viewFile(ws: Workspace, runId: string, rel: string): string {
  return `${ws.home}/s3/test-bucket/runs/${runId}/${rel}`;
}

/** The chaos pipeline's Prep followed by `step` instead of Train and Eval. */
export function pipelineWith(step: Json): Json {
  const def = chaosDefinition() as { Steps: Json[] };
  return { ...def, Steps: [def.Steps[0]!, step] };
}

/** `cairn <args>` with extra environment variables. */
export function runWithEnv(ws: Workspace, args: string[], env: Record<string, string>): Promise<CliResult> {
  return collect(spawn(process.execPath, [CLI, ...args], {
    cwd: ws.dir, env: { ...process.env, CAIRN_HOME: ws.home, FORCE_COLOR: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  }));
}

/** The recorded bytes of a clean run of the chaos pipeline in a fresh home: what every scenario must end with. */
export async function cleanRunBytes(): Promise<Record<string, string>> {
  const ws = chaosWorkspace();
  try {
    const r = await ws.json(['run', 'pipeline.json', '--json']);
    if (r.json.status !== 'succeeded') throw new Error(`the clean run of the chaos pipeline failed:\n${r.result.stderr}`);
    return recordedBytes(ws.home, r.json.runId);
  } finally {
    ws.dispose();
  }
}
