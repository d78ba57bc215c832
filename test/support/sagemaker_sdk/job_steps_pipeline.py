"""Every job step type, written with the SageMaker Python SDK v2: the oracle for the "job steps" pipeline of
test/sagemaker-sdk/oracle-steps.test.ts (which writes the same pipeline with cairn/sdk)."""
from cairn_oracle import ROLE, save, session
from sagemaker.estimator import Estimator
from sagemaker.inputs import TrainingInput, TransformInput
from sagemaker.model import Model
from sagemaker.model_metrics import MetricsSource, ModelMetrics
from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor
from sagemaker.sklearn.estimator import SKLearn
from sagemaker.sklearn.processing import SKLearnProcessor
from sagemaker.tensorflow import TensorFlowModel
from sagemaker.transformer import Transformer
from sagemaker.workflow.execution_variables import ExecutionVariables
from sagemaker.workflow.functions import Join
from sagemaker.workflow.model_step import ModelStep
from sagemaker.workflow.parameters import ParameterInteger, ParameterString
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.pipeline_experiment_config import PipelineExperimentConfig
from sagemaker.workflow.retry import (SageMakerJobExceptionTypeEnum, SageMakerJobStepRetryPolicy, StepExceptionTypeEnum,
                                      StepRetryPolicy)
from sagemaker.workflow.step_collections import RegisterModel
from sagemaker.workflow.steps import CacheConfig, ProcessingStep, TrainingStep, TransformStep

s = session()
IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/custom:1"
instance = ParameterString(name="InstanceType", default_value="ml.m5.large")
approval = ParameterString(name="Approval", default_value="PendingManualApproval", enum_values=["PendingManualApproval", "Approved"])
rows = ParameterInteger(name="Rows", default_value=100)
throttled = StepRetryPolicy(exception_types=[StepExceptionTypeEnum.THROTTLING, StepExceptionTypeEnum.SERVICE_FAULT],
                            max_attempts=4, interval_seconds=2, backoff_rate=1.5)
job_errors = SageMakerJobStepRetryPolicy(exception_types=[SageMakerJobExceptionTypeEnum.INTERNAL_ERROR], expire_after_mins=30)

script = ScriptProcessor(image_uri=IMAGE, command=["python3"], role=ROLE, instance_type=instance, instance_count=1,
                         env={"ROWS": rows.to_string()}, sagemaker_session=s)
prepare = ProcessingStep(
    name="Prepare",
    step_args=script.run(code="prepare.py", arguments=["--rows", rows.to_string(), "--run", ExecutionVariables.PIPELINE_EXECUTION_ID],
                         inputs=[ProcessingInput(source="s3://cairn-sdk-test/raw", destination="/opt/ml/processing/raw")],
                         outputs=[ProcessingOutput(output_name="train", source="/opt/ml/processing/train"),
                                  ProcessingOutput(source="/opt/ml/processing/other")]),
    retry_policies=[throttled],
    cache_config=CacheConfig(enable_caching=True, expire_after="PT1H"),
)
sk = SKLearnProcessor(framework_version="1.2-1", role=ROLE, instance_type="ml.m5.xlarge", instance_count=2, sagemaker_session=s)
featurize = ProcessingStep(
    name="Featurize", display_name="Feature engineering", description="scikit-learn features",
    step_args=sk.run(code="featurize.py", inputs=[ProcessingInput(
        source=prepare.properties.ProcessingOutputConfig.Outputs["train"].S3Output.S3Uri, destination="/opt/ml/processing/in")],
        outputs=[ProcessingOutput(output_name="features", source="/opt/ml/processing/features",
                                  destination=Join(on="/", values=["s3://cairn-sdk-test/features", ExecutionVariables.PIPELINE_EXECUTION_ID]))]),
)
est = Estimator(image_uri=IMAGE, role=ROLE, instance_type=instance, instance_count=1, sagemaker_session=s,
                hyperparameters={"epochs": 3, "lr": 0.1, "flag": True, "rows": rows}, output_path="s3://cairn-sdk-test/models",
                metric_definitions=[{"Name": "loss", "Regex": "loss=([0-9.]+)"}])
train = TrainingStep(
    name="Train",
    step_args=est.fit(inputs={"train": TrainingInput(s3_data=featurize.properties.ProcessingOutputConfig.Outputs["features"].S3Output.S3Uri,
                                                     content_type="text/csv")}),
    retry_policies=[job_errors, throttled],
)
skl = SKLearn(entry_point="train.py", source_dir="src", framework_version="1.2-1", py_version="py3", role=ROLE,
              instance_type="ml.m5.large", instance_count=1, hyperparameters={"alpha": 0.5, "name": "ridge"}, sagemaker_session=s)
train_sk = TrainingStep(name="TrainSK", step_args=skl.fit(inputs="s3://cairn-sdk-test/features/static"), depends_on=[train])

model = Model(image_uri=IMAGE, model_data=train.properties.ModelArtifacts.S3ModelArtifacts, role=ROLE, env={"MODE": "batch"},
              sagemaker_session=s)
create = ModelStep(name="MakeModel", step_args=model.create(instance_type="ml.m5.large"), retry_policies=[throttled])
tf = TensorFlowModel(model_data=train.properties.ModelArtifacts.S3ModelArtifacts, role=ROLE, framework_version="2.11", sagemaker_session=s)
metrics = ModelMetrics(
    model_statistics=MetricsSource(s3_uri="s3://cairn-sdk-test/eval/statistics.json", content_type="application/json"),
    model_constraints=MetricsSource(s3_uri="s3://cairn-sdk-test/eval/constraints.json", content_type="application/json"),
    bias=MetricsSource(s3_uri="s3://cairn-sdk-test/eval/bias.json", content_type="application/json"),
)
register = ModelStep(
    name="Register",
    step_args=tf.register(content_types=["application/json"], response_types=["application/json"], inference_instances=["ml.m5.large"],
                          transform_instances=["ml.m5.xlarge"], model_package_group_name="cairn-models", approval_status=approval,
                          model_metrics=metrics, description="a TensorFlow model", customer_metadata_properties={"run": "1"},
                          domain="MACHINE_LEARNING", task="CLASSIFICATION"),
    depends_on=[create],
)
legacy = RegisterModel(
    name="Legacy", estimator=est, model_data=train.properties.ModelArtifacts.S3ModelArtifacts, content_types=["text/csv"],
    response_types=["text/csv"], inference_instances=["ml.m5.large"], transform_instances=["ml.m5.large"],
    model_package_group_name="cairn-legacy", approval_status="Approved", depends_on=["MakeModel"],
    description="the generic estimator's model", display_name="Legacy registration",
)
transformer = Transformer(model_name=create.properties.ModelName, instance_type="ml.m5.large", instance_count=1,
                          output_path="s3://cairn-sdk-test/batch", accept="text/csv", assemble_with="Line", strategy="MultiRecord",
                          max_payload=6, env={"A": "b"}, sagemaker_session=s)
batch = TransformStep(name="Batch", step_args=transformer.transform(data="s3://cairn-sdk-test/batch-in", content_type="text/csv",
                                                                    split_type="Line", input_filter="$[1:]", join_source="Input"),
                      retry_policies=[job_errors])
batch2 = TransformStep(name="Batch2", transformer=transformer, inputs=TransformInput(data="s3://cairn-sdk-test/batch-in-2"),
                       depends_on=["Batch", legacy])

save(Pipeline(
    name="job-steps", parameters=[instance, approval, rows],
    steps=[prepare, featurize, train, train_sk, create, register, legacy, batch, batch2],
    pipeline_experiment_config=PipelineExperimentConfig(experiment_name="cairn-experiment", trial_name=ExecutionVariables.PIPELINE_EXECUTION_ID),
    sagemaker_session=s,
))
