import {
  CreatePipelineCommand, DescribePipelineCommand, StartPipelineExecutionCommand, UpdatePipelineCommand,
} from '@aws-sdk/client-sagemaker';
import type { ImageMap } from '../containers/image-map.js';
import type { JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import { awsErrorText, type CloudClients } from './clients.js';
import { LocalRewriter, type ImageRewrite } from './promote-plan.js';
import { checkBucket, planUploads, uploadObjects, type PlannedObject } from './promote-upload.js';

export interface PromoteInput {
  /** The definition JSON text as loaded (a module's assets already written into the local store). */
  text: string;
  name: string;
  /** The cairn home whose `s3/` store backs local `s3://` URIs. */
  home: string;
  imageMap: ImageMap;
  bucket: string;
  roleArn: string;
  /** Only the `--param` values given (SageMaker applies the definition's defaults to the rest). */
  parameters: Record<string, string>;
  start: boolean;
  /** With `start`: run only these steps (already checked against the definition), reusing a reference execution. */
  selective?: { steps: string[]; fromExecution?: string };
  dryRun: boolean;
  /** No progress output (for --json). */
  quiet: boolean;
}

export interface PromoteReport {
  pipeline: string;
  region: string;
  bucket: string;
  dryRun: boolean;
  /** The exact PipelineDefinition text sent (or that would be sent). */
  definition: string;
  uploads: (Omit<PlannedObject, 'localPath' | 'sha256'> & { localPath: string; uri: string })[];
  uploaded: number;
  images: ImageRewrite[];
  /** Each local URI of the definition (or a `--param` value) and the bucket URI that replaced it. */
  rewrites: { from: string; to: string }[];
  /** What the upsert does (or would do). */
  action: 'create' | 'update';
  pipelineArn?: string;
  parameters: { Name: string; Value: string }[];
  executionArn?: string;
}

/** `invalid`: the input is wrong and nothing was changed (exit 2); `failed`: a call failed part-way (exit 1). */
export interface PromoteFailure {
  kind: 'invalid' | 'failed';
  message: string;
}

const PIPELINE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:pipeline\/[^/]+\/execution\/[^/]+$/;

const invalid = (message: string): Result<never, PromoteFailure> => err({ kind: 'invalid', message });
const failed = (message: string): Result<never, PromoteFailure> => err({ kind: 'failed', message });

/**
 * Promotes a pipeline: uploads what only exists locally, rewrites the definition for the bucket and the region's
 * official images, creates or updates the pipeline, and starts an execution when asked. A dry run only reads
 * (HeadBucket, HeadObject, ListObjectsV2, DescribePipeline).
 */
export async function promote(clients: CloudClients, input: PromoteInput): Promise<Result<PromoteReport, PromoteFailure>> {
  if (!PIPELINE_NAME.test(input.name)) {
    return invalid(`"${input.name}" is not a valid SageMaker pipeline name (letters, digits and single hyphens, at most 256 characters); pass --name.`);
  }
  if (!ROLE_ARN.test(input.roleArn)) {
    return invalid(`"${input.roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`);
  }
  const from = input.selective?.fromExecution;
  if (from !== undefined && !EXECUTION_ARN.test(from)) {
    return invalid(`--from-execution "${from}" is not a pipeline execution ARN (arn:aws:sagemaker:<region>:<account>:pipeline/<name>/execution/<id>).`);
  }
  const bucket = await checkBucket(clients.s3, input.bucket);
  if (!bucket.ok) return invalid(bucket.error);

  const rewriter = new LocalRewriter(input.home, input.bucket, clients.region, input.imageMap);
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(input.text) as JsonValue;
  } catch (e) {
    return invalid(`The definition is not valid JSON: ${(e as Error).message}.`);
  }
  const rewritten = await rewriter.rewriteDefinition(parsed);
  if (!rewritten.ok) return invalid(rewritten.error.join('\n'));
  const parameters: { Name: string; Value: string }[] = [];
  for (const [Name, raw] of Object.entries(input.parameters)) {
    const v = await rewriter.rewriteValue(raw);
    if (!v.ok) return invalid(`--param ${Name}: ${v.error}`);
    parameters.push({ Name, Value: v.value });
  }
  const definition = JSON.stringify(rewritten.value.definition);
  const planned = await planUploads(clients.s3, input.bucket, rewriter.sources());
  if (!planned.ok) return failed(planned.error);

  let existing: string | undefined;
  try {
    existing = (await clients.sagemaker.send(new DescribePipelineCommand({ PipelineName: input.name }))).PipelineArn ?? '';
  } catch (e) {
    if (!isNotFound(e)) return failed(`DescribePipeline for "${input.name}" failed: ${awsErrorText(e)}.`);
  }
  const report: PromoteReport = {
    pipeline: input.name, region: clients.region, bucket: input.bucket, dryRun: input.dryRun, definition,
    uploads: planned.value.map(({ sha256: _sha, ...o }) => ({ ...o, uri: `s3://${input.bucket}/${o.key}` })),
    uploaded: 0, images: rewritten.value.images,
    rewrites: rewriter.sources().map((src) => ({ from: src.uri, to: src.rewritten })), action: existing === undefined ? 'create' : 'update', parameters,
  };
  if (existing !== undefined && existing !== '') report.pipelineArn = existing;
  if (input.dryRun) return ok(report);

  const up = await uploadObjects(clients.s3, input.bucket, planned.value, input.quiet);
  if (!up.ok) return failed(up.error);
  report.uploaded = up.value;

  const common = { PipelineName: input.name, PipelineDefinition: definition, RoleArn: input.roleArn };
  try {
    const out = existing === undefined
      ? await clients.sagemaker.send(new CreatePipelineCommand({ ...common, PipelineDisplayName: input.name }))
      : await clients.sagemaker.send(new UpdatePipelineCommand(common));
    if (out.PipelineArn !== undefined) report.pipelineArn = out.PipelineArn;
  } catch (e) {
    const call = existing === undefined ? 'CreatePipeline' : 'UpdatePipeline';
    return failed(`${call} for "${input.name}" failed: ${awsErrorText(e)}. The uploads stay in the bucket and are reused next time.`);
  }
  if (!input.start) return ok(report);
  try {
    const out = await clients.sagemaker.send(new StartPipelineExecutionCommand({
      PipelineName: input.name,
      PipelineParameters: parameters,
      ...(input.selective === undefined ? {} : {
        SelectiveExecutionConfig: {
          SelectedSteps: input.selective.steps.map((StepName) => ({ StepName })),
          ...(from === undefined ? {} : { SourcePipelineExecutionArn: from }),
        },
      }),
      PipelineExecutionDisplayName: `cairn-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}`,
    }));
    if (out.PipelineExecutionArn !== undefined) report.executionArn = out.PipelineExecutionArn;
  } catch (e) {
    return failed(`StartPipelineExecution for "${input.name}" failed: ${awsErrorText(e)}. The pipeline itself is up to date.`);
  }
  return ok(report);
}

function isNotFound(e: unknown): boolean {
  const name = e instanceof Error ? e.name : '';
  const message = e instanceof Error ? e.message : '';
  return name === 'ResourceNotFound' || /does not exist|not found|could not find/i.test(message);
}
