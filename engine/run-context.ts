import type { Logger } from 'pino';
import type { ArtifactStore, RecordedOutput } from '../cache/artifact-types.js';
import type { Store } from '../cache/store.js';
import type { RunRecord } from '../cache/store-types.js';
import type { ImageResolver } from '../containers/image-resolver.js';
import type { ContainerRuntime } from '../containers/runtime.js';
import type { StepExecutor } from '../steps/executor.js';
import type { Home } from './home.js';
import type { JsonObject } from './json.js';
import type { Definition } from './model.js';
import type { RunEventListener } from './run-events.js';

/** The long-lived parts a run uses; built once per CLI invocation (cli/services.ts). */
export interface Services {
  home: Home;
  store: Store;
  runtime: ContainerRuntime;
  images: ImageResolver;
  artifacts: ArtifactStore;
  executors: ReadonlyMap<string, StepExecutor>;
}

/** One invocation of one run (a `run`, or a `resume`). */
export interface RunContext {
  services: Services;
  run: RunRecord;
  definition: Definition;
  /** Steps that must run even when a cached execution matches (`--rerun` and their downstream, or `--no-cache`). */
  forced: ReadonlySet<string>;
  signal: AbortSignal;
  emit: RunEventListener;
  log: Logger;
  /** Properties and outputs of the run's succeeded steps, kept in memory as the run goes (mirrors the store). */
  properties: Map<string, JsonObject>;
  outputs: Map<string, RecordedOutput[]>;
}
