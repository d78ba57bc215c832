import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../kernel/result.js';
import type { StepContext } from '../contracts/executor.js';
import { stepFailure, type StepFailure } from '../contracts/step-failure.js';
import type { CommandHandler } from './lambda-config.js';
import { runStepContainer } from './step-container.js';
import { runnableImage, type StepImage } from './step-image.js';

/** Where a command handler finds the event and leaves its result (a writable bind mount of the attempt dir). */
export const LAMBDA_DIR = '/opt/cairn/lambda';
export const LAMBDA_EVENT = `${LAMBDA_DIR}/event.json`;
export const LAMBDA_CONTEXT = `${LAMBDA_DIR}/context.json`;
export const LAMBDA_RESULT = `${LAMBDA_DIR}/result.json`;

/**
 * Runs a command handler in its image: the event is `/opt/cairn/lambda/event.json` (also named by $CAIRN_LAMBDA_EVENT),
 * the context `context.json`; the result is what the command writes to `result.json` ($CAIRN_LAMBDA_RESULT) or, when
 * it writes none, its last non-empty stdout line, as JSON. A non-zero exit fails the step like a job container.
 */
export async function runCommandHandler(
  ctx: StepContext, handler: CommandHandler, image: StepImage, event: unknown, context: Record<string, string>, where: string,
): Promise<Result<unknown, StepFailure>> {
  const imageId = await runnableImage(ctx, image, 'lambdas image');
  if (!imageId.ok) return imageId;
  const dir = join(ctx.attemptDir, 'lambda');
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o777);
  await writeFile(join(dir, 'event.json'), JSON.stringify(event));
  await writeFile(join(dir, 'context.json'), JSON.stringify(context));

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), handler.timeoutS * 1000);
  let lastStdout: string | undefined;
  const onLine = ctx.onLine;
  let ran;
  try {
    ran = await runStepContainer({
      ...ctx,
      signal: AbortSignal.any([ctx.signal, timeout.signal]),
      onLine: (line, stream, end) => {
        if (stream === 'stdout' && line.trim() !== '') lastStdout = line;
        onLine(line, stream, end);
      },
    }, {
      image: imageId.value,
      imageUri: image.uri,
      entrypoint: handler.command,
      cmd: [],
      env: {
        CAIRN_LAMBDA_EVENT: LAMBDA_EVENT, CAIRN_LAMBDA_CONTEXT: LAMBDA_CONTEXT, CAIRN_LAMBDA_RESULT: LAMBDA_RESULT,
        AWS_LAMBDA_FUNCTION_NAME: context.functionName ?? '', AWS_LAMBDA_FUNCTION_TIMEOUT: String(handler.timeoutS),
      },
      mounts: [{ hostPath: dir, containerPath: LAMBDA_DIR, readOnly: false }],
    });
  } finally {
    clearTimeout(timer);
  }
  if (!ran.ok) {
    if (ran.error.reason === 'stopped' && timeout.signal.aborted && !ctx.signal.aborted) {
      return err(stepFailure('handler-error', { kind: 'timeout', runner: 'command', where, timeoutS: handler.timeoutS }));
    }
    return ran;
  }
  const written = await readFile(join(dir, 'result.json'), 'utf8').catch(() => undefined);
  const text = written ?? lastStdout;
  const from = written !== undefined ? LAMBDA_RESULT : 'its last stdout line';
  if (text === undefined) {
    return err(stepFailure('handler-error', { kind: 'no-result', where, resultFile: LAMBDA_RESULT }));
  }
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (e) {
    return err(stepFailure('handler-error', { kind: 'not-json', where, from, error: (e as Error).message, text: text.slice(0, 200) }));
  }
}
