import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  consumeCallback, getCallback, insertCallback, newCallbackToken, openCallback, type CallbackRecord,
} from '../cache/callback-store.js';
import type { Store } from '../cache/store.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { PreparedStep, StepContext, StepExecutor, StepSuccess } from '../contracts/executor.js';
import { stepFailure, type StepFailure } from '../contracts/step-failure.js';
import type { DeclaredOutput } from '../contracts/definition.js';
import { checkOutputValues, outputProperties, readDeclaredOutputs } from './output-parameters.js';

/** How often a waiting Callback step looks at the store. */
const POLL_MS = 250;

interface CallbackPlan {
  kind: 'callback';
  queueUrl: string;
  inputs: JsonObject;
  declared: DeclaredOutput[];
}

/**
 * Runs a Callback step locally: mints a token (kept in the store, table `callbacks`), tells the user how to complete
 * it, and waits until `cairn callback <token> --success '{…}' | --failure "reason"` is run from another process.
 * The token belongs to the (run, step): a resumed run waits on the same one, and picks up a completion sent while
 * no cairn was running.
 */
export class CallbackExecutor implements StepExecutor<CallbackPlan> {
  readonly type = 'Callback';

  /** `store` keeps the tokens (table `callbacks`). */
  constructor(private readonly store: Store) {}

  prepare(args: JsonValue, ctx: StepContext): Promise<Result<PreparedStep<CallbackPlan>, StepFailure>> {
    const step = `Callback step "${ctx.stepName}"`;
    const raw = ctx.step?.raw;
    const declared = readDeclaredOutputs(raw, step);
    if (!declared.ok) return Promise.resolve(err(stepFailure('invalid-arguments', { field: 'OutputParameters', message: declared.error })));
    if (args !== null && !isJsonObject(args)) {
      return Promise.resolve(err(stepFailure('invalid-arguments', { field: 'Arguments', message: `${step}: Arguments must be an object (the inputs sent with the callback message), not a ${Array.isArray(args) ? 'list' : typeof args}.` })));
    }
    const queueUrl = typeof raw?.SqsQueueUrl === 'string' ? raw.SqsQueueUrl : '';
    const inputs: JsonObject = args ?? {};
    const plan: CallbackPlan = { kind: 'callback', queueUrl, inputs, declared: declared.value };
    return Promise.resolve(ok({
      fingerprint: {
        image: { uri: 'callback', id: 'callback' },
        arguments: { SqsQueueUrl: queueUrl, Arguments: inputs, OutputParameters: declared.value as unknown as JsonValue },
        inputs: {}, environment: {},
      },
      job: plan,
    }));
  }

  async execute(prepared: PreparedStep<CallbackPlan>, ctx: StepContext): Promise<Result<StepSuccess, StepFailure>> {
    const plan = prepared.job;
    const step = `Callback step "${ctx.stepName}"`;
    const db = this.store.db;
    let rec = openCallback(db, ctx.runId, ctx.stepName);
    if (rec === undefined) {
      const token = newCallbackToken();
      const message: JsonObject = {
        token,
        pipelineExecutionArn: `arn:aws:sagemaker:local:000000000000:pipeline/${ctx.pipelineName}/execution/${ctx.executionId}`,
        arguments: plan.inputs,
        status: 'Executing',
      };
      rec = insertCallback(db, { token, runId: ctx.runId, step: ctx.stepName, message, declared: plan.declared });
      ctx.log.info({ token, queue: plan.queueUrl }, 'callback token minted');
    } else {
      ctx.log.info({ token: rec.token, status: rec.status }, 'continuing with the callback token minted earlier');
      ctx.onLine(`continuing with the token minted at ${new Date(rec.createdAt).toISOString()}`, 'stdout');
    }
    await mkdir(ctx.attemptDir, { recursive: true });
    await writeFile(join(ctx.attemptDir, 'callback-message.json'), JSON.stringify(rec.message, null, 2));
    ctx.onLine(`message for ${plan.queueUrl === '' ? 'the callback queue' : plan.queueUrl}: ${JSON.stringify(rec.message)}`, 'stdout');
    if (rec.status === 'waiting') {
      const line = waitLine(ctx.stepName, rec.token, plan.declared);
      ctx.onLine(line, 'stdout');
      ctx.onNotice(line);
    }
    const done = await waitForCompletion(db, rec.token, ctx.signal);
    if (done === undefined) {
      return err(stepFailure('stopped', { when: 'callback', token: rec.token, runId: ctx.runId }));
    }
    if (done.status === 'failed') {
      consumeCallback(db, done.token);
      const reason = done.failureReason ?? '';
      ctx.onLine(`callback failed: ${reason}`, 'stderr');
      return err(stepFailure('callback-failure', { token: done.token, failureReason: reason }));
    }
    const checked = checkOutputValues(plan.declared, done.output ?? {}, `${step}: the callback for token ${done.token}`);
    if (!checked.ok) {
      consumeCallback(db, done.token);
      return err(stepFailure('handler-error', { kind: 'checked', message: checked.error, callback: true }));
    }
    ctx.onLine(`callback succeeded: OutputParameters ${JSON.stringify(checked.value.values)}`, 'stdout');
    return ok({ properties: outputProperties(checked.value.values), outputs: [] });
  }
}

/** The line telling the user how to complete the callback. */
export function waitLine(stepName: string, token: string, declared: readonly DeclaredOutput[]): string {
  const example: Record<string, string> = { String: '"…"', Integer: '0', Float: '0.0', Boolean: 'true' };
  const fields = declared.map((d) => `${JSON.stringify(d.name)}: ${example[d.type] ?? '"…"'}`).join(', ');
  return `Callback step "${stepName}" waits: cairn callback ${token} --success '{${fields}}' | --failure "reason"`;
}

/** Polls the store until the token is completed; undefined when `signal` aborts first. */
async function waitForCompletion(db: Store['db'], token: string, signal: AbortSignal): Promise<CallbackRecord | undefined> {
  for (;;) {
    if (signal.aborted) return undefined;
    const rec = getCallback(db, token);
    if (rec !== undefined && rec.status !== 'waiting') return rec;
    await new Promise<void>((res) => {
      const t = setTimeout(() => { signal.removeEventListener('abort', stop); res(); }, POLL_MS);
      const stop = (): void => { clearTimeout(t); res(); };
      signal.addEventListener('abort', stop, { once: true });
    });
  }
}
