import { PropertyReference } from './properties.js';

/** Properties of a CreateModel step (DescribeModel). */
export class ModelProperties {
  readonly modelName: PropertyReference;
  readonly modelArn: PropertyReference;
  readonly executionRoleArn: PropertyReference;
  readonly primaryContainer: { readonly image: PropertyReference; readonly modelDataUrl: PropertyReference };

  constructor(step: string) {
    const ref = (path: string): PropertyReference => new PropertyReference(step, path);
    this.modelName = ref('ModelName');
    this.modelArn = ref('ModelArn');
    this.executionRoleArn = ref('ExecutionRoleArn');
    this.primaryContainer = { image: ref('PrimaryContainer.Image'), modelDataUrl: ref('PrimaryContainer.ModelDataUrl') };
  }
}

/** Properties of a RegisterModel step (DescribeModelPackage). */
export class ModelPackageProperties {
  readonly modelPackageName: PropertyReference;
  readonly modelPackageGroupName: PropertyReference;
  readonly modelPackageVersion: PropertyReference;
  readonly modelPackageArn: PropertyReference;
  readonly modelPackageStatus: PropertyReference;
  readonly modelApprovalStatus: PropertyReference;

  constructor(step: string) {
    const ref = (path: string): PropertyReference => new PropertyReference(step, path);
    this.modelPackageName = ref('ModelPackageName');
    this.modelPackageGroupName = ref('ModelPackageGroupName');
    this.modelPackageVersion = ref('ModelPackageVersion');
    this.modelPackageArn = ref('ModelPackageArn');
    this.modelPackageStatus = ref('ModelPackageStatus');
    this.modelApprovalStatus = ref('ModelApprovalStatus');
  }
}

/** Properties of a Transform step (DescribeTransformJob). */
export class TransformStepProperties {
  readonly transformJobName: PropertyReference;
  readonly transformJobArn: PropertyReference;
  readonly transformJobStatus: PropertyReference;
  readonly failureReason: PropertyReference;
  readonly modelName: PropertyReference;
  readonly transformOutput: { readonly s3OutputPath: PropertyReference };

  constructor(step: string) {
    const ref = (path: string): PropertyReference => new PropertyReference(step, path);
    this.transformJobName = ref('TransformJobName');
    this.transformJobArn = ref('TransformJobArn');
    this.transformJobStatus = ref('TransformJobStatus');
    this.failureReason = ref('FailureReason');
    this.modelName = ref('ModelName');
    this.transformOutput = { s3OutputPath: ref('TransformOutput.S3OutputPath') };
  }
}
