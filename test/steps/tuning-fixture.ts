import { readFileSync, writeFileSync } from 'node:fs';
import { buildServices } from '../../cli/services.js';
import { resolveHome } from '../../contracts/home.js';
import type { RunRecord } from '../../contracts/records.js';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import type { Services } from '../../engine/run/run-context.js';
import { startRun } from '../../engine/run/run-pipeline.js';
import type { JsonObject, JsonValue } from '../../kernel/json.js';
import { SUPPORTED_STEP_TYPES } from '../../steps/executor-registry.js';
import { definitionText, FILE } from '../engine/definition-helpers.js';
import { FakeRuntime } from '../support/fake-runtime.js';

export const IMAGE = 'trainer:1';

/** The loss a fake trial logs last for learning rate `lr` (it logs a misleading first value before it). */
export function finalLoss(lr: number): number {
  return Math.round(Math.abs(Math.log10(lr) + 2) * 1e6) / 1e6;
}

/**
 * A home on a FakeRuntime whose training image logs `loss=` twice per trial (first 1/(1+final): the first value's
 * order is the reverse of the last's), writes its lr into the model, and fails when `fail(hp)` says so. Counts
 * containers and the most that ran at once.
 */
export function tuningHome(dir: string, fail: (hp: Record<string, string>) => boolean = () => false): { services: Services; runtime: FakeRuntime; stats: { runs: number; inFlight: number; most: number } } {
  const runtime = new FakeRuntime();
  runtime.addImage(IMAGE);
  const stats = { runs: 0, inFlight: 0, most: 0 };
  runtime.onImage(IMAGE, async (io) => {
    stats.runs += 1;
    stats.inFlight += 1;
    stats.most = Math.max(stats.most, stats.inFlight);
    await new Promise((r) => setTimeout(r, 5));
    const hp = JSON.parse(readFileSync(io.hostPath('/opt/ml/input/config/hyperparameters.json'), 'utf8')) as Record<string, string>;
    const loss = finalLoss(Number(hp.lr ?? '1'));
    io.log(`epoch 1 loss=${1 / (1 + loss)}`);
    io.log(`epoch 2 loss=${loss}`);
    writeFileSync(io.hostPath('/opt/ml/model/model.txt'), `lr=${hp.lr ?? ''} opt=${hp.opt ?? ''}`);
    stats.inFlight -= 1;
    return fail(hp) ? 1 : 0;
  });
  const services = buildServices({ home: resolveHome({ CAIRN_HOME: dir }, dir), runtime });
  return { services, runtime, stats };
}

/** The Tuning step's Arguments as the SageMaker Python SDK writes them (one TrainingJobDefinition). */
export function tuningArgs(config: JsonObject, ranges: JsonObject): JsonObject {
  return {
    HyperParameterTuningJobConfig: {
      TrainingJobEarlyStoppingType: 'Off',
      HyperParameterTuningJobObjective: { Type: 'Minimize', MetricName: 'val:loss' },
      ParameterRanges: ranges,
      ...config,
    },
    TrainingJobDefinition: {
      StaticHyperParameters: { epochs: '2' },
      RoleArn: 'arn:aws:iam::123456789012:role/r',
      OutputDataConfig: { S3OutputPath: 's3://b/tune/' },
      StoppingCondition: { MaxRuntimeInSeconds: 86400 },
      HyperParameterTuningResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 30 },
      AlgorithmSpecification: { TrainingInputMode: 'File', TrainingImage: IMAGE, MetricDefinitions: [{ Name: 'val:loss', Regex: 'loss=([0-9.e-]+)' }] },
    },
  };
}

export const LR_RANGES: JsonObject = { ContinuousParameterRanges: [{ Name: 'lr', MinValue: '0.0001', MaxValue: '1', ScalingType: 'Logarithmic' }] };

/** A Tuning step "Tune" and a Model step on its top model (the SDK's get_top_model_s3_uri(top_k=0, s3_bucket="b", prefix="tune")). */
export function tuningPipeline(args: JsonObject): string {
  const join: JsonValue = { 'Std:Join': { On: '/', Values: ['s3:/', 'b', 'tune', { Get: 'Steps.Tune.TrainingJobSummaries[0].TrainingJobName' }, 'output/model.tar.gz'] } };
  return definitionText({
    Parameters: [],
    Steps: [
      { Name: 'Tune', Type: 'Tuning', Arguments: args },
      { Name: 'Best', Type: 'Model', Arguments: { ExecutionRoleArn: 'arn:aws:iam::123456789012:role/r', PrimaryContainer: { Image: IMAGE, ModelDataUrl: join } } },
    ],
  });
}

export async function runTuning(services: Services, text: string, noCache = false): Promise<RunRecord> {
  const def = loadDefinitionText(text, FILE, { supportedStepTypes: SUPPORTED_STEP_TYPES });
  if (!def.ok) throw new Error(JSON.stringify(def.error));
  const r = await startRun(services, { definition: def.value, definitionText: text, pipeline: 'p', parameters: {}, options: { noCache, rerun: [] } },
    { signal: new AbortController().signal, emit: () => undefined, maxParallel: 1 });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}
