import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MotoServer } from '../cloud/moto-harness.js';
import { Workspace, summary, type RunJson } from '../e2e/harness.js';
import { copyBucketToHome, SDK_BUCKET, writeDefinitionWithSdk } from '../support/sagemaker-sdk.js';

/**
 * Issue 11.1 done-means, on the real engine with definitions the real SageMaker Python SDK v2 wrote (nothing edited):
 * every job container reaches the run's S3 endpoint. (a) A `TensorFlow` estimator with its default `model_dir`
 * (s3://…/model: the toolkit calls GetBucketLocation at start-up) trains on the toolkit stand-in; (b) a preprocessing
 * script uploads with boto3 and the training script reads that object by its s3:// URI; (c) a rerun reuses both and
 * replays the side write byte for byte; (d) another side-written content makes the reader run again with
 * side-read-changed; (e) an EnableNetworkIsolation container cannot reach the endpoint.
 */
const TF_IMAGE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.19-cpu-py312';
const SCALER_KEY = 'side/scaler.json';
const SCALER_URI = `s3://${SDK_BUCKET}/${SCALER_KEY}`;

const PREPROCESS = `
import argparse, json, os
import boto3
p = argparse.ArgumentParser()
p.add_argument("--scale", required=True)
p.add_argument("--scaler-uri", required=True)
a = p.parse_args()
os.makedirs("/opt/ml/processing/train", exist_ok=True)
with open("/opt/ml/processing/train/data.csv", "w") as f:
    f.write("1,2\\n3,4\\n")
with open("/tmp/scaler.json", "w") as f:
    json.dump({"scale": float(a.scale)}, f)
bucket, key = a.scaler_uri[len("s3://"):].split("/", 1)
boto3.client("s3").upload_file("/tmp/scaler.json", bucket, key)
print("uploaded scaler to", a.scaler_uri, flush=True)
`;

const TRAIN = `
import argparse, json, os
import boto3
p = argparse.ArgumentParser()
p.add_argument("--scaler-uri", required=True)
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--model_dir")
a, _ = p.parse_known_args()
bucket, key = a.scaler_uri[len("s3://"):].split("/", 1)
scaler = json.loads(boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())
print(f"model_dir={a.model_dir}; S3_REGION={os.environ.get('S3_REGION')};", flush=True)
for i in range(a.epochs):
    print(f"Iteration={i}; Accuracy_Supervised={0.5 + i / 10};", flush=True)
os.makedirs("/opt/ml/model", exist_ok=True)
with open("/opt/ml/model/model.json", "w") as f:
    json.dump({"scale": scaler["scale"], "rows": len(open("/opt/ml/input/data/train/data.csv").read().split())}, f)
`;

const PIPELINE = `
from cairn_oracle import session, save, ROLE
from sagemaker.inputs import TrainingInput
from sagemaker.processing import ProcessingOutput, ScriptProcessor
from sagemaker.tensorflow import TensorFlow
from sagemaker.workflow.parameters import ParameterString
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.steps import ProcessingStep, TrainingStep

s = session()
scale = ParameterString(name="Scale", default_value="2.5")
proc = ScriptProcessor(image_uri="${TF_IMAGE}", command=["python3"], role=ROLE,
                       instance_type="ml.m5.large", instance_count=1, sagemaker_session=s)
pre = ProcessingStep(name="Preprocess", step_args=proc.run(
    code="preprocess.py", arguments=["--scale", scale, "--scaler-uri", "${SCALER_URI}"],
    outputs=[ProcessingOutput(output_name="train", source="/opt/ml/processing/train")]))
est = TensorFlow(entry_point="train.py", source_dir="code", framework_version="2.19", py_version="py312",
                 role=ROLE, instance_type="ml.c5.2xlarge", instance_count=1, sagemaker_session=s,
                 hyperparameters={"scaler-uri": "${SCALER_URI}", "epochs": 2},
                 metric_definitions=[{"Name": "accuracy", "Regex": "Accuracy_Supervised=([0-9.]+);"}])
train = TrainingStep(name="Retrain", step_args=est.fit(inputs={"train": TrainingInput(
    s3_data=pre.properties.ProcessingOutputConfig.Outputs["train"].S3Output.S3Uri)}))
save(Pipeline(name="s3-in-containers", parameters=[scale], steps=[pre, train], sagemaker_session=s))
`;

const moto = new MotoServer();
let ws: Workspace;
type SideWriteJson = { bucket: string; key: string; hash: string; size: number };
type StepWithWrites = RunJson['steps'][number] & { sideWrites?: SideWriteJson[]; decision?: { action: string; reason: Record<string, unknown> } };

beforeAll(async () => {
  await moto.start();
  ws = new Workspace();
  ws.write('cairn.json', { images: { '763104351884.dkr.ecr.*.amazonaws.com/tensorflow-training:*-cpu-*': 'cairn-local/tensorflow-training:2.19-cpu-py311' } });
  const sdk = await writeDefinitionWithSdk(moto, PIPELINE, { files: { 'preprocess.py': PREPROCESS, 'code/train.py': TRAIN } });
  writeFileSync(join(ws.dir, 'pipeline.json'), readFileSync(sdk.file));
  await copyBucketToHome(moto, ws.home);
});
afterAll(async () => {
  ws.dispose();
  await moto.stop();
});

const scalerView = (): string => join(ws.home, 's3', SDK_BUCKET, SCALER_KEY);
const steps = (j: RunJson): Record<string, StepWithWrites> => Object.fromEntries((j.steps as StepWithWrites[]).map((s) => [s.name, s]));

describe('S3 inside every job container (SDK-written pipeline, real engine)', () => {
  let first: RunJson;

  it('(a, b) the TensorFlow estimator with the default model_dir trains and reads what Preprocess uploaded with boto3', async () => {
    const definition = JSON.parse(readFileSync(join(ws.dir, 'pipeline.json'), 'utf8')) as { Steps: { Name: string; Arguments: { HyperParameters?: Record<string, string> } }[] };
    expect(definition.Steps[1]!.Arguments.HyperParameters?.model_dir).toMatch(new RegExp(`^"s3://${SDK_BUCKET}/.+/model"$`));
    const r = await ws.json(['run', 'pipeline.json', '--json']);
    if (r.result.code !== 0) throw new Error(`${r.result.stdout}\n${r.result.stderr}`);
    first = r.json;
    expect(summary(first)).toEqual({ Preprocess: 'succeeded', Retrain: 'succeeded' });
    const scaler = readFileSync(scalerView(), 'utf8');
    expect(JSON.parse(scaler)).toEqual({ scale: 2.5 });
    expect(steps(first).Preprocess!.sideWrites).toEqual([expect.objectContaining({ bucket: SDK_BUCKET, key: SCALER_KEY, size: Buffer.byteLength(scaler) })]);
    const log = await ws.run(['logs', first.runId, 'Retrain']);
    // The toolkit's s3_utils.configure asked the endpoint for the bucket's location (GetBucketLocation) at start-up.
    expect(log.stdout).toMatch(new RegExp(`model_dir=s3://${SDK_BUCKET}/[^;]+/model; S3_REGION=us-east-1;`));
    const show = await ws.run(['show', first.runId]);
    expect(show.stdout).toContain(`s3://${SDK_BUCKET}/${SCALER_KEY}  ${Buffer.byteLength(scaler)} bytes  sha256 `);
    // The run's network is gone with the run.
    expect(execFileSync('docker', ['network', 'ls', '-q', '--filter', `label=org.cairn.run=${first.runId}`], { encoding: 'utf8' }).trim()).toBe('');
  });

  it('(c) a rerun reuses both steps and replays the side write byte for byte', async () => {
    const bytes = readFileSync(scalerView());
    rmSync(scalerView());
    const r = await ws.json(['run', 'pipeline.json', '--json']);
    expect(r.result.code).toBe(0);
    expect(summary(r.json)).toEqual({ Preprocess: 'succeeded (reused)', Retrain: 'succeeded (reused)' });
    expect(readFileSync(scalerView()).equals(bytes)).toBe(true);
    expect(steps(r.json).Preprocess!.sideWrites).toEqual(steps(first).Preprocess!.sideWrites);
  });

  it('(d) another side-written content (a parameter) makes the reader run again with side-read-changed', async () => {
    const before = steps(first).Preprocess!.sideWrites![0]!.hash;
    const r = await ws.json(['run', 'pipeline.json', '--param', 'Scale=4', '--json']);
    expect(r.result.code).toBe(0);
    expect(summary(r.json)).toEqual({ Preprocess: 'succeeded', Retrain: 'succeeded' });
    const after = steps(r.json).Preprocess!.sideWrites![0]!.hash;
    expect(after).not.toBe(before);
    expect(steps(r.json).Retrain!.decision).toEqual({
      action: 'run', reason: { kind: 'side-read-changed', sourceRun: first.runId, bucket: SDK_BUCKET, key: SCALER_KEY, recorded: before, current: after },
    });
    const explain = await ws.run(['explain', r.json.runId, 'Retrain']);
    expect(explain.stdout).toContain(`s3://${SDK_BUCKET}/${SCALER_KEY}, read by run ${first.runId}'s execution, changed: it was sha256 ${before} then and is sha256 ${after} now`);
  });
});

const PROBE = `
import os
import boto3
boto3.client("s3").head_bucket(Bucket="${SDK_BUCKET}")
os.makedirs("/opt/ml/processing/url", exist_ok=True)
with open("/opt/ml/processing/url/url.txt", "w") as f:
    f.write(os.environ["AWS_ENDPOINT_URL"])
print("reached", os.environ["AWS_ENDPOINT_URL"], flush=True)
`;

const ISOLATED = `
import os, socket, sys
from urllib.parse import urlparse
url = open("/opt/ml/processing/input/url/url.txt").read().strip()
u = urlparse(url)
try:
    socket.create_connection((u.hostname, u.port), timeout=5).close()
    result = "reached"
except OSError as e:
    result = "unreachable " + type(e).__name__
aws = sorted(k for k in os.environ if k.startswith("AWS_"))
line = f"{result} {url}; AWS env: {aws}"
print(line, flush=True)
os.makedirs("/opt/ml/processing/result", exist_ok=True)
with open("/opt/ml/processing/result/result.txt", "w") as f:
    f.write(line)
sys.exit(0 if result.startswith("unreachable") else 1)
`;

const ISOLATION_PIPELINE = `
from cairn_oracle import session, save, ROLE
from sagemaker.network import NetworkConfig
from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.steps import ProcessingStep

s = session()
def processor(**kw):
    return ScriptProcessor(image_uri="${TF_IMAGE}", command=["python3"], role=ROLE,
                           instance_type="ml.m5.large", instance_count=1, sagemaker_session=s, **kw)
probe = ProcessingStep(name="Probe", step_args=processor().run(
    code="probe.py", outputs=[ProcessingOutput(output_name="url", source="/opt/ml/processing/url")]))
isolated = ProcessingStep(name="Isolated", step_args=processor(network_config=NetworkConfig(enable_network_isolation=True)).run(
    code="isolated.py",
    inputs=[ProcessingInput(source=probe.properties.ProcessingOutputConfig.Outputs["url"].S3Output.S3Uri, destination="/opt/ml/processing/input/url")],
    outputs=[ProcessingOutput(output_name="result", source="/opt/ml/processing/result")]))
save(Pipeline(name="s3-isolation", steps=[probe, isolated], sagemaker_session=s))
`;

describe('EnableNetworkIsolation (SDK-written pipeline, real engine)', () => {
  it('(e) an isolated container gets no endpoint environment and cannot reach the endpoint another step reached', async () => {
    const iso = new Workspace();
    try {
      iso.write('cairn.json', { images: { '763104351884.dkr.ecr.*.amazonaws.com/tensorflow-training:*-cpu-*': 'cairn-local/tensorflow-training:2.19-cpu-py311' } });
      const sdk = await writeDefinitionWithSdk(moto, ISOLATION_PIPELINE, { files: { 'probe.py': PROBE, 'isolated.py': ISOLATED } });
      const definition = JSON.parse(readFileSync(sdk.file, 'utf8')) as { Steps: { Name: string; Arguments: { NetworkConfig?: unknown } }[] };
      expect(definition.Steps[1]!.Arguments.NetworkConfig).toMatchObject({ EnableNetworkIsolation: true });
      writeFileSync(join(iso.dir, 'pipeline.json'), readFileSync(sdk.file));
      await copyBucketToHome(moto, iso.home);
      const r = await iso.json(['run', 'pipeline.json', '--json']);
      if (r.result.code !== 0) throw new Error(`${r.result.stdout}\n${r.result.stderr}`);
      expect(summary(r.json)).toEqual({ Probe: 'succeeded', Isolated: 'succeeded' });
      const log = await iso.run(['logs', r.json.runId, 'Isolated']);
      expect(log.stdout).toMatch(/unreachable \w+ http:\/\/[0-9.]+:[0-9]+; AWS env: \[\]/);
      const probe = await iso.run(['logs', r.json.runId, 'Probe']);
      expect(probe.stdout).toMatch(/reached http:\/\/[0-9.]+:[0-9]+/);
    } finally {
      iso.dispose();
    }
  });
});
