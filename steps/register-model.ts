import type { Store } from '../cache/store.js';
import type { JsonObject, JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import { Registry } from '../registry/registry.js';
import { readPackageRequest, type PackageRequest } from '../registry/request.js';
import type { PreparedStep, StepContext, StepExecutor, StepSuccess } from '../contracts/executor.js';
import { stepFailure, type StepFailure } from '../contracts/step-failure.js';
import { hashStepInputs, type StepInput } from './step-inputs.js';

interface RegisterPlan {
  kind: 'register-model';
  request: PackageRequest;
}

/**
 * A RegisterModel step (CreateModelPackage), which SageMaker's local mode refuses: registers the model package in
 * the local registry (registry/), in one transaction when the step runs, and exposes `ModelPackageArn`,
 * `ModelPackageVersion`, `ModelPackageGroupName` … to downstream steps. Never reused from the cache: SageMaker's step
 * caching does not cover RegisterModel, and a registration is an effect. The fingerprint (kept for `explain` and
 * `models lineage`) holds the content hashes of the statistics file and the model data.
 */
export class RegisterModelExecutor implements StepExecutor<RegisterPlan> {
  readonly type = 'RegisterModel';
  readonly cacheable = false;

  /** `store` holds the local model registry the step writes to. */
  constructor(private readonly store: Store) {}

  async prepare(args: JsonValue, ctx: StepContext): Promise<Result<PreparedStep<RegisterPlan>, StepFailure>> {
    const step = `RegisterModel step "${ctx.stepName}"`;
    const req = readPackageRequest(args, step);
    if (!req.ok) return err(stepFailure('invalid-arguments', { field: 'Arguments', message: req.error }));
    const inputs: StepInput[] = [];
    if (req.value.statisticsUri !== undefined) {
      inputs.push({ name: 'statistics', uri: req.value.statisticsUri, containerPath: '', field: 'ModelMetrics.ModelQuality.Statistics.S3Uri' });
    }
    if (req.value.modelDataUrl !== undefined) {
      inputs.push({ name: 'model', uri: req.value.modelDataUrl, containerPath: '', field: 'InferenceSpecification.Containers[].ModelDataUrl' });
    }
    const hashes = await hashStepInputs(ctx, inputs);
    if (!hashes.ok) return hashes;
    const plan: RegisterPlan = { kind: 'register-model', request: req.value };
    return ok({
      fingerprint: { image: { uri: 'register-model', id: 'register-model' }, arguments: args, inputs: hashes.value, environment: {} },
      job: plan,
    });
  }

  async execute(prepared: PreparedStep<RegisterPlan>, ctx: StepContext): Promise<Result<StepSuccess, StepFailure>> {
    const { request } = prepared.job;
    const step = `RegisterModel step "${ctx.stepName}"`;
    const registry = new Registry(this.store.db);
    const r = await registry.createModelPackage(request.request, {
      artifacts: ctx.artifacts, upstream: ctx.upstreamOutputs, runId: ctx.runId, step: ctx.stepName, attempt: ctx.attempt,
    });
    if (!r.ok) return err(stepFailure('invalid-arguments', { field: 'Arguments', message: `${step}: ${r.error}` }));
    const { arn, version, group } = r.value;
    ctx.onLine(`registered ${group} version ${version} (${arn}), status ${request.status}`, 'stdout');
    ctx.log.info({ arn, version, group }, 'model package registered');
    const properties: JsonObject = {
      ...request.request,
      ModelPackageArn: arn,
      ModelPackageGroupName: group,
      ModelPackageVersion: version,
      ModelApprovalStatus: request.status,
      ModelPackageStatus: 'Completed',
      CreationTime: new Date().toISOString(),
    };
    return ok({ properties, outputs: [] });
  }
}
