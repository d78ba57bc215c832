"""Control-flow steps, written with the SageMaker Python SDK v2: the oracle for the "control steps" pipeline of
test/sagemaker-sdk/oracle-control-steps.test.ts (Condition with every condition, Fail, Lambda, Callback, a property
file, nested Join/JsonGet, parameters of each type, every execution variable, dependsOn)."""
from cairn_oracle import ROLE, save, session
from sagemaker.lambda_helper import Lambda
from sagemaker.model import Model
from sagemaker.processing import ProcessingOutput, ScriptProcessor
from sagemaker.workflow.callback_step import CallbackOutput, CallbackOutputTypeEnum, CallbackStep
from sagemaker.workflow.condition_step import ConditionStep
from sagemaker.workflow.conditions import (ConditionEquals, ConditionGreaterThan, ConditionGreaterThanOrEqualTo, ConditionIn,
                                           ConditionLessThan, ConditionLessThanOrEqualTo, ConditionNot, ConditionOr)
from sagemaker.workflow.execution_variables import ExecutionVariables
from sagemaker.workflow.fail_step import FailStep
from sagemaker.workflow.functions import Join, JsonGet
from sagemaker.workflow.lambda_step import LambdaOutput, LambdaOutputTypeEnum, LambdaStep
from sagemaker.workflow.model_step import ModelStep
from sagemaker.workflow.parameters import ParameterBoolean, ParameterFloat, ParameterInteger, ParameterString
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.properties import PropertyFile
from sagemaker.workflow.steps import ProcessingStep

s = session()
threshold = ParameterFloat(name="Threshold", default_value=0.8)
retries = ParameterInteger(name="Retries", default_value=2)
mode = ParameterString(name="Mode", default_value="full", enum_values=["full", "quick"])
notify = ParameterBoolean(name="Notify", default_value=True)
no_default = ParameterString(name="Owner")

proc = ScriptProcessor(image_uri="python:3.11-slim", command=["python3"], role=ROLE, instance_type="ml.m5.large",
                       instance_count=1, sagemaker_session=s)
report = PropertyFile(name="Report", output_name="evaluation", path="report/evaluation.json")
evaluate = ProcessingStep(
    name="Evaluate",
    step_args=proc.run(code="evaluate.py", arguments=["--mode", mode, "--retries", retries.to_string()],
                       outputs=[ProcessingOutput(output_name="evaluation", source="/opt/ml/processing/evaluation")]),
    property_files=[report],
)
accuracy = JsonGet(step_name=evaluate.name, property_file=report, json_path="metrics.accuracy.value")
label = JsonGet(step_name=evaluate.name, property_file=report, json_path="labels[0]")
remote = JsonGet(s3_uri=Join(on="/", values=["s3://cairn-sdk-test/reports", ExecutionVariables.PIPELINE_EXECUTION_ID, "summary.json"]),
                 json_path="count")

describe = LambdaStep(
    name="Describe",
    lambda_func=Lambda(function_arn="arn:aws:lambda:us-east-1:123456789012:function:describe", session=s),
    inputs={
        "start": ExecutionVariables.START_DATETIME, "now": ExecutionVariables.CURRENT_DATETIME,
        "pipeline": ExecutionVariables.PIPELINE_NAME, "arn": ExecutionVariables.PIPELINE_ARN,
        "id": ExecutionVariables.PIPELINE_EXECUTION_ID, "executionArn": ExecutionVariables.PIPELINE_EXECUTION_ARN,
        "accuracy": accuracy, "nested": Join(on=",", values=[label, Join(on="-", values=[mode, retries, accuracy]), remote]),
        "notify": notify, "owner": no_default,
    },
    outputs=[LambdaOutput(output_name="summary", output_type=LambdaOutputTypeEnum.String),
             LambdaOutput(output_name="score", output_type=LambdaOutputTypeEnum.Float)],
    depends_on=[evaluate],
)
approve = CallbackStep(
    name="Approve",
    sqs_queue_url="https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
    inputs={"summary": describe.properties.Outputs["summary"], "threshold": threshold},
    outputs=[CallbackOutput(output_name="approved", output_type=CallbackOutputTypeEnum.Boolean),
             CallbackOutput(output_name="note")],
    display_name="Human approval", description="waits for a person",
)
model = Model(image_uri="111122223333.dkr.ecr.us-east-1.amazonaws.com/serve:1", model_data="s3://cairn-sdk-test/model.tar.gz",
              role=ROLE, sagemaker_session=s)
deploy = ModelStep(name="Deploy", step_args=model.create(), depends_on=[approve])
fail = FailStep(name="Reject", error_message=Join(on=" ", values=["accuracy", accuracy, "is below", threshold, "for", ExecutionVariables.PIPELINE_EXECUTION_ID]))
silent = FailStep(name="Silent")

gate = ConditionStep(
    name="Gate",
    conditions=[
        ConditionGreaterThanOrEqualTo(left=accuracy, right=threshold),
        ConditionOr(conditions=[
            ConditionEquals(left=mode, right="full"),
            ConditionNot(expression=ConditionIn(value=label, in_values=["risky", "dormant", 3])),
            ConditionGreaterThan(left=describe.properties.Outputs["score"], right=0.5),
            ConditionLessThan(left=retries, right=5),
            ConditionLessThanOrEqualTo(left=remote, right=100),
        ]),
        ConditionEquals(left=notify, right=True),
    ],
    if_steps=[approve, deploy],
    else_steps=[fail],
)
second = ConditionStep(name="Second", conditions=[ConditionEquals(left=gate.properties.Outcome, right=False)],
                       else_steps=[silent], depends_on=["Deploy"])

save(Pipeline(
    name="control-steps", parameters=[threshold, retries, mode, notify, no_default],
    steps=[evaluate, describe, gate, second], pipeline_experiment_config=None, sagemaker_session=s,
))
