import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordedOutput } from '../contracts/artifacts.js';
import type { FingerprintParts } from '../contracts/fingerprint.js';
import { PROCESSING_CONFIG_DIR, writeProcessingConfig } from '../containers/contract/processing.js';
import { OUTPUT_DIR } from '../containers/contract/shared.js';
import type { Mount } from '../contracts/container-runtime.js';
import type { JsonObject, JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { PreparedStep, StepContext, StepExecutor, StepSuccess } from '../contracts/executor.js';
import { withWhere, type StepFailure } from '../contracts/step-failure.js';
import { jobArn, stepJobName } from './job-name.js';
import { cloneJson, deleteAt, setAt } from './json-edit.js';
import { readProcessingJob, type ProcessingJobSpec } from './processing-job.js';
import { runStepContainer } from './step-container.js';
import { runnableImage, resolveStepImage, type StepImage } from './step-image.js';
import { hashStepInputs, safeDirName, stageStepInputs } from './step-inputs.js';
import { hostNetwork, runInstances, type JobInstance } from './job-instances.js';
import { jobNetwork } from './job-network.js';
import { mergeHostOutputs } from './instance-outputs.js';

const IMAGE_FIELD = 'AppSpecification.ImageUri';

interface ProcessingPlan {
  kind: 'processing';
  spec: ProcessingJobSpec;
  image: StepImage;
}

/** Runs a Processing step: CreateProcessingJob semantics in one local container. */
export class ProcessingExecutor implements StepExecutor<ProcessingPlan> {
  readonly type = 'Processing';

  async prepare(args: JsonValue, ctx: StepContext, opts: { pull: boolean }): Promise<Result<PreparedStep<ProcessingPlan>, StepFailure>> {
    const spec = readProcessingJob(args, ctx.stepName);
    if (!spec.ok) return spec;
    const image = await resolveStepImage(ctx, spec.value.imageUri, IMAGE_FIELD, opts.pull);
    if (!image.ok) return image;
    const hashes = await hashStepInputs(ctx, spec.value.inputs);
    if (!hashes.ok) return hashes;

    const fpArgs = cloneJson<JsonValue>(spec.value.args);
    // The URI gives way to the input's name; what it pointed to is in `inputs` (name → content hash).
    spec.value.inputs.forEach((input, i) => {
      setAt(fpArgs, ['ProcessingInputs', i, 'S3Input', 'S3Uri'], `input:${input.name}`);
    });
    spec.value.outputs.forEach((_, i) => deleteAt(fpArgs, ['ProcessingOutputConfig', 'Outputs', i, 'S3Output', 'S3Uri']));
    const fingerprint: FingerprintParts = {
      image: { uri: image.value.uri, id: image.value.id },
      arguments: fpArgs,
      inputs: hashes.value,
      environment: spec.value.environment,
    };
    const plan: ProcessingPlan = { kind: 'processing', spec: spec.value, image: image.value };
    return ok({ fingerprint, job: plan });
  }

  async execute(prepared: PreparedStep<ProcessingPlan>, ctx: StepContext): Promise<Result<StepSuccess, StepFailure>> {
    const { spec, image } = prepared.job;
    const started = new Date();
    const jobName = stepJobName(ctx.executionId, ctx.stepName);
    const arn = jobArn('processing-job', jobName);

    const imageId = await runnableImage(ctx, image, IMAGE_FIELD);
    if (!imageId.ok) return imageId;
    const job: HostJob = { spec, image: imageId.value, imageUri: image.uri, jobName, arn };
    // InstanceCount > 1: that many hosts at once on one network (steps/job-instances.ts); their outputs are gathered.
    const network = await jobNetwork(ctx, spec.instanceCount, spec.networkIsolated);
    if (!network.ok) return network;
    const ran = await runInstances(ctx, spec.instanceCount, (inst) => runHost(inst, job, network.value?.name)).finally(() => network.value?.release());
    if (!ran.ok) return ran;

    const outputs: RecordedOutput[] = [];
    for (const output of spec.outputs) {
      const merged = await mergeHostOutputs(ran.value.map((dirs) => dirs.get(output.name) as string));
      if (merged.clashes.length > 0) ctx.log.warn({ output: output.name, paths: merged.clashes.slice(0, 20) }, 'several instances wrote the same output paths: the last host\'s files are kept');
      const committed = await ctx.artifacts.commitDirectory(output.name, merged.dir, output.uri, output.containerPath);
      if (!committed.ok) return err(withStep(ctx, committed.error));
      outputs.push(committed.value);
    }
    const ended = new Date().toISOString();
    const properties: JsonObject = {
      ...spec.args,
      ProcessingJobName: jobName,
      ProcessingJobArn: arn,
      ProcessingJobStatus: 'Completed',
      ExitMessage: '',
      CreationTime: started.toISOString(),
      ProcessingStartTime: started.toISOString(),
      ProcessingEndTime: ended,
      LastModifiedTime: ended,
    };
    return ok({ properties, outputs });
  }
}

interface HostJob {
  spec: ProcessingJobSpec;
  image: string;
  imageUri: string;
  jobName: string;
  arn: string;
}

/** One host of a processing job: its inputs (its shard of ShardedByS3Key ones), config, output dirs and container. */
async function runHost(inst: JobInstance, job: HostJob, network: string | undefined): Promise<Result<Map<string, string>, StepFailure>> {
  const { ctx } = inst;
  const { spec } = job;
  const staged = await stageStepInputs(ctx, spec.inputs, { index: inst.index, count: inst.count });
  if (!staged.ok) return staged;
  const mounts: Mount[] = [...staged.value];

  const configDir = join(ctx.attemptDir, 'config');
  await mkdir(configDir, { recursive: true });
  await writeProcessingConfig(configDir, { args: spec.args, jobName: job.jobName, jobArn: job.arn, instanceType: spec.instanceType, host: inst.host });
  mounts.push({ hostPath: configDir, containerPath: PROCESSING_CONFIG_DIR, readOnly: true });

  const outputDirs = new Map<string, string>();
  for (const [i, output] of spec.outputs.entries()) {
    const dir = join(ctx.attemptDir, 'outputs', safeDirName(output.name, i));
    await freshWritableDir(dir);
    outputDirs.set(output.name, dir);
    mounts.push({ hostPath: dir, containerPath: output.containerPath, readOnly: false });
  }
  // /opt/ml/output holds the `failure` file; bind it unless an output already covers it.
  if (!mounts.some((m) => OUTPUT_DIR === m.containerPath || OUTPUT_DIR.startsWith(`${m.containerPath.replace(/\/$/, '')}/`))) {
    const dir = join(ctx.attemptDir, 'output');
    await freshWritableDir(dir);
    mounts.push({ hostPath: dir, containerPath: OUTPUT_DIR, readOnly: false });
  }

  const ran = await runStepContainer(ctx, {
    image: job.image,
    imageUri: job.imageUri,
    ...(spec.entrypoint ? { entrypoint: spec.entrypoint } : {}),
    ...(spec.containerArguments ? { cmd: spec.containerArguments } : {}),
    env: spec.environment,
    mounts,
    instance: { type: spec.instanceType, field: 'ProcessingResources.ClusterConfig.InstanceType' },
    ...hostNetwork(inst, network, spec.networkIsolated),
  });
  if (!ran.ok) return ran;
  return ok(outputDirs);
}

/** A new empty directory any container user can write to (images may run as a non-root user). */
export async function freshWritableDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o777);
}

function withStep(ctx: StepContext, f: StepFailure): StepFailure {
  return withWhere(f, `${ctx.stepType} step "${ctx.stepName}"`);
}
