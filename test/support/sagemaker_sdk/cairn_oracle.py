"""What a test's pipeline script imports to write a definition with the real SageMaker Python SDK v2.

The script runs in the venv of scripts/ensure-sagemaker-sdk.sh, with the environment test/support/sagemaker-sdk.ts
gives it (moto's endpoint, dummy credentials, the region). `session()` is a cloud PipelineSession whose S3 and STS
calls go to moto, so code uploads work offline; `save(pipeline)` writes `pipeline.definition()` where the harness
reads it (CAIRN_SDK_OUT), parsed and re-dumped so the harness gets exactly the SDK's JSON.
"""
import json
import os

import boto3
from sagemaker.workflow.pipeline_context import PipelineSession

ROLE = os.environ.get("CAIRN_SDK_ROLE", "arn:aws:iam::123456789012:role/cairn-test")
BUCKET = os.environ.get("CAIRN_SDK_BUCKET", "cairn-sdk-test")
REGION = os.environ.get("AWS_REGION", "us-east-1")


def session(bucket=BUCKET):
    boto = boto3.Session(region_name=REGION)
    s3 = boto.client("s3")
    try:
        s3.head_bucket(Bucket=bucket)
    except Exception:
        s3.create_bucket(Bucket=bucket)
    return PipelineSession(boto_session=boto, default_bucket=bucket)


def save(pipeline):
    text = pipeline.definition()
    out = os.environ["CAIRN_SDK_OUT"]
    with open(out, "w", encoding="utf-8") as f:
        json.dump(json.loads(text), f, indent=2, sort_keys=False)
        f.write("\n")
