// The RegisterModels step's Lambda handler (cairn.json maps the step's FunctionArn here): registers the four models
// the Retrain step trained (one model.tar.gz) in the model registry, each with its own model-quality statistics from
// Evaluate, a description naming the run and the model, custom metadata and PendingManualApproval. The registrations
// are made in one transaction and only become visible when the step succeeds.
import type { HandlerRegistry } from 'cairn/registry';

interface Event {
  ModelPackageGroupName: string;
  ModelDataUrl: string;
  EvaluationUri: string;
  ExecutionId: string;
  /** Comma-separated model names (the k-fold models and "full"). */
  Models: string;
  ApprovalStatus?: string;
}

export async function handler(event: Event, context: { registry: HandlerRegistry }): Promise<Record<string, string>> {
  const models = event.Models.split(',').map((m) => m.trim()).filter((m) => m !== '');
  const requests = models.map((model) => ({
    ModelPackageGroupName: event.ModelPackageGroupName,
    ModelPackageDescription: `run ${event.ExecutionId}: SGAN classifier '${model}'`,
    ModelApprovalStatus: event.ApprovalStatus ?? 'PendingManualApproval',
    InferenceSpecification: {
      Containers: [{ ModelDataUrl: event.ModelDataUrl, Environment: { CAIRN_MODEL_FILE: `model_${model}.keras` } }],
      SupportedContentTypes: ['application/x-npy'],
      SupportedResponseMIMETypes: ['application/json'],
    },
    ModelMetrics: {
      ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `${event.EvaluationUri.replace(/\/+$/, '')}/model_quality_${model}.json` } },
    },
    CustomerMetadataProperties: { model, execution_id: event.ExecutionId },
  }));
  const registered = await context.registry.createModelPackages(requests);
  return {
    ModelPackageGroupName: event.ModelPackageGroupName,
    ModelPackageVersions: JSON.stringify(registered.map((r) => r.version)),
    ModelPackageArns: JSON.stringify(registered.map((r) => r.arn)),
  };
}
