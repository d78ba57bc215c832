import {
  DescribePipelineDefinitionForExecutionCommand, DescribePipelineExecutionCommand, ListPipelineExecutionsCommand,
  ListPipelineExecutionStepsCommand, RetryPipelineExecutionCommand, StopPipelineExecutionCommand,
  type PipelineExecutionStep, type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { RunStatus, StepStatus } from '../contracts/records.js';
import type { RunJson, StepJson } from '../contracts/run-json.js';
import { isJsonObject } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import { awsErrorText } from './clients.js';

/** What the cloud-run commands need of the clients (cloud/clients.ts builds them). */
export interface SageMakerClients {
  sagemaker: SageMakerClient;
}

/** A pipeline execution as SageMaker reports it, mapped to the local run's statuses. */
export interface CloudSnapshot {
  arn: string;
  pipeline: string;
  /** SageMaker's PipelineExecutionStatus (Executing, Stopping, Stopped, Failed, Succeeded). */
  rawStatus: string;
  status: RunStatus;
  failureReason?: string;
  /** The steps of the definition in order, with their types (empty when the definition cannot be read). */
  definitionSteps: { name: string; type: string }[];
  /** The steps SageMaker has listed so far, by name. */
  steps: Map<string, CloudStep>;
}

export interface CloudStep {
  name: string;
  type: string;
  rawStatus: string;
  status: StepStatus;
  reused: boolean;
  attempts: number;
  failureReason?: string;
}

export const TERMINAL = new Set(['Succeeded', 'Failed', 'Stopped']);

export function runStatus(s: string | undefined): RunStatus {
  switch (s) {
    case 'Succeeded': return 'succeeded';
    case 'Failed': return 'failed';
    case 'Stopped': case 'Stopping': return 'stopped';
    default: return 'running';
  }
}

export function stepStatus(s: string | undefined): StepStatus {
  switch (s) {
    case 'Starting': case 'Executing': return 'running';
    case 'Succeeded': return 'succeeded';
    case 'Failed': return 'failed';
    case 'Stopped': case 'Stopping': return 'stopped';
    default: return 'not-run';
  }
}

const JOB_TYPES: Record<string, string> = {
  ProcessingJob: 'Processing', TrainingJob: 'Training', TransformJob: 'Transform', Model: 'Model', RegisterModel: 'RegisterModel',
  Condition: 'Condition', Fail: 'Fail', Lambda: 'Lambda', Callback: 'Callback', QualityCheck: 'QualityCheck', ClarifyCheck: 'ClarifyCheck', EMR: 'EMR',
};

/** `arn:aws:sagemaker:<region>:<account>:pipeline/<name>/execution/<id>` → `<name>` (the ARN itself if it is not one). */
export function pipelineOf(arn: string): string {
  return /:pipeline\/([^/]+)\/execution\//.exec(arn)?.[1] ?? arn;
}

export function isExecutionArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:pipeline\/[^/]+\/execution\/[^/]+$/.test(arn);
}

/** Every step a definition names, in order, Condition branches included. */
export function definitionSteps(definition: string | undefined): { name: string; type: string }[] {
  let doc: unknown;
  try { doc = JSON.parse(definition ?? ''); } catch { return []; }
  const out: { name: string; type: string }[] = [];
  const walk = (steps: unknown): void => {
    if (!Array.isArray(steps)) return;
    for (const s of steps) {
      if (!isJsonObject(s) || typeof s.Name !== 'string') continue;
      out.push({ name: s.Name, type: typeof s.Type === 'string' ? s.Type : 'Unknown' });
      if (isJsonObject(s.Arguments)) { walk(s.Arguments.IfSteps); walk(s.Arguments.ElseSteps); }
    }
  };
  if (isJsonObject(doc)) walk(doc.Steps);
  return out;
}

/** The definition's steps; a failure to read it is not fatal (the listed steps are shown instead). */
export async function readDefinitionSteps(c: SageMakerClients, arn: string): Promise<{ name: string; type: string }[]> {
  try {
    const d = await c.sagemaker.send(new DescribePipelineDefinitionForExecutionCommand({ PipelineExecutionArn: arn }));
    return definitionSteps(d.PipelineDefinition);
  } catch {
    return [];
  }
}

/** Every step of an execution SageMaker lists (all pages), by name; a retried step appears once, with its attempts. */
export async function listSteps(c: SageMakerClients, arn: string, types: ReadonlyMap<string, string>): Promise<Map<string, CloudStep>> {
  const out = new Map<string, CloudStep>();
  let token: string | undefined;
  do {
    const page = await c.sagemaker.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn, SortOrder: 'Ascending', ...(token === undefined ? {} : { NextToken: token }) }));
    for (const s of page.PipelineExecutionSteps ?? []) {
      if (s.StepName === undefined) continue;
      out.set(s.StepName, toStep(s, types.get(s.StepName)));
    }
    token = page.NextToken;
  } while (token !== undefined && token !== '');
  return out;
}

function toStep(s: PipelineExecutionStep, type: string | undefined): CloudStep {
  const meta = Object.keys(s.Metadata ?? {}).find((k) => (s.Metadata as Record<string, unknown>)[k] !== undefined);
  const step: CloudStep = {
    name: s.StepName ?? '', type: type ?? (meta === undefined ? 'Unknown' : JOB_TYPES[meta] ?? meta),
    rawStatus: s.StepStatus ?? 'Unknown', status: stepStatus(s.StepStatus),
    reused: s.CacheHitResult?.SourcePipelineExecutionArn !== undefined, attempts: s.AttemptCount ?? (s.StepStatus === undefined ? 0 : 1),
  };
  if (s.FailureReason !== undefined && s.FailureReason !== '') step.failureReason = s.FailureReason;
  return step;
}

/**
 * DescribePipelineExecution, then every page of ListPipelineExecutionSteps. Throws what the SDK throws, except that a
 * step list that cannot be read for an execution that has ended gives `stepsError` (the final status is what counts;
 * moto, for one, has no ListPipelineExecutionSteps).
 */
export async function snapshot(c: SageMakerClients, arn: string, definition: { name: string; type: string }[]): Promise<CloudSnapshot & { stepsError?: unknown }> {
  const d = await c.sagemaker.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }));
  const types = new Map(definition.map((s) => [s.name, s.type]));
  try {
    const steps = await listSteps(c, arn, types);
    return withExecution(arn, d.PipelineExecutionStatus, d.FailureReason, definition, steps);
  } catch (e) {
    if (!TERMINAL.has(d.PipelineExecutionStatus ?? '')) throw e;
    return { ...withExecution(arn, d.PipelineExecutionStatus, d.FailureReason, definition, new Map()), stepsError: e };
  }
}

function withExecution(arn: string, raw: string | undefined, reason: string | undefined, definition: { name: string; type: string }[], steps: Map<string, CloudStep>): CloudSnapshot {
  const snap: CloudSnapshot = { arn, pipeline: pipelineOf(arn), rawStatus: raw ?? 'Unknown', status: runStatus(raw), definitionSteps: definition, steps };
  if (reason !== undefined && reason !== '') snap.failureReason = reason;
  return snap;
}

/** The steps to show: the definition's, in order, then any listed step it does not name. */
export function orderedSteps(s: CloudSnapshot): { name: string; type: string }[] {
  const names = new Set(s.definitionSteps.map((d) => d.name));
  return [...s.definitionSteps, ...[...s.steps.values()].filter((x) => !names.has(x.name)).map((x) => ({ name: x.name, type: x.type }))];
}

/** The `show --json` contract of a local run, for an execution: not yet listed steps are `not-run`. */
export function cloudRunJson(s: CloudSnapshot): RunJson {
  return {
    runId: s.arn,
    status: s.status,
    steps: orderedSteps(s).map(({ name }) => {
      const st = s.steps.get(name);
      const j: StepJson = { name, status: st?.status ?? 'not-run', reused: st !== undefined && st.reused && st.status === 'succeeded', attempts: st?.attempts ?? 0 };
      if (st?.failureReason !== undefined) j.failureReason = st.failureReason;
      return j;
    }),
  };
}

/** `cairn cloud show`: the execution and its steps. A step list SageMaker cannot give is a warning, not a failure. */
export async function showExecution(c: SageMakerClients, arn: string): Promise<Result<{ snapshot: CloudSnapshot; warning?: string }, string>> {
  let d;
  try {
    d = await c.sagemaker.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }));
  } catch (e) {
    return err(`Cannot describe the pipeline execution ${arn}: ${awsErrorText(e)}.`);
  }
  const definition = await readDefinitionSteps(c, arn);
  try {
    const steps = await listSteps(c, arn, new Map(definition.map((s) => [s.name, s.type])));
    return ok({ snapshot: withExecution(arn, d.PipelineExecutionStatus, d.FailureReason, definition, steps) });
  } catch (e) {
    const snap = withExecution(arn, d.PipelineExecutionStatus, d.FailureReason, [], new Map());
    return ok({ snapshot: snap, warning: `The steps of ${arn} could not be listed (ListPipelineExecutionSteps: ${awsErrorText(e)}); only the execution's status is shown.` });
  }
}

export interface ExecutionSummary {
  arn: string;
  status: RunStatus;
  rawStatus: string;
  startedAt?: string;
  displayName?: string;
}

/** `cairn cloud runs`: every execution of a pipeline (all pages), newest first as SageMaker lists them. */
export async function listExecutions(c: SageMakerClients, pipeline: string): Promise<Result<ExecutionSummary[], string>> {
  const out: ExecutionSummary[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await c.sagemaker.send(new ListPipelineExecutionsCommand({ PipelineName: pipeline, SortBy: 'CreationTime', SortOrder: 'Descending', ...(token === undefined ? {} : { NextToken: token }) }));
      for (const e of page.PipelineExecutionSummaries ?? []) {
        if (e.PipelineExecutionArn === undefined) continue;
        const s: ExecutionSummary = { arn: e.PipelineExecutionArn, status: runStatus(e.PipelineExecutionStatus), rawStatus: e.PipelineExecutionStatus ?? 'Unknown' };
        if (e.StartTime !== undefined) s.startedAt = e.StartTime.toISOString();
        if (e.PipelineExecutionDisplayName !== undefined) s.displayName = e.PipelineExecutionDisplayName;
        out.push(s);
      }
      token = page.NextToken;
    } while (token !== undefined && token !== '');
  } catch (e) {
    return err(`Cannot list the executions of pipeline "${pipeline}": ${awsErrorText(e)}.`);
  }
  return ok(out);
}

/** RetryPipelineExecution: a failed execution runs again from its failed steps, in place (same ARN). */
export async function retryExecution(c: SageMakerClients, arn: string): Promise<Result<string, string>> {
  try {
    const r = await c.sagemaker.send(new RetryPipelineExecutionCommand({ PipelineExecutionArn: arn }));
    return ok(r.PipelineExecutionArn ?? arn);
  } catch (e) {
    return err(`Cannot retry the pipeline execution ${arn}: ${awsErrorText(e)}.`);
  }
}

/** StopPipelineExecution: the execution goes through Stopping to Stopped. */
export async function stopExecution(c: SageMakerClients, arn: string): Promise<Result<string, string>> {
  try {
    const r = await c.sagemaker.send(new StopPipelineExecutionCommand({ PipelineExecutionArn: arn }));
    return ok(r.PipelineExecutionArn ?? arn);
  } catch (e) {
    return err(`Cannot stop the pipeline execution ${arn}: ${awsErrorText(e)}.`);
  }
}
