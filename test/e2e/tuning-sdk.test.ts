import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../cache/store.js';
import { homeLabel, LABEL_HOME, LABEL_STEP } from '../../containers/labels.js';
import type { RunJson } from '../../contracts/run-json.js';
import { MotoServer } from '../cloud/moto-harness.js';
import { copyBucketToHome, SDK_BUCKET, writeDefinitionWithSdk } from '../support/sagemaker-sdk.js';
import { collect, Workspace } from './harness.js';

/**
 * Done means of issue 15: a TuningStep written by the real SageMaker Python SDK v2 over a script-mode estimator
 * (cairn-local/python-toolkit), its objective from a log regex, then a Model step on get_top_model_s3_uri(top_k=0).
 */
const moto = new MotoServer();
let ws: Workspace;
beforeAll(async () => { await moto.start(); ws = new Workspace(); });
afterAll(async () => { ws.dispose(); await moto.stop(); });

// Best at lr = 0.01; the first logged value is ordered the other way round, so only the last value picks the best.
const TRAIN = `
import argparse, math, os, time
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=1.0)
p.add_argument("--opt", default="none")
p.add_argument("--epochs", type=int, default=1)
a, _ = p.parse_known_args()
loss = abs(math.log10(a.lr) + 2)
print(f"epoch=1 val_loss={1 / (1 + loss):.6f}", flush=True)
time.sleep(1)
print(f"epoch=2 val_loss={loss:.6f}", flush=True)
open(os.path.join(os.environ["SM_MODEL_DIR"], "model.txt"), "w").write(f"lr={a.lr} opt={a.opt}")
`;

const script = (strategy: 'Random' | 'Grid'): string => `
from cairn_oracle import session, save, ROLE
from sagemaker.estimator import Estimator
from sagemaker.model import Model
from sagemaker.tuner import HyperparameterTuner, ContinuousParameter, CategoricalParameter
from sagemaker.workflow.model_step import ModelStep
from sagemaker.workflow.parameters import ParameterInteger
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.steps import TuningStep

s = session()
max_jobs = ParameterInteger(name="MaxJobs", default_value=6)
est = Estimator(image_uri="cairn-local/python-toolkit:3.11", entry_point="train.py", role=ROLE, instance_type="ml.m5.large",
                instance_count=1, sagemaker_session=s, hyperparameters={"epochs": 2})
if "${strategy}" == "Random":
    ranges = {"lr": ContinuousParameter(0.0001, 1.0, scaling_type="Logarithmic")}
    limits = dict(max_jobs=max_jobs, max_parallel_jobs=2, strategy="Random", random_seed=11)
else:
    ranges = {"lr": CategoricalParameter(["0.1", "0.01"]), "opt": CategoricalParameter(["sgd", "adam", "rms"])}
    limits = dict(max_jobs=None, max_parallel_jobs=2, strategy="Grid")
tuner = HyperparameterTuner(est, objective_metric_name="val:loss", objective_type="Minimize", hyperparameter_ranges=ranges,
                            metric_definitions=[{"Name": "val:loss", "Regex": "val_loss=([0-9.]+)"}], **limits)
tune = TuningStep(name="Tune", step_args=tuner.fit(inputs="s3://${SDK_BUCKET}/data"))
model = Model(image_uri="cairn-local/python-toolkit:3.11", model_data=tune.get_top_model_s3_uri(top_k=0, s3_bucket="${SDK_BUCKET}"),
              role=ROLE, sagemaker_session=s)
best = ModelStep(name="Best", step_args=model.create(instance_type="ml.m5.large"))
save(Pipeline(name="tune-e2e", parameters=[max_jobs], steps=[tune, best], sagemaker_session=s))
`;

async function write(strategy: 'Random' | 'Grid', file: string): Promise<void> {
  const { definition } = await writeDefinitionWithSdk(moto, script(strategy), { files: { 'train.py': TRAIN } });
  ws.write(file, definition);
  await copyBucketToHome(moto, ws.home);
}

/** Runs the pipeline, watching the engine's containers of the step "Tune": the most seen at once. */
async function runWatching(args: string[]): Promise<{ code: number | null; most: number; stderr: string }> {
  const child = ws.spawn(['run', ...args, '--json']);
  let most = 0;
  let done = false;
  const finished = collect(child).then((r) => { done = true; return r; });
  while (!done) {
    const ids = execFileSync('docker', ['ps', '-q', '--filter', `label=${LABEL_HOME}=${homeLabel(ws.home)}`, '--filter', `label=${LABEL_STEP}=Tune`]).toString().trim();
    most = Math.max(most, ids === '' ? 0 : ids.split('\n').length);
    await new Promise((r) => setTimeout(r, 150));
  }
  const r = await finished;
  return { code: r.code, most, stderr: r.stderr };
}

async function show(runId: string): Promise<RunJson> {
  return (await ws.json<RunJson>(['show', runId, '--json'])).json;
}

function lastRunId(): string {
  const store = Store.open(join(ws.home, 'cairn.db'));
  try {
    const runs = store.listRuns();
    return runs[0]?.runId ?? '';
  } finally {
    store.close();
  }
}

/** Each trial's last logged val_loss, from the step's own log (lines are prefixed with the trial's name). */
async function loggedLosses(runId: string): Promise<Map<string, number>> {
  const log = (await ws.run(['logs', runId, 'Tune'])).stdout;
  const out = new Map<string, number>();
  for (const m of log.matchAll(/\[([A-Za-z0-9-]+)\] .*val_loss=([0-9.]+)/g)) out.set(m[1] ?? '', Number(m[2]));
  return out;
}

describe('a TuningStep written by the SageMaker Python SDK runs locally', () => {
  it('Random, 6 jobs, 2 in parallel: best by the trials\' own last logged values, its model to the Model step; 8 jobs run 2 more', async () => {
    ws.putS3(SDK_BUCKET, 'data/train.csv', '1,2\n');
    await write('Random', 'random.json');
    const first = await runWatching(['random.json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.most).toBeGreaterThanOrEqual(1);
    expect(first.most).toBeLessThanOrEqual(2);
    const runId = lastRunId();
    const trials = (await show(runId)).steps.find((s) => s.name === 'Tune')?.trials ?? [];
    expect(trials).toHaveLength(6);
    const logged = await loggedLosses(runId);
    expect(trials.map((t) => t.objective)).toEqual(trials.map((t) => logged.get(t.name)));
    const bestLogged = Math.min(...logged.values());
    const best = trials[0];
    expect(best?.best).toBe(true);
    expect(best?.objective).toBe(bestLogged);
    const store = Store.open(join(ws.home, 'cairn.db'));
    const model = store.getStep(runId, 'Best-CreateModel')?.properties as { PrimaryContainer: { ModelDataUrl: string } };
    store.close();
    expect(model.PrimaryContainer.ModelDataUrl).toBe(`s3://${SDK_BUCKET}/${best?.name ?? ''}/output/model.tar.gz`);
    const tar = join(ws.home, 's3', SDK_BUCKET, best?.name ?? '', 'output', 'model.tar.gz');
    expect(execFileSync('tar', ['-xzOf', tar, 'model.txt']).toString()).toBe(`lr=${Number(best?.hyperParameters.lr)} opt=none`);

    // The same seed gives the same trials: a second run of the same definition reuses the step whole.
    const again = await ws.json<RunJson>(['run', 'random.json', '--json']);
    expect(again.json.steps.find((s) => s.name === 'Tune')?.reused).toBe(true);

    // MaxNumberOfTrainingJobs 8: the 6 trials are kept; only 2 new containers run.
    const more = await ws.run(['run', 'random.json', '--param', 'MaxJobs=8', '--json']);
    expect(more.code, more.stderr).toBe(0);
    const moreId = lastRunId();
    const eight = (await show(moreId)).steps.find((s) => s.name === 'Tune')?.trials ?? [];
    expect(eight).toHaveLength(8);
    const names = new Set(trials.map((t) => t.name));
    expect(eight.filter((t) => names.has(t.name))).toHaveLength(6);
    const newLogs = await loggedLosses(moreId);
    expect([...newLogs.keys()].filter((n) => !names.has(n))).toHaveLength(2);
    expect([...newLogs.keys()].filter((n) => names.has(n))).toHaveLength(0);
  });

  it('Grid enumerates the categorical grid exactly', async () => {
    await write('Grid', 'grid.json');
    const r = await ws.run(['run', 'grid.json', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const trials = (await show(lastRunId())).steps.find((s) => s.name === 'Tune')?.trials ?? [];
    expect(trials.map((t) => `${t.hyperParameters.lr ?? ''}/${t.hyperParameters.opt ?? ''}`).sort()).toEqual(
      ['0.01/adam', '0.01/rms', '0.01/sgd', '0.1/adam', '0.1/rms', '0.1/sgd'],
    );
    expect(trials[0]?.hyperParameters.lr).toBe('0.01');
  });
});
