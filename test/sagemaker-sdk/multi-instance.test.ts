import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_RUN } from '../../containers/labels.js';
import { MotoServer } from '../cloud/moto-harness.js';
import { Workspace } from '../e2e/harness.js';
import { copyBucketToHome, SDK_BUCKET, writeDefinitionWithSdk } from '../support/sagemaker-sdk.js';

/**
 * Multi-instance jobs (issue 11.4) on the real engine, with definitions the real SageMaker Python SDK v2 writes:
 * a 2-instance script-mode training job on the toolkit stand-in (the sagemaker-training toolkit reads
 * resourceconfig.json and waits until every host resolves), a 2-instance ShardedByS3Key processing job, and a job whose
 * failing instance stops the other.
 */
const moto = new MotoServer();
let ws: Workspace;
beforeAll(async () => {
  await moto.start();
  ws = new Workspace();
});
afterAll(async () => {
  ws.dispose();
  await moto.stop();
});

const TOOLKIT = 'cairn-local/python-toolkit:3.11';
const PY = 'cairn-local/python:3.11-numpy';

/** algo-1 listens, algo-2 connects and says who it is: both hosts resolve each other on one network. */
const TRAIN_PY = `
import json, os, socket, time
hosts = json.loads(os.environ["SM_HOSTS"])
me = os.environ["SM_CURRENT_HOST"]
print("SM_HOSTS=" + ",".join(hosts), "SM_CURRENT_HOST=" + me, flush=True)
other = [h for h in hosts if h != me][0]
print(me, "resolves", other, "to", socket.gethostbyname(other), flush=True)
if me == "algo-1":
    srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", 7077)); srv.listen(1); srv.settimeout(120)
    conn, _ = srv.accept()
    print("algo-1 heard", conn.recv(64).decode(), flush=True)
    open(os.path.join(os.environ["SM_MODEL_DIR"], "model.txt"), "w").write("hosts=" + ",".join(hosts))
else:
    for _ in range(600):
        try:
            c = socket.create_connection(("algo-1", 7077), timeout=1); c.send(me.encode()); c.close(); break
        except OSError:
            time.sleep(0.2)
`;

const SHARD_PY = `
import json, os, sys, time
host = json.load(open("/opt/ml/config/resourceconfig.json"))["current_host"]
names = sorted(os.listdir("/opt/ml/processing/input/shards"))
print(host, "got", ",".join(names), flush=True)
open("/opt/ml/processing/output/" + host + ".json", "w").write(json.dumps(names))
if os.environ.get("FAIL_ON") == host:
    open("/opt/ml/output/failure", "w").write("shard failed on " + host)
    sys.exit(3)
if os.environ.get("FAIL_ON"):
    print(host, "waiting", flush=True)
    for _ in range(120):
        time.sleep(1)
    print(host, "finished", flush=True)
`;

const PIPELINE = `
from cairn_oracle import session, save, ROLE, BUCKET
from sagemaker.estimator import Estimator
from sagemaker.inputs import TrainingInput
from sagemaker.processing import ScriptProcessor, ProcessingInput, ProcessingOutput
from sagemaker.workflow.steps import ProcessingStep, TrainingStep
from sagemaker.workflow.pipeline import Pipeline

s = session()
s3 = s.boto_session.client("s3")
for i in range(10):
    s3.put_object(Bucket=BUCKET, Key="shards/part-%02d.csv" % i, Body=b"row %d\\n" % i)

est = Estimator(image_uri="${TOOLKIT}", entry_point="train.py", source_dir="code", role=ROLE,
                instance_count=2, instance_type="ml.m5.large", sagemaker_session=s,
                output_path="s3://%s/models" % BUCKET)
train = TrainingStep(name="Train", step_args=est.fit({"train": TrainingInput("s3://%s/shards" % BUCKET)}))

def shard_step(name, env):
    proc = ScriptProcessor(image_uri="${PY}", command=["python3"], role=ROLE, instance_type="ml.m5.large",
                           instance_count=2, sagemaker_session=s, env=env)
    args = proc.run(code="shard.py",
                    inputs=[ProcessingInput(source="s3://%s/shards" % BUCKET, destination="/opt/ml/processing/input/shards",
                                            s3_data_distribution_type="ShardedByS3Key")],
                    outputs=[ProcessingOutput(output_name="lists", source="/opt/ml/processing/output",
                                              destination="s3://%s/%s/lists" % (BUCKET, name))])
    return ProcessingStep(name=name, step_args=args)

steps = [shard_step("ShardFail", {"FAIL_ON": "algo-2"})] if __FAIL__ else [train, shard_step("Shard", {})]
save(Pipeline(name="multi", steps=steps, sagemaker_session=s))
`;

async function sdkDefinition(file: string, fail: boolean): Promise<Record<string, unknown>> {
  const script = PIPELINE.replace('__FAIL__', fail ? 'True' : 'False');
  const { definition, file: written } = await writeDefinitionWithSdk(moto, script, { files: { 'code/train.py': TRAIN_PY, 'shard.py': SHARD_PY } });
  copyFileSync(written, join(ws.dir, file));
  await copyBucketToHome(moto, ws.home);
  return definition;
}

const networksOf = (runId: string): string =>
  execFileSync('docker', ['network', 'ls', '--quiet', '--filter', `label=${LABEL_RUN}=${runId}`], { encoding: 'utf8' }).trim();

describe('multi-instance jobs written by the SageMaker Python SDK', () => {
  it('a 2-instance training job sees both hosts on one network; a ShardedByS3Key job splits 10 objects 5/5', async () => {
    const definition = await sdkDefinition('multi.json', false);
    const steps = definition.Steps as { Name: string; Arguments: Record<string, { InstanceCount?: number; ClusterConfig?: { InstanceCount: number } }> }[];
    expect(steps.map((x) => x.Name)).toEqual(['Train', 'Shard']);
    expect(steps[0]?.Arguments.ResourceConfig?.InstanceCount).toBe(2);

    const r = await ws.json(['run', 'multi.json', '--json']);
    expect(r.result.code, r.result.stderr).toBe(0);
    expect(r.json.steps.map((x) => [x.name, x.status])).toEqual([['Train', 'succeeded'], ['Shard', 'succeeded']]);

    const log = (await ws.run(['logs', r.json.runId, 'Train'])).stdout;
    for (const host of ['algo-1', 'algo-2']) expect(log).toContain(`[${host}] SM_HOSTS=algo-1,algo-2 SM_CURRENT_HOST=${host}`);
    expect(log).toMatch(/\[algo-1\] algo-1 resolves algo-2 to \d+\.\d+\.\d+\.\d+/);
    expect(log).toMatch(/\[algo-2\] algo-2 resolves algo-1 to \d+\.\d+\.\d+\.\d+/);
    expect(log).toContain('[algo-1] algo-1 heard algo-2');
    const model = readdirSync(join(ws.home, 's3', SDK_BUCKET, 'models')).map((d) => join(ws.home, 's3', SDK_BUCKET, 'models', d, 'output', 'model.tar.gz'));
    expect(model).toHaveLength(1);
    expect(execFileSync('tar', ['-xzOf', model[0] as string, 'model.txt'], { encoding: 'utf8' })).toBe('hosts=algo-1,algo-2');

    const lists = join(ws.home, 's3', SDK_BUCKET, 'Shard', 'lists');
    const got = (host: string): string[] => JSON.parse(readFileSync(join(lists, `${host}.json`), 'utf8')) as string[];
    expect(got('algo-1')).toEqual(['part-00.csv', 'part-02.csv', 'part-04.csv', 'part-06.csv', 'part-08.csv']);
    expect(got('algo-2')).toEqual(['part-01.csv', 'part-03.csv', 'part-05.csv', 'part-07.csv', 'part-09.csv']);
    expect(networksOf(r.json.runId)).toBe(''); // each attempt's network is gone
  }, 600_000);

  it('a failing instance stops the other, and the failure names it', async () => {
    await sdkDefinition('fail.json', true);
    const r = await ws.json(['run', 'fail.json', '--json']);
    expect(r.result.code).toBe(1);
    const step = r.json.steps[0];
    expect(step?.status).toBe('failed');
    expect(step?.failureReason).toBe('shard failed on algo-2');
    expect(r.result.stderr).toContain('Processing step "ShardFail" on instance algo-2 (of 2) failed: its container exited with code 3 and wrote to /opt/ml/output/failure: shard failed on algo-2');
    const log = (await ws.run(['logs', r.json.runId, 'ShardFail'])).stdout;
    expect(log).toContain('[algo-1] algo-1 waiting');
    expect(log).not.toContain('algo-1 finished');
    expect(networksOf(r.json.runId)).toBe('');
  }, 600_000);
});
