// The Register step's Lambda handler (cairn.json maps the step's FunctionArn here): registers the trained model in
// cairn's local model registry with its evaluation as model-quality statistics (`npx cairn models list <group>`).
import type { HandlerRegistry } from 'cairn/registry';

interface Event {
  ModelPackageGroupName: string;
  ModelDataUrl: string;
  EvaluationUri: string;
  ExecutionId: string;
}

export async function handler(event: Event, context: { registry: HandlerRegistry }): Promise<{ ModelPackageArn: string }> {
  const registered = await context.registry.createModelPackage({
    ModelPackageGroupName: event.ModelPackageGroupName,
    ModelPackageDescription: `run ${event.ExecutionId}`,
    ModelApprovalStatus: 'PendingManualApproval',
    InferenceSpecification: {
      Containers: [{ Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3', ModelDataUrl: event.ModelDataUrl }],
      SupportedContentTypes: ['text/csv'],
      SupportedResponseMIMETypes: ['application/json'],
    },
    ModelMetrics: {
      ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `${event.EvaluationUri.replace(/\/+$/, '')}/evaluation.json` } },
    },
  });
  return { ModelPackageArn: registered.arn };
}
