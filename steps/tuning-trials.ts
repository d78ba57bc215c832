import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordedOutput } from '../contracts/artifacts.js';
import type { StepContext } from '../contracts/executor.js';
import { isJsonObject, type JsonObject } from '../kernel/json.js';
import type { TuningJobSpec } from './tuning-job.js';
import type { TunedValues } from './tuning-search.js';

/** SageMaker's limit on HyperParameterTuningJobName. */
const MAX_TUNING_NAME = 32;
/** TrainingJobDefinition fields that are not CreateTrainingJob fields (or are renamed there). */
const NOT_TRAINING = ['StaticHyperParameters', 'HyperParameterRanges', 'TuningObjective', 'DefinitionName', 'HyperParameterTuningResourceConfig'];

/** The tuning job's name: `<step>-<8 hex of execution and step>`, cut to SageMaker's 32 characters. */
export function tuningJobName(executionId: string, stepName: string): string {
  const hash = createHash('sha256').update(`${executionId}\0${stepName}`).digest('hex').slice(0, 8);
  const clean = stepName.replace(/[^a-zA-Z0-9-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '');
  const head = clean.slice(0, MAX_TUNING_NAME - hash.length - 1).replace(/-+$/, '');
  return head === '' ? hash : `${head}-${hash}`;
}

/** A trial's name as SageMaker names them: `<tuning-job-name>-<NNN>-<8 hex>` (here the hex is of the trial's fingerprint). */
export function trialJobName(tuningName: string, index: number, key: string): string {
  const hex = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return `${tuningName}-${String(index + 1).padStart(3, '0')}-${hex}`;
}

/** The CreateTrainingJob request of one trial: the definition with the static and tuned hyperparameters. */
export function trialRequest(spec: TuningJobSpec, tuned: TunedValues): JsonObject {
  const d = spec.definition;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(d)) if (!NOT_TRAINING.includes(k)) out[k] = v;
  const res = d.HyperParameterTuningResourceConfig;
  if (out.ResourceConfig === undefined && isJsonObject(res)) {
    const { InstanceConfigs: _configs, AllocationStrategy: _strategy, ...rest } = res;
    out.ResourceConfig = rest;
  }
  out.HyperParameters = { ...spec.staticHyperParameters, ...tuned };
  return out;
}

/** A trial that completed, as kept for reuse by a later tuning run with the same trial fingerprint. */
export interface CachedTrial {
  key: string;
  name: string;
  properties: JsonObject;
  outputs: RecordedOutput[];
}

function trialFile(ctx: StepContext, key: string): string {
  return join(ctx.artifacts.home, 'tuning-trials', `${key.replace(/[^a-zA-Z0-9]+/g, '-')}.json`);
}

/** The completed trial with this fingerprint key, if one was kept and its outputs are still intact. */
export async function findTrial(ctx: StepContext, key: string): Promise<CachedTrial | undefined> {
  let trial: CachedTrial;
  try {
    trial = JSON.parse(await readFile(trialFile(ctx, key), 'utf8')) as CachedTrial;
  } catch {
    return undefined;
  }
  if (trial.key !== key || !Array.isArray(trial.outputs)) return undefined;
  const lost = await ctx.artifacts.verifyOutputs(trial.outputs);
  return lost.length === 0 ? trial : undefined;
}

/** Keeps a completed trial (written aside, then renamed: a reader never sees half a record). */
export async function keepTrial(ctx: StepContext, trial: CachedTrial): Promise<void> {
  const file = trialFile(ctx, trial.key);
  await mkdir(join(ctx.artifacts.home, 'tuning-trials'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(trial));
  await rename(tmp, file);
}
