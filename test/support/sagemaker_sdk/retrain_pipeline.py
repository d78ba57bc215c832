"""examples/retrain/pipeline.ts written with the SageMaker Python SDK v2, line for line (the oracle for
test/sagemaker-sdk/oracle-retrain.test.ts). Run from a copy of examples/retrain."""
import json

from cairn_oracle import save, session
from sagemaker.processing import ProcessingInput, ProcessingOutput
from sagemaker.inputs import TrainingInput
from sagemaker.tensorflow import TensorFlow, TensorFlowProcessor
from sagemaker.workflow.condition_step import ConditionStep
from sagemaker.workflow.conditions import ConditionGreaterThanOrEqualTo
from sagemaker.workflow.execution_variables import ExecutionVariables
from sagemaker.workflow.fail_step import FailStep
from sagemaker.workflow.functions import Join, JsonGet
from sagemaker.workflow.lambda_step import LambdaOutput, LambdaOutputTypeEnum, LambdaStep
from sagemaker.lambda_helper import Lambda
from sagemaker.workflow.parameters import ParameterFloat, ParameterInteger, ParameterString
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.properties import PropertyFile
from sagemaker.workflow.retry import SageMakerJobExceptionTypeEnum, SageMakerJobStepRetryPolicy
from sagemaker.workflow.steps import CacheConfig, ProcessingStep, TrainingStep

s = session("cairn-retrain")
BUCKET = "s3://cairn-retrain"
ROLE = "arn:aws:iam::111122223333:role/SageMakerExecutionRole"
TF = dict(framework_version="2.19", py_version="py312")
CHANNELS = ["unlabeled", "risky", "dormant", "normal", "heavy"]

processing_instance_type = ParameterString(name="ProcessingInstanceType", default_value="ml.m5.xlarge")
training_instance_type = ParameterString(name="TrainingInstanceType", default_value="ml.c5.2xlarge")
iterations = ParameterInteger(name="Iterations", default_value=200)
fail_at_iteration = ParameterInteger(name="FailAtIteration", default_value=-1)
model_package_group = ParameterString(name="ModelPackageGroup", default_value="risky-player-detector")
min_accuracy = ParameterFloat(name="MinAccuracy", default_value=0.7)

with open("hyperparameters.json", encoding="utf-8") as f:
    hyperparameters = json.load(f)

processor = TensorFlowProcessor(**TF, role=ROLE, instance_type=processing_instance_type, instance_count=1, sagemaker_session=s)
cache = CacheConfig(enable_caching=True, expire_after="P30D")


def output(step, name, source):
    return ProcessingOutput(output_name=name, source=source,
                            destination=Join(on="/", values=[BUCKET, ExecutionVariables.PIPELINE_EXECUTION_ID, step, name]))


telemetry = ProcessingStep(
    name="Telemetry",
    description="Synthetic player telemetry: four small labelled sets and an unlabelled pool (deterministic)",
    step_args=processor.run(code="generate.py", source_dir="code/telemetry", arguments=["--seed", "42", "--unlabeled", "3000"],
                            outputs=[output("Telemetry", c, f"/opt/ml/processing/output/{c}") for c in CHANNELS]),
    cache_config=cache,
)

preprocess = ProcessingStep(
    name="Preprocess",
    description="train / validation / test splits, k-fold variants and a fitted scaler",
    step_args=processor.run(
        code="preprocess.py", source_dir="code/preprocess",
        arguments=["--scaler_path", "/opt/ml/processing/scaler/scaler.npz", "--kfolds", str(hyperparameters.get("kfolds", 3))],
        inputs=[ProcessingInput(input_name=c, source=telemetry.properties.ProcessingOutputConfig.Outputs[c].S3Output.S3Uri,
                                destination=f"/opt/ml/processing/input/{c}") for c in CHANNELS],
        outputs=[output("Preprocess", o, f"/opt/ml/processing/{o}") for o in ["train", "val", "test", "scaler"]]),
    cache_config=cache,
)

estimator = TensorFlow(
    **TF, entry_point="train.py", source_dir="code/train", role=ROLE, instance_type=training_instance_type, instance_count=1,
    output_path=f"{BUCKET}/models",
    checkpoint_s3_uri=Join(on="/", values=[BUCKET, "checkpoints", ExecutionVariables.PIPELINE_EXECUTION_ID]),
    hyperparameters={**hyperparameters, "iterations": iterations, "fail_at_iteration": fail_at_iteration},
    metric_definitions=[
        {"Name": "discriminator:supervised_loss", "Regex": "Discriminator_Supervised_Loss=([0-9.]+);"},
        {"Name": "discriminator:unsupervised_loss", "Regex": "Discriminator_UnSupervised_Loss=([0-9.]+);"},
        {"Name": "generator:loss", "Regex": "Generator_Loss=([0-9.]+);"},
        {"Name": "train:accuracy", "Regex": "Accuracy_Supervised=([0-9.]+);"},
        {"Name": "validation:accuracy", "Regex": "Validation_Accuracy=([0-9.]+);"},
    ],
    sagemaker_session=s,
)

retrain = TrainingStep(
    name="Retrain",
    description="Semi-supervised GAN: four classifiers (three k-fold splits and the full training split)",
    step_args=estimator.fit(inputs={
        "train": TrainingInput(s3_data=preprocess.properties.ProcessingOutputConfig.Outputs["train"].S3Output.S3Uri),
        "val": TrainingInput(s3_data=preprocess.properties.ProcessingOutputConfig.Outputs["val"].S3Output.S3Uri),
    }),
    cache_config=cache,
    retry_policies=[SageMakerJobStepRetryPolicy(
        exception_types=[SageMakerJobExceptionTypeEnum.INTERNAL_ERROR, SageMakerJobExceptionTypeEnum.CAPACITY_ERROR],
        max_attempts=3, interval_seconds=10)],
)

evaluation_summary = PropertyFile(name="EvaluationSummary", output_name="summary", path="evaluation.json")

evaluate = ProcessingStep(
    name="Evaluate",
    description="Custom metrics as CSV, and model-quality JSON per model for the registry",
    step_args=processor.run(
        code="evaluate.py", source_dir="code/evaluate",
        inputs=[
            ProcessingInput(input_name="model", source=retrain.properties.ModelArtifacts.S3ModelArtifacts, destination="/opt/ml/processing/model"),
            ProcessingInput(input_name="test", source=preprocess.properties.ProcessingOutputConfig.Outputs["test"].S3Output.S3Uri,
                            destination="/opt/ml/processing/test"),
        ],
        outputs=[output("Evaluate", "evaluation", "/opt/ml/processing/evaluation"), output("Evaluate", "summary", "/opt/ml/processing/summary")]),
    property_files=[evaluation_summary],
    cache_config=cache,
)
best_accuracy = JsonGet(step_name=evaluate.name, property_file=evaluation_summary, json_path="best.accuracy")

kfolds = int(hyperparameters.get("kfolds", 3))
models = [f"fold_{i}" for i in range(kfolds)] + ["full"]

register = LambdaStep(
    name="RegisterModels",
    description="Registers the four models with their metrics and metadata in the model registry (PendingManualApproval)",
    lambda_func=Lambda(function_arn="arn:aws:lambda:us-east-1:111122223333:function:register-risky-models", session=s),
    inputs={
        "ModelPackageGroupName": model_package_group,
        "ModelDataUrl": retrain.properties.ModelArtifacts.S3ModelArtifacts,
        "EvaluationUri": evaluate.properties.ProcessingOutputConfig.Outputs["evaluation"].S3Output.S3Uri,
        "ExecutionId": ExecutionVariables.PIPELINE_EXECUTION_ID,
        "Models": ",".join(models),
    },
    outputs=[LambdaOutput(output_name=n, output_type=LambdaOutputTypeEnum.String)
             for n in ["ModelPackageGroupName", "ModelPackageVersions", "ModelPackageArns"]],
)

too_low = FailStep(
    name="AccuracyTooLow",
    error_message=Join(values=["the best model, ", JsonGet(step_name=evaluate.name, property_file=evaluation_summary, json_path="best.model"),
                               ", has a test accuracy of ", best_accuracy, ", below MinAccuracy ", min_accuracy, ": no model was registered"]),
)

gate = ConditionStep(
    name="AccuracyGate",
    description="Registers the models only when the best one's test accuracy reaches MinAccuracy",
    conditions=[ConditionGreaterThanOrEqualTo(left=best_accuracy, right=min_accuracy)],
    if_steps=[register],
    else_steps=[too_low],
)

save(Pipeline(
    name="risky-player-retraining",
    parameters=[processing_instance_type, training_instance_type, iterations, fail_at_iteration, model_package_group, min_accuracy],
    steps=[telemetry, preprocess, retrain, evaluate, gate],
    sagemaker_session=s,
))
