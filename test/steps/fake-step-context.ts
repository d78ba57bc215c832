import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { containerLabels } from '../../containers/labels.js';
import type { StepContext } from '../../contracts/executor.js';
import { fakeServices } from '../support/fake-services.js';
import { FakeRuntime } from '../support/fake-runtime.js';

export const IMAGE = 'cairn-local/python:3.11-numpy';

/** An executor's view of one step attempt on a FakeRuntime (real store and artifact store on a temporary home). */
export function fakeStepHome(runtime = new FakeRuntime()) {
  const { services, close } = fakeServices(runtime);
  runtime.addImage(IMAGE);
  const home = services.artifacts.home;
  let n = 0;
  return {
    runtime,
    services,
    close,
    /** Writes an object into the home's s3/ view. */
    put(key: string, body: string): void {
      const p = join(home, 's3', key);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, body);
    },
    ctx(stepName: string, stepType: string, over: Partial<StepContext> = {}): StepContext & { lines: string[]; notices: string[]; metrics: [string, number][] } {
      n += 1;
      const runId = over.runId ?? `run${n}`;
      const lines: string[] = [];
      const notices: string[] = [];
      const metrics: [string, number][] = [];
      return {
        runId,
        pipelineName: 'p',
        executionId: runId,
        stepName,
        stepType,
        attempt: 1,
        attemptDir: services.home.attemptDir(runId, stepName, 1),
        labels: containerLabels({ home, runId, step: stepName, attempt: 1 }),
        runtime,
        artifacts: services.artifacts,
        images: services.images,
        upstreamOutputs: [],
        upstreamProperties: [],
        signal: new AbortController().signal,
        onLine: (line) => lines.push(line),
        onContainer: () => undefined,
        onMetric: (name, value) => metrics.push([name, value]),
        onNotice: (m) => notices.push(m),
        log: pino({ level: 'silent' }),
        lines,
        notices,
        metrics,
        ...over,
      };
    },
  };
}
