import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pyStep } from '../e2e/fixtures.js';
import type { Workspace } from '../e2e/harness.js';
import { chaosWorkspace, doctorReport, pipelineWith, runWithEnv } from './chaos-pipeline.js';

/**
 * Secrets in the environment of the cairn process reach neither the store (cairn.db and its WAL, logs, the CAS, the
 * s3/ view) nor a job's container (a step that prints its whole environment into its log).
 */
let ws: Workspace;
beforeEach(() => { ws = chaosWorkspace(); });
afterEach(() => ws.dispose());

/** Every regular file under `dir` that contains `needle`. */
function filesContaining(dir: string, needle: Buffer): string[] {
  const found: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) found.push(...filesContaining(p, needle));
    else if (e.isFile() && readFileSync(p).includes(needle)) found.push(p);
  }
  return found;
}

describe('secrets of the cairn process environment', () => {
  it('are in no file of the home after a run whose job prints its environment', async () => {
    const secret = `chaos-secret-${randomBytes(8).toString('hex')}`;
    const env = pyStep('Env', "import os\nfor k, v in sorted(os.environ.items()): print(k, '=', v)\nopen('/opt/ml/processing/output/e/n.txt', 'w').write(str(len(os.environ)))", [], ['e']);
    ws.write('pipeline.json', pipelineWith(env));
    const r = await runWithEnv(ws, ['run', 'pipeline.json'], { AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: secret, CAIRN_CHAOS_TOKEN: secret });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(filesContaining(ws.home, Buffer.from(secret))).toEqual([]);
    // The check can see a secret where one is: the job's log does hold its (container) environment.
    expect(filesContaining(ws.home, Buffer.from('PATH = ')).some((f) => f.endsWith('container.log'))).toBe(true);
    expect((await doctorReport(ws)).remaining).toEqual([]);
  });
});
