"""Bench (i): the same 4-step pipeline for the SageMaker Python SDK v2's local mode and for `cairn run`.

Prepare → FeaturesA, FeaturesB (side by side) → Train, Processing steps of the no-op image passing files through
S3 outputs and inputs (python3 -c in the local stand-in image). FailLast=1 makes Train exit 1 (the failing last step). With CAIRN_LOCAL_MODE=1 the script
runs the pipeline with LocalPipelineSession (instance type `local`, docker compose) and exits non-zero when the
execution does not succeed; otherwise it writes `pipeline.definition()` (a PipelineSession) to CAIRN_DEFINITION_OUT.
S3 is moto's server (AWS_ENDPOINT_URL from the bench).
"""
import json
import os
import sys

import boto3
from sagemaker.processing import ProcessingInput, ProcessingOutput, Processor
from sagemaker.workflow.parameters import ParameterInteger
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.steps import ProcessingStep

LOCAL = os.environ.get("CAIRN_LOCAL_MODE") == "1"
IMAGE = os.environ.get("CAIRN_BENCH_IMAGE", "cairn-local/python:3.11-numpy")
ROLE = "arn:aws:iam::123456789012:role/cairn-bench"
BUCKET = "cairn-bench-local-mode"
OUT = "/opt/ml/processing/output/o"

boto = boto3.Session(region_name=os.environ.get("AWS_REGION", "us-east-1"))
try:
    boto.client("s3").head_bucket(Bucket=BUCKET)
except Exception:
    boto.client("s3").create_bucket(Bucket=BUCKET)
if LOCAL:
    from sagemaker.workflow.pipeline_context import LocalPipelineSession

    session = LocalPipelineSession(boto_session=boto, default_bucket=BUCKET)
else:
    from sagemaker.workflow.pipeline_context import PipelineSession

    session = PipelineSession(boto_session=boto, default_bucket=BUCKET)

fail_last = ParameterInteger(name="FailLast", default_value=0)


def step(name, code, inputs=(), arguments=()):
    """A Processing step running `python3 -c code` (no `$` anywhere: docker compose would interpolate it)."""
    processor = Processor(
        image_uri=IMAGE, role=ROLE, instance_count=1, instance_type="local" if LOCAL else "ml.m5.large",
        entrypoint=["python3", "-c", f"import os, sys; os.makedirs({OUT!r}, exist_ok=True); {code}"], sagemaker_session=session,
    )
    return ProcessingStep(
        name=name,
        step_args=processor.run(
            inputs=[ProcessingInput(source=src, destination=f"/opt/ml/processing/input/{k}") for k, src in inputs],
            outputs=[ProcessingOutput(output_name="o", source=OUT, destination=f"s3://{BUCKET}/{name}/o")],
            arguments=list(arguments),
        ),
    )


def uri(s):
    return s.properties.ProcessingOutputConfig.Outputs["o"].S3Output.S3Uri


IN = "/opt/ml/processing/input"
prepare = step("Prepare", f"open({OUT!r} + '/x', 'w').write('prepared')")
features = [
    step(n, f"open({OUT!r} + '/x', 'w').write(open({IN!r} + '/p/x').read() + ' ' + sys.argv[1])", [("p", uri(prepare))], [n])
    for n in ("FeaturesA", "FeaturesB")
]
train = step(
    "Train",
    f"open({OUT!r} + '/x', 'w').write(open({IN!r} + '/a/x').read() + open({IN!r} + '/b/x').read()); sys.exit(int(sys.argv[1]))",
    [("a", uri(features[0])), ("b", uri(features[1]))],
    [fail_last.to_string()],
)
pipeline = Pipeline(name="cairn-bench-four-step", parameters=[fail_last], steps=[prepare, *features, train], sagemaker_session=session)

if LOCAL:
    pipeline.create(role_arn=ROLE)
    execution = pipeline.start(parameters={"FailLast": int(os.environ.get("CAIRN_FAIL_LAST", "0"))})
    status = execution.describe()["PipelineExecutionStatus"]
    print(f"local mode execution: {status}")
    sys.exit(0 if status == "Succeeded" else 1)
else:
    with open(os.environ["CAIRN_DEFINITION_OUT"], "w", encoding="utf-8") as f:
        json.dump(json.loads(pipeline.definition()), f, indent=1)
