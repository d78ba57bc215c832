import type { Result } from '../engine/result.js';

/** The narrow interface the rest of cairn uses to talk to a container engine. Only containers/docker-runtime.ts implements it with dockerode. */
export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface ContainerSpec {
  /** Image id (`sha256:…`) or reference. */
  image: string;
  entrypoint?: string[];
  cmd?: string[];
  env: Record<string, string>;
  mounts: Mount[];
  /** Every container cairn creates carries labels naming its home, run, step and attempt (see labels.ts). */
  labels: Record<string, string>;
  workingDir?: string;
  /** CPU limit in units of 1e-9 CPUs, as Docker's NanoCpus. */
  nanoCpus?: number;
  memoryBytes?: number;
  name?: string;
}

export interface ContainerExit {
  containerId: string;
  exitCode: number;
  oomKilled: boolean;
}

export type RuntimeFailure =
  | { reason: 'stopped'; containerId?: string; message: string }
  | { reason: 'image-missing'; image: string; message: string }
  | { reason: 'docker-error'; message: string };

export interface ImageInfo {
  id: string;
  repoTags: string[];
  repoDigests: string[];
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Called for every complete log line (no trailing newline) as it streams. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Called once the container exists, before it starts, so its id can be recorded. */
  onCreated?: (containerId: string) => void;
}

export interface PullProgress {
  id?: string;
  status: string;
  current?: number;
  total?: number;
}

export interface ContainerRuntime {
  ping(): Promise<Result<void, string>>;
  inspectImage(ref: string): Promise<ImageInfo | undefined>;
  /** Asks the registry whether `ref` could be pulled, without pulling it. */
  canPull(ref: string): Promise<Result<void, string>>;
  /** Pulls `ref`, reporting every progress line; fails on any `errorDetail`. */
  pullImage(ref: string, onProgress?: (p: PullProgress) => void, signal?: AbortSignal): Promise<Result<ImageInfo, string>>;
  /** Creates, starts, streams logs, waits, and always removes the container. Abort stops it (exit reason `stopped`). */
  run(spec: ContainerSpec, opts?: RunOptions): Promise<Result<ContainerExit, RuntimeFailure>>;
  /** Containers (running or not) whose labels include all of `labels`. */
  listContainers(labels: Record<string, string>): Promise<{ id: string; labels: Record<string, string>; state: string }[]>;
  /** Force-removes a container; a container that is already gone is not an error. */
  removeContainer(id: string): Promise<void>;
}
