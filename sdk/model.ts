import type { Str } from './entities.js';
import { frameworkImageUri } from './image-uris.js';
import type { ModelMetrics } from './model-metrics.js';

export interface ModelOptions {
  /** The inference image (required for a plain Model; framework models derive it). */
  imageUri?: string;
  /** The model.tar.gz, e.g. a TrainingStep's `properties.modelArtifacts.s3ModelArtifacts`. */
  modelData?: Str;
  /** IAM role ARN (recorded in the definition). `roleArn` is accepted as an alias. */
  role?: string;
  roleArn?: string;
  env?: Record<string, Str>;
  vpcConfig?: { subnets: Str[]; securityGroupIds: Str[] };
  enableNetworkIsolation?: boolean;
}

/** The arguments of `model.register(...)`, named as in the SDK. */
export interface RegisterOptions {
  contentTypes?: Str[];
  responseTypes?: Str[];
  inferenceInstances?: Str[];
  transformInstances?: Str[];
  /** A versioned package in this group (or `modelPackageName` for an unversioned one). */
  modelPackageGroupName?: Str;
  modelPackageName?: Str;
  /** Default "PendingManualApproval". */
  approvalStatus?: Str;
  modelMetrics?: ModelMetrics;
  description?: Str;
  customerMetadataProperties?: Record<string, Str>;
  domain?: Str;
  task?: Str;
  samplePayloadUrl?: Str;
  /** Overrides the image of the inference specification. */
  imageUri?: string;
  /** "None" (default) or "All". */
  skipModelValidation?: 'None' | 'All';
}

/** What a ModelStep does: `model.create(...)` (a CreateModel request) or `model.register(...)` (CreateModelPackage). */
export type ModelRunKind = 'create' | 'register';
export interface ModelRun<K extends ModelRunKind = ModelRunKind> {
  kind: K;
  model: Model;
  request: Record<string, unknown>;
}

/** sagemaker.model.Model: an inference image with model data; `create()` and `register()` give a ModelStep's arguments. */
export class Model {
  readonly role: string;
  readonly opts: ModelOptions;

  constructor(opts: ModelOptions) {
    const role = opts.role ?? opts.roleArn;
    if (role === undefined) throw new Error(`${this.constructor.name}: "role" is required (the IAM role ARN SageMaker would use)`);
    this.role = role;
    this.opts = opts;
  }

  /** The image for an instance type (a plain Model has one image for all). */
  protected image(_instanceType: Str | undefined, what: string): string {
    if (this.opts.imageUri === undefined || this.opts.imageUri === '') throw new Error(`${this.constructor.name}: "imageUri" is required to ${what}`);
    return this.opts.imageUri;
  }

  /** `container_def`: `{Image, Environment, ModelDataUrl?}`. */
  protected container(image: string): Record<string, unknown> {
    const c: Record<string, unknown> = { Image: image, Environment: this.opts.env ?? {} };
    if (this.opts.modelData !== undefined) c.ModelDataUrl = this.opts.modelData;
    return c;
  }

  /** Extra fields of a registered container (framework models name their framework). */
  protected packageContainer(image: string): Record<string, unknown> {
    return this.container(image);
  }

  /** The step arguments of `Model.create()`: `{ExecutionRoleArn, PrimaryContainer, VpcConfig?, EnableNetworkIsolation?}`. */
  create(opts: { instanceType?: Str } = {}): ModelRun<'create'> {
    const request: Record<string, unknown> = { ExecutionRoleArn: this.role, PrimaryContainer: this.container(this.image(opts.instanceType, 'create a model')) };
    const vpc = this.opts.vpcConfig;
    if (vpc !== undefined) request.VpcConfig = { Subnets: vpc.subnets, SecurityGroupIds: vpc.securityGroupIds };
    if (this.opts.enableNetworkIsolation === true) request.EnableNetworkIsolation = true;
    return { kind: 'create', model: this, request };
  }

  /** The step arguments of `Model.register()`: a CreateModelPackage request, keys as the SDK writes them. */
  register(o: RegisterOptions = {}): ModelRun<'register'> {
    if (o.modelPackageGroupName !== undefined && o.modelPackageName !== undefined) {
      throw new Error(`${this.constructor.name}.register: give "modelPackageGroupName" or "modelPackageName", not both`);
    }
    const instance = o.inferenceInstances?.[0] ?? o.transformInstances?.[0];
    const image = o.imageUri ?? this.image(instance, 'register a model');
    return { kind: 'register', model: this, request: modelPackageRequest([this.packageContainer(image)], o) };
  }
}

/** A CreateModelPackage request as the SDK writes it in a pipeline (session.get_create_model_package_request). */
export function modelPackageRequest(containers: Record<string, unknown>[], o: RegisterOptions): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  if (o.modelPackageName !== undefined) r.ModelPackageName = o.modelPackageName;
  if (o.modelPackageGroupName !== undefined) r.ModelPackageGroupName = o.modelPackageGroupName;
  if (o.description !== undefined) r.ModelPackageDescription = o.description;
  if (o.modelMetrics !== undefined) r.ModelMetrics = o.modelMetrics.toRequest();
  if (o.customerMetadataProperties !== undefined) r.CustomerMetadataProperties = o.customerMetadataProperties;
  if (o.domain !== undefined) r.Domain = o.domain;
  if (o.samplePayloadUrl !== undefined) r.SamplePayloadUrl = o.samplePayloadUrl;
  if (o.task !== undefined) r.Task = o.task;
  r.InferenceSpecification = inferenceSpecification(containers, o);
  r.ModelApprovalStatus = o.approvalStatus ?? 'PendingManualApproval';
  r.SkipModelValidation = o.skipModelValidation ?? 'None';
  return r;
}

/** `InferenceSpecification` of a CreateModelPackage request. */
function inferenceSpecification(containers: Record<string, unknown>[], o: RegisterOptions): Record<string, unknown> {
  const spec: Record<string, unknown> = { Containers: containers };
  if (o.contentTypes !== undefined) spec.SupportedContentTypes = o.contentTypes;
  if (o.responseTypes !== undefined) spec.SupportedResponseMIMETypes = o.responseTypes;
  if (o.modelPackageGroupName === undefined && (o.inferenceInstances === undefined || o.transformInstances === undefined)) {
    throw new Error('register: "inferenceInstances" and "transformInstances" are required when there is no "modelPackageGroupName"');
  }
  if (o.inferenceInstances !== undefined) spec.SupportedRealtimeInferenceInstanceTypes = o.inferenceInstances;
  if (o.transformInstances !== undefined) spec.SupportedTransformInstanceTypes = o.transformInstances;
  return spec;
}

export interface TensorFlowModelOptions extends ModelOptions {
  frameworkVersion: string;
  /** Default us-east-1 (the image's region). */
  region?: string;
}

/** sagemaker.tensorflow.TensorFlowModel: a model served by the TensorFlow Serving inference image. */
export class TensorFlowModel extends Model {
  readonly frameworkVersion: string;

  constructor(opts: TensorFlowModelOptions) {
    super(opts);
    if (!opts.frameworkVersion) throw new Error('TensorFlowModel: "frameworkVersion" is required to pick the image');
    this.frameworkVersion = opts.frameworkVersion;
  }

  protected override image(instanceType: Str | undefined, what: string): string {
    if (this.opts.imageUri !== undefined) return this.opts.imageUri;
    if (typeof instanceType !== 'string') {
      throw new Error(`TensorFlowModel: to ${what} without "imageUri", give an instance type (a plain string) to pick the TensorFlow Serving image`);
    }
    const region = (this.opts as TensorFlowModelOptions).region;
    return frameworkImageUri({ framework: 'tensorflow', frameworkVersion: this.frameworkVersion, pyVersion: 'py3', instanceType, region, scope: 'inference' });
  }

  protected override packageContainer(image: string): Record<string, unknown> {
    return { ...this.container(image), Framework: 'TENSORFLOW', FrameworkVersion: this.frameworkVersion };
  }
}
