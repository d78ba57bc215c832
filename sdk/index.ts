/**
 * cairn's pipeline API, after the SageMaker Python SDK (`sagemaker.workflow`), with camelCase options: build a
 * `Pipeline` of steps (Processing, Training, Transform, Model, RegisterModel, Condition, Fail, Lambda, Callback) and
 * `export default` it from a `.ts`/`.js` module that `cairn run` / `cairn plan` accept; `pipeline.definition()` is the
 * JSON SageMaker reads. test/sagemaker-sdk/ checks it against the Python SDK's own definitions.
 */
export { ExecutionVariables, GetVariable, Join, PipelineVariable, isPipelineVariable } from './entities.js';
export type { Expression, HyperparameterValue, JoinOptions, Num, PlainJson, Str, Value } from './entities.js';
export { Parameter, ParameterBoolean, ParameterFloat, ParameterInteger, ParameterString } from './parameters.js';
export type { ParameterType } from './parameters.js';
export { ProcessingInput, ProcessingOutput, TrainingInput } from './inputs.js';
export type { ProcessingInputOptions, ProcessingOutputOptions, TrainingChannel, TrainingInputOptions } from './inputs.js';
export { FrameworkProcessor, Processor, ScriptProcessor, TensorFlowProcessor, runprocScript } from './processing.js';
export type { Asset } from './build-context.js';
export type { FrameworkProcessorOptions, ProcessingRun, ProcessorOptions, RunOptions, ScriptProcessorOptions } from './processing.js';
export { Estimator, TensorFlow } from './estimator.js';
export type { EstimatorOptions, MetricDefinition, TensorFlowOptions, TrainingRun } from './estimator.js';
export { SKLearn, SKLearnProcessor, sklearnImageUri } from './sklearn.js';
export type { SKLearnOptions, SKLearnProcessorOptions } from './sklearn.js';
export { frameworkImageUri, processorOf } from './image-uris.js';
export type { Framework, ImageUriOptions } from './image-uris.js';
export { CacheConfig, Step, StepCollection } from './steps.js';
export type { CacheableStepOptions, CacheConfigOptions, PipelineStep, RetryableStepOptions, StepOptions } from './steps.js';
export { ProcessingStep } from './processing-step.js';
export type { ProcessingStepOptions } from './processing-step.js';
export { TrainingStep } from './training-step.js';
export type { TrainingStepOptions } from './training-step.js';
export { TransformInput, Transformer } from './transformer.js';
export type { TransformInputOptions, TransformRun, TransformerOptions } from './transformer.js';
export { TransformStep } from './transform-step.js';
export type { TransformStepOptions } from './transform-step.js';
export { Model, TensorFlowModel } from './model.js';
export type { ModelOptions, ModelRun, ModelRunKind, RegisterOptions, TensorFlowModelOptions } from './model.js';
export { MetricsSource, ModelMetrics } from './model-metrics.js';
export type { MetricsSourceOptions, ModelMetricsOptions } from './model-metrics.js';
export { ModelRequestStep, ModelStep } from './model-step.js';
export type { ModelStepOptions, ModelStepProperties } from './model-step.js';
export { RegisterModel } from './register-model.js';
export type { RegisterModelOptions } from './register-model.js';
export {
  Condition, ConditionComparison, ConditionEquals, ConditionGreaterThan, ConditionGreaterThanOrEqualTo, ConditionIn,
  ConditionLessThan, ConditionLessThanOrEqualTo, ConditionNot, ConditionOr,
} from './conditions.js';
export type { ComparisonOptions, ConditionType } from './conditions.js';
export { ConditionStep } from './condition-step.js';
export type { ConditionStepOptions } from './condition-step.js';
export { FailStep } from './fail-step.js';
export type { FailStepOptions } from './fail-step.js';
export { JsonGet, PropertyFile } from './property-file.js';
export type { JsonGetOptions, PropertyFileHolder, PropertyFileOptions } from './property-file.js';
export {
  RetryPolicy, SageMakerJobExceptionType, SageMakerJobStepRetryPolicy, StepExceptionType, StepRetryPolicy,
} from './retry-policy.js';
export type { RetryPolicyOptions, SageMakerJobExceptionTypeValue, StepExceptionTypeValue } from './retry-policy.js';
export { LambdaStep } from './lambda-step.js';
export { CategoricalParameter, ContinuousParameter, HyperparameterTuner, IntegerParameter, TuningStep, TuningStepProperties } from './tuning.js';
export type { HyperparameterTunerOptions, ParameterRange, ScalingType, TuningStepOptions } from './tuning.js';
export type { LambdaOutput, LambdaOutputType, LambdaStepOptions } from './lambda-step.js';
export { CallbackStep } from './callback-step.js';
export type { CallbackOutput, CallbackStepOptions } from './callback-step.js';
export type { OutputParameter, OutputParameterProperties, OutputParameterType } from './output-parameters.js';
export { ProcessingOutputProperties, ProcessingStepProperties, PropertyReference, TrainingStepProperties } from './properties.js';
export { ModelPackageProperties, ModelProperties, TransformStepProperties } from './model-properties.js';
export {
  DEFAULT_BUCKET, DEFINITION_VERSION, ParallelismConfiguration, Pipeline, PipelineExperimentConfig, isPipeline,
} from './pipeline.js';
export type { PipelineExperimentConfigOptions, PipelineOptions } from './pipeline.js';
