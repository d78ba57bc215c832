import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FingerprintParts } from '../contracts/fingerprint.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { PreparedStep, StepContext, StepExecutor, StepSuccess } from '../contracts/executor.js';
import { stepFailure, type StepFailure } from '../contracts/step-failure.js';
import { lambdaConfigExample, LambdaMap, type LambdaHandler } from './lambda-config.js';
import { runCommandHandler } from './lambda-command.js';
import { runModuleHandler } from './lambda-module.js';
import type { DeclaredOutput } from '../contracts/definition.js';
import { checkOutputValues, outputProperties, readDeclaredOutputs } from './output-parameters.js';
import { resolveStepImage, type StepImage } from './step-image.js';
import type { Store } from '../cache/store.js';
import { RegistryTables } from '../registry/store.js';

interface LambdaPlan {
  kind: 'lambda';
  arn: string;
  /** `cairn.json lambdas["<pattern>"]`, for messages. */
  where: string;
  handler: LambdaHandler;
  image?: StepImage;
  event: JsonObject;
  declared: DeclaredOutput[];
}

/**
 * Runs a Lambda step locally: the step's FunctionArn is mapped through cairn.json's `lambdas` to a JS/TS module
 * handler (called in a worker thread) or a command in a container; the resolved Arguments are the event, and the
 * returned object, checked against OutputParameters, becomes `Steps.<S>.OutputParameters['name']`.
 */
export class LambdaExecutor implements StepExecutor<LambdaPlan> {
  readonly type = 'Lambda';

  constructor(
    /** cairn.json's `lambdas`: FunctionArn → handler. */
    private readonly lambdas: LambdaMap,
    /** The store whose model registry a module handler may write to (`context.registry`). */
    private readonly store: Store,
  ) {}

  async prepare(args: JsonValue, ctx: StepContext, opts: { pull: boolean }): Promise<Result<PreparedStep<LambdaPlan>, StepFailure>> {
    const step = `Lambda step "${ctx.stepName}"`;
    const raw = ctx.step?.raw;
    const arn = raw?.FunctionArn;
    if (typeof arn !== 'string' || arn.trim() === '') {
      return err(stepFailure('invalid-arguments', { field: 'FunctionArn', message: `${step} has no FunctionArn; give the ARN of the function to call (the SDK's Lambda(function_arn=…)).` }));
    }
    const declared = readDeclaredOutputs(raw, step);
    if (!declared.ok) return err(stepFailure('invalid-arguments', { field: 'OutputParameters', message: declared.error }));
    if (args !== null && !isJsonObject(args)) {
      return err(stepFailure('invalid-arguments', { field: 'Arguments', message: `${step}: Arguments must be an object (the function's input event), not a ${Array.isArray(args) ? 'list' : typeof args}.` }));
    }
    const event: JsonObject = args ?? {};
    const map = this.lambdas;
    const match = map.lookup(arn);
    if (match === undefined) {
      return err(stepFailure('invalid-arguments', {
        field: 'FunctionArn',
        message: `${step}: no local handler for FunctionArn "${arn}"; map it in ${map.file ?? './cairn.json'}, e.g. ${lambdaConfigExample(arn)} (or {"command": ["python3", "/code/handler.py"], "image": "<local image>"}).`,
      }));
    }
    const where = `cairn.json lambdas[${JSON.stringify(match.pattern)}]`;
    const h = match.handler;
    const common = { FunctionArn: arn, Arguments: event, OutputParameters: declared.value as unknown as JsonValue };
    let fingerprint: FingerprintParts;
    let image: StepImage | undefined;
    if (h.kind === 'module') {
      let code: Buffer;
      try {
        code = await readFile(h.module);
      } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(e as Error).message})`;
        return err(stepFailure('invalid-arguments', { field: 'FunctionArn', message: `${step}: the handler module ${h.moduleAsWritten} (${where}) ${why}; fix the path in cairn.json (relative to it).` }));
      }
      const hash = `sha256:${createHash('sha256').update(code).digest('hex')}`;
      fingerprint = { image: { uri: `module:${h.moduleAsWritten}#${h.export}`, id: hash }, arguments: common, inputs: {}, environment: {} };
    } else {
      const resolved = await resolveStepImage(ctx, h.image, `FunctionArn → ${where}.image`, opts.pull);
      if (!resolved.ok) return resolved;
      image = resolved.value;
      fingerprint = { image: { uri: h.image, id: image.id }, arguments: { ...common, Command: h.command }, inputs: {}, environment: {} };
    }
    const plan: LambdaPlan = { kind: 'lambda', arn, where, handler: h, event, declared: declared.value, ...(image ? { image } : {}) };
    return ok({ fingerprint, job: plan });
  }

  async execute(prepared: PreparedStep<LambdaPlan>, ctx: StepContext): Promise<Result<StepSuccess, StepFailure>> {
    const plan = prepared.job;
    const context = lambdaContext(ctx, plan.arn);
    ctx.onLine(`invoking ${plan.arn} (${plan.where}) with ${JSON.stringify(plan.event)}`, 'stdout');
    ctx.log.info({ arn: plan.arn, handler: plan.where, requestId: context.awsRequestId }, 'invoking Lambda handler');
    // Registrations a handler makes stay pending until it succeeds: drop those of an interrupted earlier attempt.
    const tables = new RegistryTables(this.store.db);
    tables.discardPending(ctx.runId, ctx.stepName);
    const r = plan.handler.kind === 'module'
      ? await runModuleHandler(ctx, plan.handler, plan.event, context, plan.where)
      : await runCommandHandler(ctx, plan.handler, plan.image as StepImage, plan.event, context, plan.where);
    const checked = r.ok ? checkOutputValues(plan.declared, r.value, `Lambda step "${ctx.stepName}": the result of ${plan.where}`) : undefined;
    if (!r.ok || checked?.ok !== true) {
      const dropped = tables.discardPending(ctx.runId, ctx.stepName);
      if (dropped > 0) ctx.onLine(`the step failed: its ${dropped} model registration(s) were discarded`, 'stderr');
      if (!r.ok) return r;
    }
    if (checked === undefined || !checked.ok) return err(stepFailure('handler-error', { kind: 'checked', message: checked?.error ?? 'the handler failed.' }));
    const committed = tables?.commitPending(ctx.runId, ctx.stepName, ctx.attempt) ?? 0;
    if (committed > 0) ctx.onLine(`${committed} model registration(s) recorded`, 'stdout');
    if (checked.value.ignored.length > 0) {
      ctx.onLine(`ignored result field(s) not declared in OutputParameters: ${checked.value.ignored.join(', ')}`, 'stdout');
    }
    ctx.onLine(`OutputParameters: ${JSON.stringify(checked.value.values)}`, 'stdout');
    return ok({ properties: outputProperties(checked.value.values), outputs: [] });
  }
}

/** What a Node.js Lambda handler finds in `context` (getRemainingTimeInMillis is added in the worker). */
function lambdaContext(ctx: StepContext, arn: string): Record<string, string> {
  const name = /:function:([^:]+)/.exec(arn)?.[1] ?? arn;
  return {
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: arn,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `cairn/${ctx.runId}/${ctx.stepName}/${ctx.attempt}`,
  };
}
