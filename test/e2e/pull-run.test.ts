import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreatePipelineCommand } from '@aws-sdk/client-sagemaker';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOTO_ROLE_ARN, useMotoServer } from '../cloud/moto-harness.js';
import { SDK_BUCKET, writeDefinitionWithSdk, type SdkDefinition } from '../support/sagemaker-sdk.js';
import { PY_IMAGE, Workspace, type RunJson } from './harness.js';

/**
 * `cairn pull` and `--s3-read-through` on the real engine: a pipeline the real SageMaker SDK wrote (its code upload
 * and the user's data sit in moto, none of it in the cairn home), pulled by name then run; or run with read-through.
 */
const SCRIPT = `
from cairn_oracle import session, save, ROLE
from sagemaker.processing import ScriptProcessor, ProcessingInput, ProcessingOutput
from sagemaker.workflow.steps import ProcessingStep
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.parameters import ParameterString

s = session()
raw = ParameterString(name="RawData", default_value="s3://${SDK_BUCKET}/raw/")
proc = ScriptProcessor(image_uri="${PY_IMAGE}", command=["python3"], role=ROLE,
                       instance_type="ml.m5.large", instance_count=1, sagemaker_session=s)
args = proc.run(code="count.py",
                inputs=[ProcessingInput(source=raw, destination="/opt/ml/processing/raw")],
                outputs=[ProcessingOutput(output_name="counts", source="/opt/ml/processing/counts")])
save(Pipeline(name="pull-run", parameters=[raw], steps=[ProcessingStep(name="Count", step_args=args)], sagemaker_session=s))
`;
const COUNT_PY = [
  'import glob',
  "rows = sum(len(open(f).read().splitlines()) for f in sorted(glob.glob('/opt/ml/processing/raw/*.csv')))",
  "open('/opt/ml/processing/counts/rows.txt', 'w').write(str(rows))",
  "print('counted', rows, 'rows')",
].join('\n');

describe('pulled and read-through pipelines run on the real engine', () => {
  const { moto, clients } = useMotoServer();
  let sdk: SdkDefinition;
  let ws: Workspace;
  beforeAll(async () => {
    sdk = await writeDefinitionWithSdk(moto, SCRIPT, { files: { 'count.py': `${COUNT_PY}\n` } });
    for (const [k, v] of Object.entries({ 'raw/a.csv': '1\n2\n', 'raw/b.csv': '3\n' })) {
      await clients().s3.send(new PutObjectCommand({ Bucket: SDK_BUCKET, Key: k, Body: v }));
    }
    await clients().sagemaker.send(new CreatePipelineCommand({ PipelineName: 'churn-retrain', RoleArn: MOTO_ROLE_ARN, PipelineDefinition: readFileSync(sdk.file, 'utf8') }));
  }, 120_000);
  beforeEach(() => { ws = new Workspace(); });
  afterEach(() => ws.dispose());

  it('cairn pull <name> writes the definition and fetches its objects; cairn run then uses the recorded pipeline name', async () => {
    const pulled = await ws.run(['pull', 'churn-retrain']);
    expect(pulled.code).toBe(0);
    expect(existsSync(join(ws.dir, 'churn-retrain.json'))).toBe(true);
    const run = await ws.json<RunJson>(['run', 'churn-retrain.json', '--json']);
    expect(run.result.code).toBe(0);
    expect(run.json.status).toBe('succeeded');
    const runs = await ws.json<{ runId: string; pipeline: string }[]>(['runs', '--json']);
    expect(runs.json.map((r) => r.pipeline)).toEqual(['churn-retrain']);
    expect(rowsCounted(ws)).toEqual(['3']);
  });

  it('--s3-read-through fetches the code and the data on first read only; without it the run is refused', async () => {
    ws.write('pipeline.json', readFileSync(sdk.file, 'utf8'));
    const off = await ws.run(['run', 'pipeline.json']);
    expect(off.code).toBe(2);
    expect(off.stderr).toContain(`s3://${SDK_BUCKET}/raw/`);
    const first = await ws.json<RunJson>(['run', 'pipeline.json', '--s3-read-through', '--json']);
    expect(first.result.code).toBe(0);
    const fetched = [...first.result.stderr.matchAll(/read through from S3: (\S+)/g)].map((m) => m[1]).sort();
    expect(fetched.filter((u) => u?.includes('/raw/'))).toEqual([`s3://${SDK_BUCKET}/raw/a.csv`, `s3://${SDK_BUCKET}/raw/b.csv`]);
    expect(fetched.filter((u) => u?.endsWith('/count.py'))).toHaveLength(1);
    expect(fetched).toHaveLength(3);
    expect(rowsCounted(ws)).toEqual(['3']);
    const second = await ws.json<RunJson>(['run', 'pipeline.json', '--s3-read-through', '--no-cache', '--json']);
    expect(second.result.code).toBe(0);
    expect(second.result.stderr).not.toContain('read through from S3');
  });
});

/** What the Count step wrote (rows.txt under the run's output prefix): the script saw both pulled CSV files. */
function rowsCounted(ws: Workspace): string[] {
  const root = join(ws.home, 's3', SDK_BUCKET);
  return (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('rows.txt')).map((f) => readFileSync(join(root, f), 'utf8'));
}
