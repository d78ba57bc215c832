/**
 * cairn's pipeline API, after the SageMaker Python SDK (`sagemaker.workflow`), with camelCase options:
 * build a `Pipeline` of `ProcessingStep`s and `TrainingStep`s and `export default` it from a `.ts`/`.js` module that
 * `cairn run` / `cairn plan` accept; `pipeline.definition()` is the JSON SageMaker reads.
 */
export { ExecutionVariables, GetVariable, Join, PipelineVariable, isPipelineVariable } from './entities.js';
export type { Expression, HyperparameterValue, JoinOptions, Num, PlainJson, Str, Value } from './entities.js';
export { Parameter, ParameterBoolean, ParameterFloat, ParameterInteger, ParameterString } from './parameters.js';
export type { ParameterType } from './parameters.js';
export { ProcessingInput, ProcessingOutput, TrainingInput } from './inputs.js';
export type { ProcessingInputOptions, ProcessingOutputOptions, TrainingChannel, TrainingInputOptions } from './inputs.js';
export { FrameworkProcessor, Processor, ScriptProcessor, TensorFlowProcessor, runprocScript } from './processing.js';
export type { Asset } from './build-context.js';
export type { FrameworkProcessorOptions, ProcessorOptions, ScriptProcessorOptions } from './processing.js';
export { Estimator, TensorFlow } from './estimator.js';
export type { EstimatorOptions, MetricDefinition, TensorFlowOptions } from './estimator.js';
export { frameworkImageUri, processorOf } from './image-uris.js';
export type { Framework, ImageUriOptions } from './image-uris.js';
export { CacheConfig, ProcessingStep, Step, TrainingStep } from './steps.js';
export { LambdaStep } from './lambda-step.js';
export { CategoricalParameter, ContinuousParameter, HyperparameterTuner, IntegerParameter, TuningStep, TuningStepProperties } from './tuning.js';
export type { HyperparameterTunerOptions, ParameterRange, ScalingType, TuningStepOptions } from './tuning.js';
export type { LambdaOutput, LambdaOutputType, LambdaStepOptions } from './lambda-step.js';
export type { CacheConfigOptions, ProcessingStepOptions, StepOptions, TrainingStepOptions } from './steps.js';
export { ProcessingOutputProperties, ProcessingStepProperties, PropertyReference, TrainingStepProperties } from './properties.js';
export { DEFAULT_BUCKET, DEFINITION_VERSION, Pipeline, PipelineExperimentConfig, isPipeline } from './pipeline.js';
export type { PipelineExperimentConfigOptions, PipelineOptions } from './pipeline.js';
