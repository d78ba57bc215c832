import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { buildServices } from '../../cli/services.js';
import { DockerRuntime } from '../../containers/docker-runtime.js';
import { containerLabels } from '../../containers/labels.js';
import type { StepContext } from '../../contracts/executor.js';
import { resolveHome } from '../../contracts/home.js';
import type { Store } from '../../cache/store.js';

export const PY = 'cairn-local/python:3.11-numpy';
export const SKL = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';

/** A cairn home with the CLI's services (cli/services.ts): real artifact store, Docker runtime, the sklearn ECR image mapped to PY. */
export function testHome(): { home: string; runtime: DockerRuntime; store: Store; put: (key: string, body: string) => void; ctx: (step: string, type: string, over?: Partial<StepContext>) => StepContext & { lines: string[] } } {
  const home = mkdtempSync(join(tmpdir(), 'cairn-steps-'));
  const runtime = new DockerRuntime();
  const { artifacts, images, store } = buildServices({ home: resolveHome({ CAIRN_HOME: home }, home), runtime, config: { images: { [SKL]: PY }, lambdas: {} } });
  let n = 0;
  return {
    home,
    runtime,
    store,
    put(key, body) {
      const p = join(home, 's3', key);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, body);
    },
    ctx(stepName, stepType, over = {}) {
      n += 1;
      const runId = over.runId ?? `run${n}`;
      const lines: string[] = [];
      const ctx: StepContext & { lines: string[] } = {
        runId,
        pipelineName: 'p',
        executionId: runId,
        stepName,
        stepType,
        attempt: 1,
        attemptDir: join(home, 'runs', runId, stepName, '1'),
        labels: containerLabels({ home, runId, step: stepName, attempt: 1 }),
        runtime,
        artifacts,
        images,
        upstreamOutputs: [],
        upstreamProperties: [],
        signal: new AbortController().signal,
        onLine: (line) => lines.push(line),
        onContainer: () => undefined,
        onMetric: () => undefined,
        onNotice: () => undefined,
        log: pino({ level: 'silent' }),
        lines,
        ...over,
      };
      return ctx;
    },
  };
}
