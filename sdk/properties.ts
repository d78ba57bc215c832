import { GetVariable } from './entities.js';

/**
 * Typed `step.properties`: each leaf is a `{"Get": "Steps.<step>.<path>"}` reference to the Describe* response of the
 * job the step creates, named and shaped as in sagemaker.workflow.properties (camelCase here). Referencing another
 * step's property makes the referencing step depend on it.
 */
export class PropertyReference extends GetVariable {
  constructor(readonly stepName: string, readonly propertyPath: string) {
    super(`Steps.${stepName}.${propertyPath}`);
  }
}

function ref(step: string, path: string): PropertyReference {
  return new PropertyReference(step, path);
}

function quoteKey(key: string): string {
  return `['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

function unknownName(kind: string, step: string, name: string, known: readonly string[]): Error {
  const list = known.length === 0 ? 'it has none' : `it has ${known.map((k) => `"${k}"`).join(', ')}`;
  return new Error(`step "${step}" has no ${kind} "${name}" (${list})`);
}

/** `Steps.S.ProcessingOutputConfig.Outputs['name']`. */
export class ProcessingOutputProperties {
  readonly outputName: PropertyReference;
  readonly s3Output: { readonly s3Uri: PropertyReference; readonly localPath: PropertyReference; readonly s3UploadMode: PropertyReference };

  constructor(step: string, name: string) {
    const base = `ProcessingOutputConfig.Outputs${quoteKey(name)}`;
    this.outputName = ref(step, `${base}.OutputName`);
    this.s3Output = {
      s3Uri: ref(step, `${base}.S3Output.S3Uri`),
      localPath: ref(step, `${base}.S3Output.LocalPath`),
      s3UploadMode: ref(step, `${base}.S3Output.S3UploadMode`),
    };
  }
}

/** Properties of a Processing step (DescribeProcessingJob). `N` is the union of its output names. */
export class ProcessingStepProperties<N extends string = string> {
  readonly processingJobName: PropertyReference;
  readonly processingJobArn: PropertyReference;
  readonly processingJobStatus: PropertyReference;
  readonly exitMessage: PropertyReference;
  readonly failureReason: PropertyReference;
  readonly processingOutputConfig: { readonly outputs: { get(name: N): ProcessingOutputProperties } };

  constructor(step: string, outputNames: () => readonly string[]) {
    this.processingJobName = ref(step, 'ProcessingJobName');
    this.processingJobArn = ref(step, 'ProcessingJobArn');
    this.processingJobStatus = ref(step, 'ProcessingJobStatus');
    this.exitMessage = ref(step, 'ExitMessage');
    this.failureReason = ref(step, 'FailureReason');
    this.processingOutputConfig = {
      outputs: {
        get(name: N): ProcessingOutputProperties {
          const known = outputNames();
          if (!known.includes(name)) throw unknownName('output', step, name, known);
          return new ProcessingOutputProperties(step, name);
        },
      },
    };
  }

  /** Shorthand for `processingOutputConfig.outputs.get(name).s3Output.s3Uri`. */
  outputUri(name: N): PropertyReference {
    return this.processingOutputConfig.outputs.get(name).s3Output.s3Uri;
  }
}

/** Properties of a Training step (DescribeTrainingJob). */
export class TrainingStepProperties {
  readonly trainingJobName: PropertyReference;
  readonly trainingJobArn: PropertyReference;
  readonly trainingJobStatus: PropertyReference;
  readonly failureReason: PropertyReference;
  readonly modelArtifacts: { readonly s3ModelArtifacts: PropertyReference };
  readonly outputDataConfig: { readonly s3OutputPath: PropertyReference };
  readonly finalMetricDataList: { get(metricName: string): { readonly metricName: PropertyReference; readonly value: PropertyReference } };
  readonly hyperParameters: { get(name: string): PropertyReference };

  constructor(step: string) {
    this.trainingJobName = ref(step, 'TrainingJobName');
    this.trainingJobArn = ref(step, 'TrainingJobArn');
    this.trainingJobStatus = ref(step, 'TrainingJobStatus');
    this.failureReason = ref(step, 'FailureReason');
    this.modelArtifacts = { s3ModelArtifacts: ref(step, 'ModelArtifacts.S3ModelArtifacts') };
    this.outputDataConfig = { s3OutputPath: ref(step, 'OutputDataConfig.S3OutputPath') };
    this.finalMetricDataList = {
      get: (metric: string) => ({
        metricName: ref(step, `FinalMetricDataList${quoteKey(metric)}.MetricName`),
        value: ref(step, `FinalMetricDataList${quoteKey(metric)}.Value`),
      }),
    };
    this.hyperParameters = { get: (name: string) => ref(step, `HyperParameters${quoteKey(name)}`) };
  }
}
