import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outRef, pyStep } from './fixtures.js';
import { PY_IMAGE, summary, Workspace, type RunJson } from './harness.js';

/**
 * Recorded outputs are verified before they are served again (issue 10, item 2): an upstream output truncated
 * through the s3/ view before `resume`, a zeroed range in a model.tar.gz, a CAS blob removed before `run` — each time
 * the producing step runs again in the same run (reason output-lost, shown by plan/explain/show), the downstream step
 * gets the right bytes, and every blob of the store holds the bytes its name says.
 */
type Json = Record<string, unknown>;
const execId = { Get: 'Execution.PipelineExecutionId' };
const py = (lines: string[]): string => lines.join('\n');
const gate: [string, unknown] = ['gate', 's3://test-bucket/gate/gate.txt'];
const FAIL_ON_GATE = ["if open('/opt/ml/processing/input/gate/gate.txt').read().strip() == 'fail':", '    raise SystemExit(3)'];

/** A (upper-cases the input) → B (appends "|B"; exits 3 while s3://test-bucket/gate/gate.txt says "fail"). */
function chainDefinition(): Json {
  const A = pyStep('A', py([
    "src = open('/opt/ml/processing/input/data/data.txt').read()",
    "open('/opt/ml/processing/output/a/a.txt', 'w').write(src.upper() * 100)",
  ]), [['data', 's3://test-bucket/input/data.txt']], ['a']);
  const B = pyStep('B', py([
    ...FAIL_ON_GATE,
    "a = open('/opt/ml/processing/input/a/a.txt').read()",
    "open('/opt/ml/processing/output/b/b.txt', 'w').write(a[:24] + '|' + str(len(a)) + '|B')",
  ]), [['a', outRef('A', 'a')], gate], ['b']);
  return { Version: '2020-12-01', Metadata: {}, Parameters: [], Steps: [A, B] };
}

/** Train (weights saved in model.tar.gz) → Use (reads the model; exits 3 while the gate says "fail"). */
function modelDefinition(): Json {
  const train = {
    Name: 'Train', Type: 'Training',
    Arguments: {
      AlgorithmSpecification: {
        TrainingImage: PY_IMAGE, TrainingInputMode: 'File',
        ContainerEntrypoint: ['python3', '-c', "import numpy as np; np.save('/opt/ml/model/weights.npy', np.arange(4096, dtype=np.float64))"],
      },
      OutputDataConfig: { S3OutputPath: { 'Std:Join': { On: '/', Values: ['s3://test-bucket/models', execId] } } },
      ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 },
      RoleArn: 'arn:aws:iam::111122223333:role/test', StoppingCondition: { MaxRuntimeInSeconds: 600 },
    },
  };
  const use = pyStep('Use', py([
    ...FAIL_ON_GATE,
    'import tarfile, numpy as np',
    "tarfile.open('/opt/ml/processing/input/model/model.tar.gz').extractall('/tmp/model')",
    "w = np.load('/tmp/model/weights.npy')",
    "open('/opt/ml/processing/output/u/u.txt', 'w').write(f'{len(w)} {w.sum():.1f}')",
  ]), [['model', { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' }], gate], ['u']);
  return { Version: '2020-12-01', Metadata: {}, Parameters: [], Steps: [train, use] };
}

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.putS3('test-bucket', 'input/data.txt', 'hello cairn\n');
  ws.putS3('test-bucket', 'gate/gate.txt', 'ok');
  ws.write('chain.json', chainDefinition());
  ws.write('model.json', modelDefinition());
});
afterEach(() => ws.dispose());

const view = (rel: string): string => join(ws.home, 's3/test-bucket', rel);
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const blobOf = (file: string): string => { const h = sha256(file); return join(ws.home, 'cas/sha256', h.slice(0, 2), h.slice(2)); };
const B_EXPECTED = `${'HELLO CAIRN\n'.repeat(2)}|1200|B`;

/** The blobs whose bytes do not hash to their name (none in a store that verifies). */
function badBlobs(): string[] {
  const root = join(ws.home, 'cas/sha256');
  return readdirSync(root).flatMap((d) => readdirSync(join(root, d)).map((f) => join(root, d, f)))
    .filter((p) => !p.includes('.cairn-tmp-') && sha256(p) !== p.slice(-65).replace('/', ''));
}

type StepJson = RunJson['steps'][number] & { decision?: { action: string; reason: Json } };
async function show(runId: string): Promise<Record<string, StepJson>> {
  const { json } = await ws.json<{ steps: StepJson[] }>(['show', runId, '--json']);
  return Object.fromEntries(json.steps.map((s) => [s.name, s]));
}

describe('a lost recorded output re-runs its producer within the run (real Docker engine)', () => {
  it('truncate -s 10 of an upstream output in the s3/ view before resume: A runs again, B reads the full bytes', async () => {
    ws.putS3('test-bucket', 'gate/gate.txt', 'fail');
    const failed = await ws.json(['run', 'chain.json', '--json']);
    expect(summary(failed.json)).toEqual({ A: 'succeeded', B: 'failed' });
    const id = failed.json.runId;
    const a = view(`runs/${id}/A/a/a.txt`);
    execFileSync('truncate', ['-s', '10', a]);
    ws.putS3('test-bucket', 'gate/gate.txt', 'ok');

    const resumed = await ws.json(['resume', id, '--json']);
    expect(resumed.result.code, resumed.result.stderr).toBe(0);
    expect(summary(resumed.json)).toEqual({ A: 'succeeded', B: 'succeeded' });
    const steps = await show(id);
    expect(steps.A?.attempts).toBe(2);
    expect(steps.A?.decision).toEqual({ action: 'run', reason: { kind: 'output-lost', sourceRun: id, output: 'a', file: 'a.txt', state: 'damaged' } });
    expect(readFileSync(view(`runs/${id}/B/b/b.txt`), 'utf8')).toBe(B_EXPECTED);
    expect(statSync(a).size).toBe(1200);
    const words = `output "a" recorded by run ${id} is lost: its file "a.txt" is damaged in the content store`;
    expect((await ws.run(['explain', id, 'A'])).stdout).toContain(words);
    expect((await ws.run(['show', id])).stdout).toMatch(new RegExp(`\\n {2}A\\s+succeeded\\s+attempts 2[^\\n]*\\n(?: +attempt [^\\n]*\\n)+ {4}run: ${words}`));
    expect(badBlobs()).toEqual([]);
  });

  it('a zeroed range in model.tar.gz before resume: Train runs again, Use loads the right model', async () => {
    ws.putS3('test-bucket', 'gate/gate.txt', 'fail');
    const failed = await ws.json(['run', 'model.json', '--json']);
    expect(summary(failed.json)).toEqual({ Train: 'succeeded', Use: 'failed' });
    const id = failed.json.runId;
    const dir = view(`models/${id}`);
    const [job] = readdirSync(dir);
    const model = join(dir, job ?? '?', 'output/model.tar.gz');
    const size = statSync(model).size;
    execFileSync('dd', ['if=/dev/zero', `of=${model}`, 'bs=1', 'seek=40', 'count=64', 'conv=notrunc'], { stdio: 'ignore' });
    expect(statSync(model).size).toBe(size);
    ws.putS3('test-bucket', 'gate/gate.txt', 'ok');

    const resumed = await ws.json(['resume', id, '--json']);
    expect(resumed.result.code, resumed.result.stderr).toBe(0);
    expect(summary(resumed.json)).toEqual({ Train: 'succeeded', Use: 'succeeded' });
    expect((await show(id)).Train?.decision?.reason).toEqual({ kind: 'output-lost', sourceRun: id, output: 'model', file: 'model.tar.gz', state: 'damaged' });
    expect(readFileSync(view(`runs/${id}/Use/u/u.txt`), 'utf8')).toBe('4096 8386560.0');
    expect(badBlobs()).toEqual([]);
  });

  it('rm of a CAS blob before run: plan and run say output-lost, A runs again, B is reused with the right bytes', async () => {
    const first = await ws.json(['run', 'chain.json', '--json']);
    expect(summary(first.json)).toEqual({ A: 'succeeded', B: 'succeeded' });
    const id = first.json.runId;
    rmSync(blobOf(view(`runs/${id}/A/a/a.txt`)));

    const plan = await ws.run(['plan', 'chain.json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(new RegExp(`A\\s+run\\s+output "a" recorded by run ${id} is lost: its file "a.txt" is missing from the content store`));
    const again = await ws.json(['run', 'chain.json', '--json']);
    expect(again.result.code, again.result.stderr).toBe(0);
    expect(summary(again.json)).toEqual({ A: 'succeeded', B: 'succeeded (reused)' });
    const steps = await show(again.json.runId);
    expect(steps.A?.decision).toEqual({ action: 'run', reason: { kind: 'output-lost', sourceRun: id, output: 'a', file: 'a.txt', state: 'missing' } });
    expect(readFileSync(view(`runs/${id}/B/b/b.txt`), 'utf8')).toBe(B_EXPECTED);
    const third = await ws.json(['run', 'chain.json', '--json']);
    expect(summary(third.json)).toEqual({ A: 'succeeded (reused)', B: 'succeeded (reused)' });
    expect(badBlobs()).toEqual([]);
  });
});
