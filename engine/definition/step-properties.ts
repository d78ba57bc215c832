import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import type { PropertySegment } from './property-path.js';

/**
 * Top-level properties each step type exposes to `Get: Steps.<name>.<property>` (the Describe* response of the job
 * the step creates). Step types absent from this table are not checked.
 */
const PROPERTIES: Record<string, readonly string[]> = {
  Processing: [
    'ProcessingJobName', 'ProcessingJobArn', 'ProcessingJobStatus', 'ProcessingOutputConfig', 'ProcessingInputs',
    'AppSpecification', 'Environment', 'ProcessingResources', 'RoleArn', 'StoppingCondition', 'NetworkConfig',
    'ExperimentConfig', 'ExitMessage', 'FailureReason', 'CreationTime', 'LastModifiedTime', 'ProcessingStartTime',
    'ProcessingEndTime', 'MonitoringScheduleArn', 'AutoMLJobArn', 'TrainingJobArn',
  ],
  Training: [
    'TrainingJobName', 'TrainingJobArn', 'TrainingJobStatus', 'SecondaryStatus', 'ModelArtifacts',
    'FinalMetricDataList', 'HyperParameters', 'AlgorithmSpecification', 'OutputDataConfig', 'InputDataConfig',
    'ResourceConfig', 'RoleArn', 'StoppingCondition', 'VpcConfig', 'CheckpointConfig', 'DebugHookConfig',
    'DebugRuleConfigurations', 'DebugRuleEvaluationStatuses', 'ProfilerConfig', 'ProfilerRuleConfigurations',
    'ProfilerRuleEvaluationStatuses', 'ProfilingStatus', 'TensorBoardOutputConfig', 'ExperimentConfig', 'Environment',
    'RetryStrategy', 'EnableNetworkIsolation', 'EnableInterContainerTrafficEncryption', 'EnableManagedSpotTraining',
    'TrainingTimeInSeconds', 'BillableTimeInSeconds', 'SecondaryStatusTransitions', 'FailureReason', 'CreationTime',
    'TrainingStartTime', 'TrainingEndTime', 'LastModifiedTime', 'TuningJobArn', 'LabelingJobArn', 'AutoMLJobArn',
    'WarmPoolStatus', 'RemoteDebugConfig', 'InfraCheckConfig',
  ],
  Transform: [
    'TransformJobName', 'TransformJobArn', 'TransformJobStatus', 'FailureReason', 'ModelName',
    'MaxConcurrentTransforms', 'ModelClientConfig', 'MaxPayloadInMB', 'BatchStrategy', 'Environment',
    'TransformInput', 'TransformOutput', 'DataCaptureConfig', 'TransformResources', 'CreationTime',
    'TransformStartTime', 'TransformEndTime', 'LabelingJobArn', 'AutoMLJobArn', 'DataProcessing', 'ExperimentConfig',
  ],
  Model: [
    'ModelName', 'ModelArn', 'PrimaryContainer', 'Containers', 'InferenceExecutionConfig', 'ExecutionRoleArn',
    'VpcConfig', 'CreationTime', 'EnableNetworkIsolation', 'DeploymentRecommendation',
  ],
  RegisterModel: [
    'ModelPackageArn', 'ModelPackageName', 'ModelPackageGroupName', 'ModelPackageVersion', 'ModelPackageDescription',
    'ModelPackageStatus', 'ModelPackageStatusDetails', 'ModelApprovalStatus', 'ApprovalDescription',
    'InferenceSpecification', 'SourceAlgorithmSpecification', 'ValidationSpecification', 'CertifyForMarketplace',
    'MetadataProperties', 'ModelMetrics', 'DriftCheckBaselines', 'CustomerMetadataProperties',
    'AdditionalInferenceSpecifications', 'Domain', 'Task', 'SamplePayloadUrl', 'SkipModelValidation', 'SourceUri',
    'SecurityConfig', 'ModelCard', 'CreatedBy', 'CreationTime', 'LastModifiedBy', 'LastModifiedTime',
  ],
  Tuning: [
    'HyperParameterTuningJobName', 'HyperParameterTuningJobArn', 'HyperParameterTuningJobConfig',
    'HyperParameterTuningJobStatus', 'TrainingJobDefinition', 'TrainingJobDefinitions', 'TrainingJobSummaries',
    'TrainingJobStatusCounters', 'ObjectiveStatusCounters', 'BestTrainingJob', 'OverallBestTrainingJob',
    'WarmStartConfig', 'FailureReason', 'CreationTime', 'HyperParameterTuningEndTime', 'LastModifiedTime',
  ],
  Lambda: ['OutputParameters'],
  Callback: ['OutputParameters'],
  Condition: ['Outcome'],
  Fail: [],
  QualityCheck: [
    'CalculatedBaselineConstraints', 'CalculatedBaselineStatistics', 'BaselineUsedForDriftCheckConstraints',
    'BaselineUsedForDriftCheckStatistics',
  ],
  ClarifyCheck: ['CalculatedBaselineConstraints', 'BaselineUsedForDriftCheckConstraints', 'ViolationReport'],
};
PROPERTIES.CreateModel = PROPERTIES.Model ?? [];

/** What the checker needs to know about the referenced step. */
export interface ReferencedStep {
  name: string;
  type: string;
  arguments: JsonValue;
  propertyFileNames: string[];
}

/** Why `segments` is not a property of `step`, or undefined when it may be one. */
export function checkStepProperty(step: ReferencedStep, segments: readonly PropertySegment[]): string | undefined {
  const [first, second, third] = segments;
  if (first?.kind !== 'key') return 'a property path must start with a name';
  if (first.name === 'PropertyFiles') {
    if (second?.kind !== 'key') return `expected PropertyFiles.<name> after step "${step.name}"`;
    if (step.propertyFileNames.includes(second.name)) return undefined;
    const known = step.propertyFileNames.length === 0 ? 'it has none' : `it has ${quoteList(step.propertyFileNames)}`;
    return `step "${step.name}" has no property file "${second.name}" (${known})`;
  }
  const table = Object.hasOwn(PROPERTIES, step.type) ? PROPERTIES[step.type] : undefined;
  if (table === undefined) return undefined;
  if (!table.includes(first.name)) return `${step.type} step "${step.name}" has no property "${first.name}"`;
  if (step.type === 'Processing' && first.name === 'ProcessingOutputConfig' && third?.kind === 'select') {
    const isOutputs = second?.kind === 'key' && second.name === 'Outputs';
    const names = isOutputs ? literalOutputNames(step.arguments) : undefined;
    if (names !== undefined && !names.includes(third.value)) {
      const known = names.length === 0 ? 'it has none' : `outputs: ${quoteList(names)}`;
      return `Processing step "${step.name}" has no output named "${third.value}" (${known})`;
    }
  }
  return undefined;
}

/** OutputNames of a Processing step, when all of them are written literally. */
export function literalOutputNames(args: JsonValue): string[] | undefined {
  if (!isJsonObject(args)) return undefined;
  const config = args.ProcessingOutputConfig;
  if (config === undefined) return [];
  if (!isJsonObject(config) || !Array.isArray(config.Outputs)) return undefined;
  const names: string[] = [];
  for (const o of config.Outputs) {
    if (!isJsonObject(o) || typeof o.OutputName !== 'string') return undefined;
    names.push(o.OutputName);
  }
  return names;
}

function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
