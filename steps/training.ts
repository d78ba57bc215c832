import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordedOutput } from '../contracts/artifacts.js';
import type { FingerprintParts } from '../contracts/fingerprint.js';
import {
  MODEL_DIR,
  OUTPUT_DATA_SUBDIR,
  TRAIN_COMMAND,
  TRAINING_CONFIG_DIR,
  TRAINING_OUTPUT_DIR,
  writeTrainingConfig,
} from '../containers/contract/training.js';
import type { Mount } from '../contracts/container-runtime.js';
import type { JsonObject, JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import { packDirectoryDeterministic } from './deterministic-tar.js';
import { checkOutputLinks } from '../cache/output-commit.js';
import { diskFullFailure } from '../cache/disk-full-failure.js';
import type { PreparedStep, StepContext, StepExecutor, StepSuccess } from '../contracts/executor.js';
import { withWhere, stepFailure, type StepFailure } from '../contracts/step-failure.js';
import { jobArn, stepJobName } from './job-name.js';
import { MetricCollector } from './metric-definitions.js';
import { cloneJson, deleteAt, setAt } from './json-edit.js';
import { freshWritableDir } from './processing.js';
import { runStepContainer } from './step-container.js';
import { resolveStepImage, runnableImage, type StepImage } from './step-image.js';
import { prepareScriptMode } from './script-mode.js';
import { restoreCheckpoints, saveCheckpoints } from './checkpoints.js';
import { hashStepInputs, stageStepInputs, type StepInput } from './step-inputs.js';
import { readTrainingJob, type TrainingJobSpec } from './training-job.js';
import { hostNetwork, instanceDirs, runInstances, type JobInstance } from './job-instances.js';
import { jobNetwork } from './job-network.js';
import { mergeHostOutputs } from './instance-outputs.js';

const IMAGE_FIELD = 'AlgorithmSpecification.TrainingImage';
/** Hyperparameters whose (JSON-encoded) URI points at the job's code: the fingerprint holds the code's content hash. */
const CODE_HYPERPARAMETERS = ['sagemaker_submit_directory'];
/** Hyperparameters that name an output location (the SDK puts the job name in them): left out of the fingerprint. */
const OUTPUT_HYPERPARAMETERS = ['model_dir'];
/** Output destinations, left out of the fingerprint as SageMaker's own cache key does. */
const OUTPUT_FIELDS: (string | number)[][] = [
  ['OutputDataConfig', 'S3OutputPath'],
  ['CheckpointConfig', 'S3Uri'],
  ['DebugHookConfig', 'S3OutputPath'],
  ['ProfilerConfig', 'S3OutputPath'],
  ['TensorBoardOutputConfig', 'S3OutputPath'],
];

interface TrainingPlan {
  kind: 'training';
  spec: TrainingJobSpec;
  image: StepImage;
}

/** Runs a Training step: CreateTrainingJob semantics in one local container, model packed to model.tar.gz. */
export class TrainingExecutor implements StepExecutor<TrainingPlan> {
  readonly type = 'Training';

  async prepare(args: JsonValue, ctx: StepContext, opts: { pull: boolean }): Promise<Result<PreparedStep<TrainingPlan>, StepFailure>> {
    const spec = readTrainingJob(args, ctx.stepName);
    if (!spec.ok) return spec;
    const image = await resolveStepImage(ctx, spec.value.imageUri, IMAGE_FIELD, opts.pull);
    if (!image.ok) return image;
    const hashes = await hashStepInputs(ctx, spec.value.channels);
    if (!hashes.ok) return hashes;
    const code = codeInputs(spec.value.hyperParameters);
    const codeHashes = await hashStepInputs(ctx, code);
    if (!codeHashes.ok) return codeHashes;

    const fpArgs = cloneJson<JsonValue>(spec.value.args);
    spec.value.channels.forEach((ch, i) => {
      setAt(fpArgs, ['InputDataConfig', i, 'DataSource', 'S3DataSource', 'S3Uri'], `input:${ch.name}`);
    });
    for (const input of code) setAt(fpArgs, ['HyperParameters', input.name], `input:hyperparameter:${input.name}`);
    for (const key of OUTPUT_HYPERPARAMETERS) if (uriIn(spec.value.hyperParameters[key]) !== undefined) deleteAt(fpArgs, ['HyperParameters', key]);
    for (const path of OUTPUT_FIELDS) deleteAt(fpArgs, path);
    for (const list of ['DebugRuleConfigurations', 'ProfilerRuleConfigurations']) {
      const rules = spec.value.args[list];
      if (Array.isArray(rules)) rules.forEach((_, i) => deleteAt(fpArgs, [list, i, 'S3OutputPath']));
    }
    const fingerprint: FingerprintParts = {
      image: { uri: image.value.uri, id: image.value.id },
      arguments: fpArgs,
      inputs: { ...hashes.value, ...prefixKeys(codeHashes.value, 'hyperparameter:') },
      environment: spec.value.environment,
    };
    const plan: TrainingPlan = { kind: 'training', spec: spec.value, image: image.value };
    return ok({ fingerprint, job: plan });
  }

  async execute(prepared: PreparedStep<TrainingPlan>, ctx: StepContext): Promise<Result<StepSuccess, StepFailure>> {
    const { spec, image } = prepared.job;
    const started = new Date();
    const jobName = ctx.jobName ?? stepJobName(ctx.executionId, ctx.stepName);
    const arn = jobArn('training-job', jobName);

    const imageId = await runnableImage(ctx, image, IMAGE_FIELD);
    if (!imageId.ok) return imageId;
    const metrics = new MetricCollector(spec.metricDefinitions, (name, value, at) => ctx.onMetric(name, value, at));
    const job: HostJob = { spec, image: imageId.value, imageUri: image.uri, jobName, arn, metrics };
    // InstanceCount > 1: that many hosts at once on one network (steps/job-instances.ts); their outputs are gathered.
    const network = await jobNetwork(ctx, spec.instanceCount, spec.networkIsolated);
    if (!network.ok) return network;
    const ran = await runInstances(ctx, spec.instanceCount, (inst) => runHost(inst, job, network.value?.name)).finally(() => network.value?.release());
    const hostDirs = instanceDirs(ctx, spec.instanceCount);
    const gather = async (sub: string): Promise<string> => {
      const merged = await mergeHostOutputs(hostDirs.map((d) => join(d, sub)));
      if (merged.clashes.length > 0) ctx.log.warn({ output: sub, paths: merged.clashes.slice(0, 20) }, 'several instances wrote the same paths: the last host\'s files are kept');
      return merged.dir;
    };
    // Saved whatever the outcome: a job that failed or was stopped continues from here when it runs again.
    if (spec.checkpointUri !== undefined) {
      const saved = await saveCheckpoints(ctx, await gather('checkpoints'), spec.checkpointUri, spec.checkpointDir);
      if (!saved.ok && ran.ok) return saved;
    }
    if (!ran.ok) return ran;

    const base = `${spec.outputPath}/${jobName}/output`;
    const outputs: RecordedOutput[] = [];
    for (const [name, sub, seenAt] of [
      ['model', 'model', MODEL_DIR],
      ['output', join('output', OUTPUT_DATA_SUBDIR), `${TRAINING_OUTPUT_DIR}/${OUTPUT_DATA_SUBDIR}`],
    ] as const) {
      const from = await gather(sub);
      const links = await checkOutputLinks(name, from, seenAt);
      if (!links.ok) return links;
      const archive = join(ctx.attemptDir, `${name}.tar.gz`);
      try {
        await packDirectoryDeterministic(from, archive);
      } catch (e) {
        const full = diskFullFailure(e, { during: 'output-archive', path: archive, output: name });
        if (full !== undefined) return err(full);
        return err(stepFailure('output-commit', { output: name, message: `Training step "${ctx.stepName}": ${from} could not be packed into ${name}.tar.gz (${(e as Error).message}); check the files the job wrote there.` }));
      }
      const committed = await ctx.artifacts.commitFile(name, archive, `${base}/${name}.tar.gz`);
      if (!committed.ok) return err(withWhere(committed.error, `Training step "${ctx.stepName}"`));
      outputs.push(committed.value);
    }
    const endedAt = new Date();
    const ended = endedAt.toISOString();
    const seconds = Math.max(1, Math.round((endedAt.getTime() - started.getTime()) / 1000));
    const properties: JsonObject = {
      ...spec.args,
      TrainingJobName: jobName,
      TrainingJobArn: arn,
      TrainingJobStatus: 'Completed',
      SecondaryStatus: 'Completed',
      HyperParameters: spec.hyperParameters,
      ModelArtifacts: { S3ModelArtifacts: `${base}/model.tar.gz` },
      FinalMetricDataList: metrics.finalMetrics(),
      TrainingTimeInSeconds: seconds,
      BillableTimeInSeconds: seconds * spec.instanceCount,
      CreationTime: started.toISOString(),
      TrainingStartTime: started.toISOString(),
      TrainingEndTime: ended,
      LastModifiedTime: ended,
    };
    return ok({ properties, outputs });
  }
}

interface HostJob {
  spec: TrainingJobSpec;
  image: string;
  imageUri: string;
  jobName: string;
  arn: string;
  /** Fed from algo-1's log only (SageMaker's metrics are per host; cairn reports the first's). */
  metrics: MetricCollector;
}

/**
 * One host of a training job, in its own directory: its channels (its shard of ShardedByS3Key ones), script mode,
 * config (resourceconfig.json naming this host and all), model/output/checkpoint dirs and container.
 */
async function runHost(inst: JobInstance, job: HostJob, network: string | undefined): Promise<Result<void, StepFailure>> {
  const { ctx } = inst;
  const { spec } = job;
  const dir = (name: string): string => join(ctx.attemptDir, name);
  for (const name of ['model', 'output', 'checkpoints']) await freshWritableDir(dir(name));
  const outputData = join(dir('output'), OUTPUT_DATA_SUBDIR);
  await freshWritableDir(outputData);
  const staged = await stageStepInputs(ctx, spec.channels, { index: inst.index, count: inst.count });
  if (!staged.ok) return staged;
  const mounts: Mount[] = [...staged.value];

  const env = { TRAINING_JOB_NAME: job.jobName, TRAINING_JOB_ARN: job.arn, ...spec.environment };
  // Script mode (steps/script-mode.ts): code staged locally; on images without the toolkit, cairn stands in for it.
  const script = await prepareScriptMode(ctx, spec, job.image, env, inst.host);
  if (!script.ok) return script;
  mounts.push(...(script.value?.mounts ?? []));
  await mkdir(dir('config'), { recursive: true });
  await writeTrainingConfig(dir('config'), { hyperParameters: script.value?.hyperParameters ?? spec.hyperParameters, instanceType: spec.instanceType, channels: spec.channels, host: inst.host });
  mounts.push({ hostPath: dir('config'), containerPath: TRAINING_CONFIG_DIR, readOnly: true });
  mounts.push({ hostPath: dir('model'), containerPath: MODEL_DIR, readOnly: false }, { hostPath: dir('output'), containerPath: TRAINING_OUTPUT_DIR, readOnly: false });
  if (spec.checkpointDir !== undefined) mounts.push({ hostPath: dir('checkpoints'), containerPath: spec.checkpointDir, readOnly: false });
  if (spec.checkpointUri !== undefined) {
    const restored = await restoreCheckpoints(ctx, spec.checkpointUri, dir('checkpoints'));
    if (!restored.ok) return restored;
  }

  const ran = await runStepContainer(ctx, {
    ...(inst.index === 0 ? { observe: (line: string) => job.metrics.observe(line) } : {}),
    image: job.image,
    imageUri: job.imageUri,
    ...(script.value?.command ?? command(spec)),
    env: { ...env, ...script.value?.env },
    mounts,
    instance: { type: spec.instanceType, field: 'ResourceConfig.InstanceType' },
    ...hostNetwork(inst, network, spec.networkIsolated),
    hostname: inst.host.current,
  });
  await script.value?.finish();
  return ran.ok ? ok(undefined) : ran;
}

/** `train` unless the request gives ContainerEntrypoint / ContainerArguments (then exactly those). */
function command(spec: TrainingJobSpec): { entrypoint?: string[]; cmd?: string[] } {
  if (spec.entrypoint !== undefined) return { entrypoint: spec.entrypoint, ...(spec.containerArguments ? { cmd: spec.containerArguments } : {}) };
  return { cmd: spec.containerArguments ?? [TRAIN_COMMAND] };
}

/** Code hyperparameters holding a URI, as inputs to hash (their field is the hyperparameter). */
function codeInputs(hps: Record<string, string>): StepInput[] {
  const out: StepInput[] = [];
  for (const key of CODE_HYPERPARAMETERS) {
    const uri = uriIn(hps[key]);
    if (uri !== undefined) out.push({ name: key, uri, containerPath: '', field: `HyperParameters.${key}` });
  }
  return out;
}

/** The s3:// or file:// URI in a hyperparameter value, JSON-encoded (as framework estimators write them) or not. */
function uriIn(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let v: unknown = value;
  try {
    v = JSON.parse(value);
  } catch {
    // not JSON: the raw string
  }
  return typeof v === 'string' && /^(s3|file):\/\//.test(v) ? v : undefined;
}

function prefixKeys(o: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [`${prefix}${k}`, v]));
}
