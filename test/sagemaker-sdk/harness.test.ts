import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MotoServer } from '../cloud/moto-harness.js';
import { copyBucketToHome, SDK_BUCKET, writeDefinitionWithSdk } from '../support/sagemaker-sdk.js';

const moto = new MotoServer();
beforeAll(() => moto.start());
afterAll(() => moto.stop());

const SCRIPT = `
from cairn_oracle import session, save, ROLE
from sagemaker.processing import ScriptProcessor, ProcessingOutput
from sagemaker.workflow.steps import ProcessingStep
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.parameters import ParameterInteger

s = session()
rows = ParameterInteger(name="Rows", default_value=10)
proc = ScriptProcessor(image_uri="python:3.11-slim", command=["python3"], role=ROLE,
                       instance_type="ml.m5.large", instance_count=1, sagemaker_session=s)
args = proc.run(code="prepare.py", arguments=["--rows", rows.to_string()],
                outputs=[ProcessingOutput(output_name="data", source="/opt/ml/processing/data")])
step = ProcessingStep(name="Prepare", step_args=args)
save(Pipeline(name="harness", parameters=[rows], steps=[step], sagemaker_session=s))
`;

describe('the SageMaker Python SDK harness', () => {
  it('writes a definition with the real SDK and its code upload lands in moto, then in a cairn home', async () => {
    const { definition } = await writeDefinitionWithSdk(moto, SCRIPT, { files: { 'prepare.py': 'print("rows")\n' } });
    expect(definition.Version).toBe('2020-12-01');
    const steps = definition.Steps as { Name: string; Type: string; Arguments: { ProcessingInputs: { S3Input: { S3Uri: string } }[] } }[];
    expect(steps.map((s) => [s.Name, s.Type])).toEqual([['Prepare', 'Processing']]);
    const codeUri = steps[0]?.Arguments.ProcessingInputs[0]?.S3Input.S3Uri ?? '';
    expect(codeUri).toMatch(new RegExp(`^s3://${SDK_BUCKET}/.+/prepare\\.py$`));
    const home = await mkdtemp(join(tmpdir(), 'cairn-sdk-home-'));
    const keys = await copyBucketToHome(moto, home);
    const key = codeUri.slice(`s3://${SDK_BUCKET}/`.length);
    expect(keys).toContain(key);
    expect(await readFile(join(home, 's3', SDK_BUCKET, key), 'utf8')).toBe('print("rows")\n');
  });
});
