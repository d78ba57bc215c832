import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPipeline } from '../../cli/load-pipeline.js';
import { MotoServer } from '../cloud/moto-harness.js';
import { ORACLE_MODULE_DIR } from '../support/sagemaker-sdk.js';
import { compareWithSdk } from '../support/sdk-oracle.js';

// The seed's pipeline (examples/retrain/pipeline.ts: five steps, the accuracy gate with its Fail step, a retry
// policy on Retrain) against test/support/sagemaker_sdk/retrain_pipeline.py, its transcription for the Python SDK.
const EXAMPLE = resolve(import.meta.dirname, '../../examples/retrain');
const moto = new MotoServer();
let dir: string;
let home: string;
const cwd = process.cwd();

beforeAll(async () => {
  await moto.start();
  dir = mkdtempSync(join(tmpdir(), 'cairn-oracle-retrain-'));
  home = mkdtempSync(join(tmpdir(), 'cairn-oracle-home-'));
  vi.stubEnv('CAIRN_HOME', home);
  for (const f of ['pipeline.ts', 'hyperparameters.json', 'cairn.json', 'code', 'handlers']) cpSync(join(EXAMPLE, f), join(dir, f), { recursive: true });
});
afterAll(async () => {
  process.chdir(cwd);
  vi.unstubAllEnvs();
  await moto.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('examples/retrain/pipeline.ts against the SageMaker Python SDK', () => {
  it('writes the definition the SDK writes, code keys included, but for the timestamped model_dir', async () => {
    process.chdir(dir);
    const loaded = await loadPipeline(join(dir, 'pipeline.ts'));
    if (!loaded.ok) throw new Error(loaded.error.join('\n'));
    const python = readFileSync(join(ORACLE_MODULE_DIR, 'retrain_pipeline.py'), 'utf8');
    const r = await compareWithSdk(moto, python, loaded.value.definition.raw as Record<string, unknown>, { cwd: dir });
    expect(r.unexplained).toEqual([]);
    expect(r.allowed).toEqual(['timestamped-model-dir']);
    expect(r.all.map((d) => d.path)).toEqual(['Steps[2].Arguments.HyperParameters.model_dir']);
    const steps = r.sdk.Steps as { Name: string; Type: string }[];
    expect(steps.map((s) => [s.Name, s.Type])).toEqual([
      ['Telemetry', 'Processing'], ['Preprocess', 'Processing'], ['Retrain', 'Training'], ['Evaluate', 'Processing'], ['AccuracyGate', 'Condition'],
    ]);
  });
});
