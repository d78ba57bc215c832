import { randomBytes } from 'node:crypto';

/** SageMaker-style execution id: 12 lowercase alphanumerics (cairn's run id is the execution id). */
export function newExecutionId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(12);
  let id = '';
  for (const b of bytes) id += alphabet[b % alphabet.length];
  return id;
}

const ACCOUNT = '000000000000';
const REGION = 'local';

/** The `Execution.*` variables of a run; fixed at creation, so a resumed run sees the same values. */
export function executionVariables(pipeline: string, executionId: string, startedAt: number): Record<string, string> {
  const pipelineArn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/${pipeline.toLowerCase()}`;
  return {
    PipelineName: pipeline,
    PipelineArn: pipelineArn,
    PipelineExecutionId: executionId,
    PipelineExecutionArn: `${pipelineArn}/execution/${executionId}`,
    StartDateTime: new Date(startedAt).toISOString(),
  };
}

/** Adds the one volatile variable, CurrentDateTime, at the moment an expression is resolved. */
export function withCurrentTime(vars: Record<string, string>): Record<string, string> {
  return { ...vars, CurrentDateTime: new Date().toISOString() };
}
