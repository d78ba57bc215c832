import type { JsonObject } from '../../kernel/json.js';
import { resourceConfig, writeJson, type JobHost } from './shared.js';

/** The /opt/ml layout of a SageMaker training container. */
export const TRAINING_CONFIG_DIR = '/opt/ml/input/config';
export const TRAINING_DATA_DIR = '/opt/ml/input/data';
export const MODEL_DIR = '/opt/ml/model';
export const TRAINING_OUTPUT_DIR = '/opt/ml/output';
/** Inside TRAINING_OUTPUT_DIR: what becomes output.tar.gz. */
export const OUTPUT_DATA_SUBDIR = 'data';
export const DEFAULT_CHECKPOINT_DIR = '/opt/ml/checkpoints';
export const HYPERPARAMETERS_FILE = 'hyperparameters.json';
export const INPUT_DATA_CONFIG_FILE = 'inputdataconfig.json';
export const RESOURCE_CONFIG_FILE = 'resourceconfig.json';
/** The command SageMaker gives a training image when no ContainerEntrypoint/ContainerArguments are set. */
export const TRAIN_COMMAND = 'train';

export interface TrainingChannelConfig {
  name: string;
  contentType?: string;
  s3DistributionType?: string;
  recordWrapperType?: string;
  compressionType?: string;
}

export function channelDir(channel: string): string {
  return `${TRAINING_DATA_DIR}/${channel}`;
}

/** `inputdataconfig.json`: one entry per channel. cairn always delivers channels as files. */
export function inputDataConfig(channels: readonly TrainingChannelConfig[]): JsonObject {
  const out: JsonObject = {};
  for (const c of channels) {
    const entry: JsonObject = { TrainingInputMode: 'File' };
    if (c.contentType !== undefined) entry.ContentType = c.contentType;
    entry.S3DistributionType = c.s3DistributionType ?? 'FullyReplicated';
    entry.RecordWrapperType = c.recordWrapperType ?? 'None';
    if (c.compressionType !== undefined) entry.CompressionType = c.compressionType;
    out[c.name] = entry;
  }
  return out;
}

/** Writes hyperparameters.json (string → string, exactly as given), resourceconfig.json and inputdataconfig.json. */
export async function writeTrainingConfig(
  hostDir: string,
  job: { hyperParameters: Record<string, string>; instanceType: string; channels: readonly TrainingChannelConfig[]; host?: JobHost },
): Promise<void> {
  await writeJson(hostDir, HYPERPARAMETERS_FILE, job.hyperParameters);
  await writeJson(hostDir, RESOURCE_CONFIG_FILE, resourceConfig(job.instanceType, job.host?.current, job.host?.hosts));
  await writeJson(hostDir, INPUT_DATA_CONFIG_FILE, inputDataConfig(job.channels));
}
