import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { MotoServer } from '../cloud/moto-harness.js';
import { SDK_BUCKET, writeDefinitionWithSdk, type SdkDefinition } from '../support/sagemaker-sdk.js';

/**
 * A pipeline written with the real SDK for the `cairn pull` tests: a ScriptProcessor whose input is a parameter with
 * a default (raw/), a SKLearn estimator with a source_dir (sourcedir.tar.gz) reading the processing output (known at
 * run time only) and a literal S3Prefix channel `extra/lookup` (matches lookup.csv and lookup-2.csv, not other.csv).
 * `seedData` puts the user's data into moto, with decoys that no definition names.
 */
export const PULL_SCRIPT = `
from cairn_oracle import session, save, ROLE
from sagemaker.processing import ScriptProcessor, ProcessingInput, ProcessingOutput
from sagemaker.sklearn.estimator import SKLearn
from sagemaker.inputs import TrainingInput
from sagemaker.workflow.steps import ProcessingStep, TrainingStep
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.parameters import ParameterString

s = session()
raw = ParameterString(name="RawData", default_value="s3://${SDK_BUCKET}/raw/")
proc = ScriptProcessor(image_uri="python:3.11-slim", command=["python3"], role=ROLE,
                       instance_type="ml.m5.large", instance_count=1, sagemaker_session=s)
args = proc.run(code="prepare.py",
                inputs=[ProcessingInput(source=raw, destination="/opt/ml/processing/raw")],
                outputs=[ProcessingOutput(output_name="train", source="/opt/ml/processing/train")])
prep = ProcessingStep(name="Prepare", step_args=args)
est = SKLearn(entry_point="train.py", source_dir="src", framework_version="1.2-1", py_version="py3",
              instance_type="ml.m5.large", role=ROLE, sagemaker_session=s)
train_args = est.fit({
    "train": TrainingInput(prep.properties.ProcessingOutputConfig.Outputs["train"].S3Output.S3Uri),
    "extra": TrainingInput("s3://${SDK_BUCKET}/extra/lookup"),
})
train = TrainingStep(name="Train", step_args=train_args)
save(Pipeline(name="pull-demo", parameters=[raw], steps=[prep, train], sagemaker_session=s))
`;

export const PULL_FILES = { 'prepare.py': 'print("prepare")\n', 'src/train.py': 'print("train")\n', 'src/util.py': 'X = 1\n' };

/** The user's data the definition names, and decoys it does not (same bucket, neighbouring keys). */
export const DATA: Record<string, string> = {
  'raw/a.csv': '1,2\n', 'raw/b.csv': '3,4\n', 'extra/lookup.csv': 'k,v\n', 'extra/lookup-2.csv': 'k2,v2\n',
};
export const DECOYS: Record<string, string> = { 'raw2/c.csv': 'decoy\n', 'extra/other.csv': 'decoy\n', 'unrelated/x.bin': 'decoy\n' };

export async function sdkPipeline(moto: MotoServer, s3: S3Client): Promise<SdkDefinition> {
  const def = await writeDefinitionWithSdk(moto, PULL_SCRIPT, { files: PULL_FILES });
  for (const [key, body] of Object.entries({ ...DATA, ...DECOYS })) await s3.send(new PutObjectCommand({ Bucket: SDK_BUCKET, Key: key, Body: body }));
  return def;
}
