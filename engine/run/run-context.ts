import type { Logger } from 'pino';
import type { ArtifactStore, RecordedOutput } from '../../contracts/artifacts.js';
import type { Store } from '../../cache/store.js';
import type { RunRecord } from '../../contracts/records.js';
import type { ImageResolver } from '../../contracts/image-resolver.js';
import type { ContainerRuntime } from '../../contracts/container-runtime.js';
import type { AnyStepExecutor } from '../../contracts/executor.js';
import type { Home } from '../../contracts/home.js';
import type { JsonObject } from '../../kernel/json.js';
import type { Definition } from '../../contracts/definition.js';
import type { RunEventListener } from '../../contracts/run-events.js';

/** The long-lived parts a run uses; built once per CLI invocation (cli/services.ts). */
export interface Services {
  home: Home;
  store: Store;
  runtime: ContainerRuntime;
  images: ImageResolver;
  artifacts: ArtifactStore;
  executors: ReadonlyMap<string, AnyStepExecutor>;
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
