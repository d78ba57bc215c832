import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunRecord, StepRecord } from '../contracts/records.js';
import { DockerRuntime } from '../containers/docker-runtime.js';
import { resolveHome } from '../contracts/home.js';
import { loadDefinitionText } from '../engine/definition/load-definition.js';
import type { Definition } from '../contracts/definition.js';
import type { Services } from '../engine/run/run-context.js';
import type { RunEvent } from '../contracts/run-events.js';
import { startRun } from '../engine/run/run-pipeline.js';
import { failureSentence } from '../cli/render-failure.js';
import { runRefusalText } from '../cli/render-refusal.js';
import { SUPPORTED_STEP_TYPES } from '../steps/executor-registry.js';
import { buildServices } from '../cli/services.js';

/** Services as the CLI builds them (cli/services.ts `buildServices`), over a fresh temp CAIRN home and an empty cairn.json. */
export interface BenchHome {
  dir: string;
  services: Services;
  dispose(): void;
}

export function openBenchHome(prefix: string): BenchHome {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cairn-bench-${prefix}-`));
  const home = resolveHome({ CAIRN_HOME: path.join(dir, '.cairn') }, dir);
  const services = buildServices({ home, runtime: new DockerRuntime() });
  return {
    dir,
    services,
    dispose: () => {
      services.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function loadBenchDefinition(text: string, file: string): Definition {
  const r = loadDefinitionText(text, file, { supportedStepTypes: SUPPORTED_STEP_TYPES });
  if (!r.ok) throw new Error(`generated definition ${file} is invalid:\n${r.error.map((d) => d.message).join('\n')}`);
  return r.value;
}

export interface TimedRun {
  run: RunRecord;
  steps: StepRecord[];
  ms: number;
}

/** One in-process run through the engine (`startRun`), timed end to end; throws unless it succeeded. */
export async function timedRun(
  services: Services, definition: Definition, text: string,
  opts: { noCache: boolean; maxParallel: number; onEvent?: (e: RunEvent) => void },
): Promise<TimedRun> {
  const t0 = performance.now();
  const r = await startRun(services, {
    definition, definitionText: text, pipeline: path.basename(definition.file, '.json'), parameters: {},
    options: { noCache: opts.noCache, rerun: [], maxParallel: opts.maxParallel },
  }, { signal: new AbortController().signal, emit: opts.onEvent ?? (() => undefined), maxParallel: opts.maxParallel });
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(`run refused: ${runRefusalText(r.error)}`);
  const steps = services.store.getSteps(r.value.runId);
  if (r.value.status !== 'succeeded') {
    const bad = steps.find((s) => s.status === 'failed');
    throw new Error(`bench run ${r.value.runId} ${r.value.status}${bad ? `: ${bad.name}: ${bad.failure === undefined ? '' : failureSentence(bad, bad.failure)}` : ''}`);
  }
  return { run: r.value, steps, ms };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function round(v: number, digits = 3): number {
  return Number(v.toFixed(digits));
}
