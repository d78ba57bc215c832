import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve(import.meta.dirname, '../../dist/cli/main.js');
export const PY_IMAGE = 'cairn-local/python:3.11-numpy';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A scratch working directory with its own cairn home, removed by `dispose`. */
export class Workspace {
  readonly dir: string;
  readonly home: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'cairn-e2e-'));
    this.home = join(this.dir, '.cairn');
  }

  write(rel: string, content: string | object): string {
    const p = join(this.dir, rel);
    mkdirSync(resolve(p, '..'), { recursive: true });
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return p;
  }

  /** Puts a file into the embedded object store at s3://<bucket>/<key>. */
  putS3(bucket: string, key: string, content: string): void {
    this.write(join('.cairn', 's3', bucket, key), content);
  }

  spawn(args: string[]): ChildProcess {
    return spawn(process.execPath, [CLI, ...args], {
      cwd: this.dir,
      env: { ...process.env, CAIRN_HOME: this.home, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  run(args: string[]): Promise<CliResult> {
    return collect(this.spawn(args));
  }

  async json<T = RunJson>(args: string[]): Promise<{ result: CliResult; json: T }> {
    const result = await this.run(args);
    try {
      return { result, json: JSON.parse(result.stdout) as T };
    } catch {
      throw new Error(`not JSON (exit ${String(result.code)}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
    }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
}

export interface RunJson {
  runId: string;
  status: string;
  steps: { name: string; status: string; reused: boolean; attempts: number; exitCode?: number; failureReason?: string }[];
}

/** `{name: [status, reused]}` for compact assertions. */
export function summary(j: RunJson): Record<string, string> {
  return Object.fromEntries(j.steps.map((s) => [s.name, `${s.status}${s.reused ? ' (reused)' : ''}`]));
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
