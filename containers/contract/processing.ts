import type { JsonObject } from '../../kernel/json.js';
import { resourceConfig, writeJson, type JobHost } from './shared.js';

/** Where a processing container finds its job description (bound read-only). */
export const PROCESSING_CONFIG_DIR = '/opt/ml/config';
export const PROCESSING_JOB_CONFIG_FILE = 'processingjobconfig.json';
export const RESOURCE_CONFIG_FILE = 'resourceconfig.json';

/** `processingjobconfig.json`: the resolved CreateProcessingJob request plus the job's name and ARN. */
export function processingJobConfig(args: JsonObject, jobName: string, jobArn: string): JsonObject {
  return { ...args, ProcessingJobName: jobName, ProcessingJobArn: jobArn };
}

/** Writes both config files into `hostDir`, which is then bound read-only at PROCESSING_CONFIG_DIR. */
export async function writeProcessingConfig(
  hostDir: string,
  job: { args: JsonObject; jobName: string; jobArn: string; instanceType: string; host?: JobHost },
): Promise<void> {
  await writeJson(hostDir, PROCESSING_JOB_CONFIG_FILE, processingJobConfig(job.args, job.jobName, job.jobArn));
  await writeJson(hostDir, RESOURCE_CONFIG_FILE, resourceConfig(job.instanceType, job.host?.current, job.host?.hosts));
}
