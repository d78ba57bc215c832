import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summary, Workspace } from '../e2e/harness.js';
import { readCompat } from '../support/compat-corpus.js';
import { COMPAT_IMAGE_MAP, seedCompat } from './fixtures/seed.js';

// Every file of the compatibility corpus through `cairn run`, with fixture data and code where the definition points
// (test/compat/fixtures/) and every image mapped to a local stand-in. A definition with a step type cairn cannot
// run yet is refused as a whole at load time; its supported part (the file with those steps, and what depends on them,
// left out) is then run as far as this machine allows.
const CAPSTONE = 'CapstoneCohort4Group9+sagemaker-mlops-pipeline__pipeline.json';
const AWS = 'aws-samples+dynamic-sagemaker-pipelines-framework__pipeline_definition.json';
const CHIDI = 'chidichekwas+sagemaker-inferencing__pipeline_definition.json';
const KRISHNA = 'skrishnakumar027+sagemaker_pipelines__pipeline_definition.json';

type Def = { Steps: { Name: string }[] } & Record<string, unknown>;
let ws: Workspace;

async function load(file: string): Promise<Def> {
  const def = readCompat<Def>(file);
  ws.write(file, def);
  await seedCompat(ws, file);
  return def;
}

/** The definition with only `keep` (its supported part), as `supported.json`. */
function supportedPart(def: Def, keep: string[]): string {
  ws.write('supported.json', { ...def, Steps: def.Steps.filter((s) => keep.includes(s.Name)) });
  return 'supported.json';
}

const gpuRefusal = (step: string, type: string, gpus: string, cpuType: string): string =>
  `step "${step}" failed: Training step "${step}": instance type ${type} (ResourceConfig.InstanceType) asks for ${gpus}, but the Docker engine has no GPU runtime (could not select device driver "" with capabilities: [[gpu]]). Use a CPU instance type such as ${cpuType} (through the pipeline parameter that sets it, if there is one), or run on a machine whose Docker engine has the NVIDIA container runtime.`;

beforeEach(() => {
  ws = new Workspace();
  ws.write('cairn.json', COMPAT_IMAGE_MAP);
});
afterEach(() => ws.dispose());

describe('the compatibility corpus through `cairn run`', () => {
  it(`${CAPSTONE}: plans with its RegisterModel step (issue #5); its job part runs PreprocessData and stops at the GPU training`, async () => {
    const def = await load(CAPSTONE);
    const r = await ws.run(['plan', CAPSTONE]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/4\. HopJetAir-RegisterModel\s+run\s+upstream "TrainHermesProModel", "EvaluateHopJetAirModel" will run/);

    const part = supportedPart(def, ['PreprocessData', 'TrainHermesProModel', 'EvaluateHopJetAirModel']);
    const { result, json } = await ws.json(['run', part, '--json', '--max-parallel', '1']);
    expect(result.code).toBe(1);
    expect(summary(json)).toEqual({ PreprocessData: 'succeeded', TrainHermesProModel: 'failed', EvaluateHopJetAirModel: 'not-run' });
    expect(json.steps.map((s) => s.attempts)).toEqual([1, 1, 0]);
    expect(result.stderr).toContain(gpuRefusal('TrainHermesProModel', 'ml.g5.2xlarge', '1 GPU', 'ml.m5.2xlarge'));
    const train = readFileSync(join(ws.home, 's3/sagemaker-studio-7oabgjsj0b7/datasets/train/train.jsonl'), 'utf8');
    expect(train.split('\n')[0]).toBe('{"text": "q0 => a0"}');
  });

  it(`${AWS}: plans with its RegisterModel steps (issue #5); its Processing and Training part runs both FrameworkProcessor steps and the CPU training`, async () => {
    const def = await load(AWS);
    const r = await ws.run(['plan', AWS]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/3\. falcon-text-summarization-register-RegisterModel\s+run\s+upstream "falcon-text-summarization-tuning" will run/);
    expect(r.stdout).toMatch(/9\. calhousing-Register-RegisterModel\s+run\s+upstream/);

    // calhousing-Metrics reads the Transform's output, so the supported part stops at calhousing-Training.
    const part = supportedPart(def, ['falcon-text-summarization-preprocess', 'falcon-text-summarization-tuning', 'calhousing-Preprocessing', 'calhousing-Training']);
    const first = await ws.json(['run', part, '--json', '--max-parallel', '1']);
    expect(first.result.code).toBe(1);
    expect(summary(first.json)).toEqual({
      'falcon-text-summarization-preprocess': 'succeeded', 'falcon-text-summarization-tuning': 'failed',
      'calhousing-Preprocessing': 'not-run', 'calhousing-Training': 'not-run',
    });
    expect(first.result.stderr).toContain(gpuRefusal('falcon-text-summarization-tuning', 'ml.g5.12xlarge', '4 GPUs', 'ml.m5.12xlarge'));
    const falcon = readFileSync(join(ws.home, 's3/sagemaker-us-east-1-327206644775/calhousing-test', first.json.runId,
      'falcon-text-summarization-preprocess/output/training/training.jsonl'), 'utf8');
    expect(falcon.split('\n')).toHaveLength(5);

    // The independent calhousing chain (runproc.sh + sourcedir.tar.gz on the scikit-learn stand-in, then script mode
    // with the SDK's JSON-encoded hyperparameters), selected on its own.
    const cal = await ws.json(['run', part, '--steps', 'calhousing-Preprocessing,calhousing-Training', '--json']);
    expect(cal.result.code).toBe(0);
    expect(summary(cal.json)).toEqual({
      'falcon-text-summarization-preprocess': 'not-run', 'falcon-text-summarization-tuning': 'not-run',
      'calhousing-Preprocessing': 'succeeded', 'calhousing-Training': 'succeeded',
    });
    const logs = await ws.run(['logs', cal.json.runId, 'calhousing-Training']);
    expect(logs.stdout).toContain('calhousing trained 30');
  });

  it(`${CHIDI}: runs InvokeFraudEndpoint (ScriptProcessor code mounted inside its data input) on the scikit-learn stand-in`, async () => {
    await load(CHIDI);
    const { result, json } = await ws.json(['run', CHIDI, '--json']);
    expect(result.code).toBe(0);
    expect(summary(json)).toEqual({ InvokeFraudEndpoint: 'succeeded' });
    const out = readFileSync(join(ws.home, 's3/sagemaker-s3-chidi/fraud/predictions/predictions.csv'), 'utf8');
    expect(out).toBe('id,amount,fraud\n1,20.0,0\n2,250.0,1\n3,99.5,0\n4,101.0,1\n');
  });

  it(`${KRISHNA}: AbaloneProcess is refused for its relative LocalPaths, before anything is recorded or started`, async () => {
    await load(KRISHNA);
    const result = await ws.run(['run', KRISHNA, '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe(
      `${KRISHNA}: step "AbaloneProcess": Processing step "AbaloneProcess": Arguments.ProcessingInputs[0].S3Input.LocalPath must be an absolute path inside the container without "..", not "pipleline_1_dev/input"; SageMaker requires it to begin with /opt/ml/processing/: set it to where the container reads the input, e.g. "/opt/ml/processing/input/data".`,
    );
    const runs = await ws.run(['runs', '--json']);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });
});

