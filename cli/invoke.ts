import type { RunRecord } from '../contracts/records.js';
import type { Result } from '../kernel/result.js';
import type { Services } from '../engine/run/run-context.js';
import type { Invocation, RunRefusal } from '../engine/run/run-pipeline.js';
import { EXIT } from './command.js';
import { failStepMessages } from './fail-message.js';
import { Progress } from './progress.js';
import { runRefusalText } from './render-refusal.js';
import { runJson } from '../contracts/run-json.js';
import { stepSideWrites } from './side-write-lines.js';

/**
 * Runs a run or a resume with the user interface around it: live progress, Ctrl-C (first: stop containers and mark
 * the run stopped; second: exit at once, leftovers are swept by the next run), the JSON contract, the exit code.
 */
export async function invokeRun(
  services: Services, json: boolean, maxParallel: number,
  go: (inv: Invocation) => Promise<Result<RunRecord, RunRefusal>>,
): Promise<number> {
  const controller = new AbortController();
  const progress = new Progress(json ? process.stderr : process.stdout, json ? { live: false, logs: false } : {});
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(`\n${sig}: stopping the running step(s)… (press Ctrl-C again to exit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const r = await go({ signal: controller.signal, emit: progress.handle, maxParallel });
    if (!r.ok) {
      console.error(runRefusalText(r.error));
      return r.error.reason === 'locked' ? EXIT.failed : EXIT.invalid;
    }
    const run = r.value;
    if (json) console.log(JSON.stringify(runJson(run, services.store.getSteps(run.runId), (st) => stepSideWrites(services.store, services.store, st))));
    else if (run.status !== 'succeeded') {
      for (const m of failStepMessages(services.store, run.runId)) console.error(m);
      console.log(`resume it with: cairn resume ${run.runId}`);
    }
    return run.status === 'succeeded' ? EXIT.ok : EXIT.failed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    services.store.close();
  }
}
