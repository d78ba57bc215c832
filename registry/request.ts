import { isJsonObject, type JsonObject, type JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import { APPROVAL_STATUSES, type ApprovalStatus } from './types.js';

/** A CreateModelPackage request, checked: the fields the registry keeps apart from the request as a whole. */
export interface PackageRequest {
  group: string;
  status: ApprovalStatus;
  description?: string;
  customerMetadata: Record<string, string>;
  inferenceSpecification: JsonObject;
  modelMetrics: JsonObject;
  statisticsUri?: string;
  modelDataUrl?: string;
  request: JsonObject;
}

/** SageMaker's pattern for the name; its length (1 to 63) is a constraint of its own, as hyphens may repeat. */
const GROUP_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/**
 * Checks a CreateModelPackage request (the Arguments of a RegisterModel step, or what a handler passes): the group
 * name as SageMaker constrains it, ModelApprovalStatus (default PendingManualApproval), string-valued
 * CustomerMetadataProperties, and the URIs of ModelMetrics.ModelQuality.Statistics and the first container's model data.
 */
export function readPackageRequest(v: JsonValue | undefined, what: string): Result<PackageRequest, string> {
  if (!isJsonObject(v)) return err(`${what}: the request must be an object (CreateModelPackage's fields), not ${v === undefined ? 'nothing' : Array.isArray(v) ? 'a list' : typeof v}.`);
  const group = v.ModelPackageGroupName;
  if (typeof group !== 'string' || group.length > 63 || !GROUP_NAME.test(group)) {
    return err(`${what}: ModelPackageGroupName must be 1 to 63 letters, digits and hyphens (starting with a letter or digit), not ${JSON.stringify(group ?? null)}.`);
  }
  const status = v.ModelApprovalStatus ?? 'PendingManualApproval';
  if (typeof status !== 'string' || !(APPROVAL_STATUSES as readonly string[]).includes(status)) {
    return err(`${what}: ModelApprovalStatus must be one of ${APPROVAL_STATUSES.join(', ')}, not ${JSON.stringify(status)}.`);
  }
  const description = v.ModelPackageDescription;
  if (description !== undefined && typeof description !== 'string') return err(`${what}: ModelPackageDescription must be a string.`);
  const metadata = v.CustomerMetadataProperties ?? {};
  if (!isJsonObject(metadata) || Object.values(metadata).some((x) => typeof x !== 'string')) {
    return err(`${what}: CustomerMetadataProperties must be an object of string values, e.g. {"model": "full"}.`);
  }
  const spec = v.InferenceSpecification ?? {};
  if (!isJsonObject(spec)) return err(`${what}: InferenceSpecification must be an object with "Containers".`);
  const metrics = v.ModelMetrics ?? {};
  if (!isJsonObject(metrics)) return err(`${what}: ModelMetrics must be an object such as {"ModelQuality": {"Statistics": {"ContentType": "application/json", "S3Uri": "s3://…"}}}.`);
  const out: PackageRequest = {
    group, status: status as ApprovalStatus, customerMetadata: metadata as Record<string, string>,
    inferenceSpecification: spec, modelMetrics: metrics, request: v,
  };
  if (description !== undefined) out.description = description;
  const stats = isJsonObject(metrics.ModelQuality) && isJsonObject(metrics.ModelQuality.Statistics) ? metrics.ModelQuality.Statistics : undefined;
  if (stats !== undefined) {
    if (typeof stats.S3Uri !== 'string' || stats.S3Uri === '') return err(`${what}: ModelMetrics.ModelQuality.Statistics.S3Uri must be the URI of the statistics JSON.`);
    out.statisticsUri = stats.S3Uri;
  }
  const containers = Array.isArray(spec.Containers) ? spec.Containers : [];
  for (const [i, c] of containers.entries()) {
    if (!isJsonObject(c) || c.ModelDataUrl === undefined) continue;
    if (typeof c.ModelDataUrl !== 'string') return err(`${what}: InferenceSpecification.Containers[${i}].ModelDataUrl must be a URI string.`);
    out.modelDataUrl = c.ModelDataUrl;
    break;
  }
  return ok(out);
}

/** `arn:aws:sagemaker:local:000000000000:model-package/<group>/<version>`. */
export function modelPackageArn(group: string, version: number): string {
  return `arn:aws:sagemaker:local:000000000000:model-package/${group.toLowerCase()}/${version}`;
}
