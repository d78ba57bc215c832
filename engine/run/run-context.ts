import type { Logger } from 'pino';
import type { ArtifactStore, RecordedOutput } from '../../contracts/artifacts.js';
import type { Store } from '../../cache/store.js';
import type { RunRecord } from '../../contracts/records.js';
import type { ImageResolver } from '../../contracts/image-resolver.js';
import type { ContainerRuntime } from '../../contracts/container-runtime.js';
import type { AnyStepExecutor } from '../../contracts/executor.js';
import type { Home } from '../../contracts/home.js';
import type { JsonObject } from '../../kernel/json.js';
import type { CacheDecision } from '../../contracts/cache-decision.js';
import type { Definition } from '../../contracts/definition.js';
import type { RunEventListener } from '../../contracts/run-events.js';
import { MemoImageResolver } from '../../containers/memo-image-resolver.js';
import { upstreamIndex } from '../definition/graph.js';
import { selectionScope, type ForcedSteps, type SelectionScope } from './cache-decision.js';
import type { RunS3Services } from '../../contracts/run-s3.js';
import type { RunS3 } from './run-s3.js';

/** The long-lived parts a run uses; built once per CLI invocation (cli/services.ts). */
export interface Services {
  home: Home;
  store: Store;
  runtime: ContainerRuntime;
  images: ImageResolver;
  artifacts: ArtifactStore;
  executors: ReadonlyMap<string, AnyStepExecutor>;
  /** The S3 endpoint every run starts for its containers (issue 11); none: containers get no S3 (unit tests). */
  s3?: RunS3Services;
}

/** One invocation of one run (a `run`, or a `resume`), or of a plan. */
export interface RunContext {
  services: Services;
  run: RunRecord;
  definition: Definition;
  /** Steps that must run even when a cached execution matches (engine/run/cache-decision.ts `forcedSteps`). */
  forced: ForcedSteps;
  signal: AbortSignal;
  emit: RunEventListener;
  log: Logger;
  /** Properties and outputs of the run's succeeded steps, kept in memory as the run goes (mirrors the store). */
  properties: Map<string, JsonObject>;
  outputs: Map<string, RecordedOutput[]>;
  /** Steps of this invocation that ended `skipped` (engine/run/branches.ts). */
  skipped: Set<string>;
  /** Cache decisions made in this invocation, by step. */
  decisions: Map<string, CacheDecision>;
  /** Image resolutions, remembered for the invocation (one engine round trip per image, not per step). */
  images: ImageResolver;
  /** Names of every (transitive) upstream step of a step. */
  upstream: (name: string) => string[];
  /** A selective run's selection (`--steps`), worked out once; undefined when the run is not selective. */
  selection: SelectionScope | undefined;
  /** This invocation's S3 endpoint and network (engine/run/run-s3.ts); undefined without one. */
  s3?: RunS3;
}

/** A context with empty per-invocation state. */
export function newRunContext(
  fields: Omit<RunContext, 'properties' | 'outputs' | 'skipped' | 'decisions' | 'images' | 'upstream' | 'selection'>,
): RunContext {
  return {
    ...fields, properties: new Map(), outputs: new Map(), skipped: new Set(), decisions: new Map(),
    images: new MemoImageResolver(fields.services.images), upstream: upstreamIndex(fields.definition),
    selection: selectionScope(fields.definition, fields.run.options.selective),
  };
}
