import type { Result } from '../kernel/result.js';

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
  /** The container's hostname (SageMaker names a training host `algo-1`; the toolkit resolves it before it runs). */
  hostname?: string;
  /** CPU limit in units of 1e-9 CPUs, as Docker's NanoCpus. */
  nanoCpus?: number;
  memoryBytes?: number;
  /** GPUs to request from the engine (Docker DeviceRequests with the `gpu` capability): a count, or every GPU. */
  gpus?: number | 'all';
  /**
   * No network at all (Docker NetworkMode "none"): SageMaker's EnableNetworkIsolation. Nothing is reachable from the
   * container, the store's S3 endpoint and the host included; inputs and outputs still arrive through mounts.
   */
  networkIsolated?: boolean;
  /**
   * A network (from `createNetwork`) the container joins instead of the default bridge, reachable there by its
   * `hostname` and by `networkAliases` (Docker's embedded DNS). Ignored when `networkIsolated`.
   */
  network?: string;
  networkAliases?: string[];
  name?: string;
}

/** A user-defined bridge network cairn creates for one run (labels as on its containers; see labels.ts). */
export interface NetworkSpec {
  name: string;
  labels: Record<string, string>;
  /** No route out (Docker's `Internal`): its containers reach only each other. */
  internal?: boolean;
}

export interface CreatedNetwork {
  id: string;
  name: string;
  /** The host's address on the network (the bridge's gateway): where a server on the host is reachable from it. */
  gateway: string;
  /** The network's subnet in CIDR form, e.g. `172.18.0.0/16`. */
  subnet: string;
}

/** The engine's machine as `docker info` reports it. */
export interface EngineInfo {
  cpus: number;
  memoryBytes: number;
  /** Names of the OCI runtimes the engine knows (`runc`, `nvidia` …). */
  runtimes: string[];
}

export interface ContainerExit {
  containerId: string;
  exitCode: number;
  oomKilled: boolean;
}

/**
 * Why a container did not run to its exit, as data (cli/render-refusal.ts has the words). `engineText`: Docker's own
 * error text; `status`: the HTTP status of the Docker API's answer, when it gave one (429: throttled).
 */
export type RuntimeFailure =
  | { reason: 'stopped'; containerId?: string; before: 'finished' | 'ready' }
  | { reason: 'image-missing'; image: string }
  | { reason: 'docker-error'; during: 'create' | 'run' | 'start'; engineText: string; status?: number; containerId?: string };

export interface ImageInfo {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** The image config's labels and environment (`KEY=value` entries), as `docker image inspect` shows them. */
  labels?: Record<string, string>;
  env?: string[];
  /** Bytes, as `docker image inspect` reports `Size`. */
  size?: number;
  /** The image config's ENTRYPOINT, when it has one. */
  entrypoint?: string[];
}

/** How a log line ended: `\n` (or `\r\n`, or the end of the stream), or a lone `\r`. */
export type LineEnd = '\n' | '\r';

export interface RunOptions {
  signal?: AbortSignal;
  /**
   * Called for every complete log line (no trailing newline) as it streams; `end` says how it ended: `\r` when a lone
   * carriage return ended it (a progress state the next line overwrites on a terminal), else `\n`.
   */
  onLine?: (line: string, stream: 'stdout' | 'stderr', end?: LineEnd) => void;
  /** Called once the container exists, before it starts, so its id can be recorded. */
  onCreated?: (containerId: string) => void;
}

export interface PullProgress {
  id?: string;
  status: string;
  current?: number;
  total?: number;
}

/** What Docker's pull takes as `authconfig` (sent base64-encoded in the X-Registry-Auth header). Never log it. */
export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

/** The only host address a service container's ports are published on. */
export const SERVICE_HOST_IP = '127.0.0.1';

/** A long-running container (an inference server): ports published on SERVICE_HOST_IP only. */
export interface ServiceSpec extends ContainerSpec {
  /** Container TCP ports to publish, each on a free loopback port the engine picks. */
  ports: number[];
}

export interface RunningService {
  containerId: string;
  /** Container port → host port on 127.0.0.1. */
  hostPorts: Record<number, number>;
  /** Whether the container still runs (and how it ended when not). */
  state(): Promise<{ running: boolean; exitCode?: number; oomKilled?: boolean }>;
  /** Stops and removes the container; safe to call more than once. Aborting the start signal does the same. */
  stop(): Promise<void>;
}

export interface ContainerRuntime {
  ping(): Promise<Result<void, string>>;
  /** CPUs, memory and runtimes of the engine's machine (asked once, then remembered). */
  engineInfo(): Promise<Result<EngineInfo, string>>;
  inspectImage(ref: string): Promise<ImageInfo | undefined>;
  /** Asks the registry whether `ref` could be pulled, without pulling it (signed in with `auth` when given). */
  canPull(ref: string, auth?: RegistryAuth): Promise<Result<void, string>>;
  /** Pulls `ref` (signed in with `auth` when given), reporting every progress line; fails on any `errorDetail`. */
  pullImage(ref: string, onProgress?: (p: PullProgress) => void, signal?: AbortSignal, auth?: RegistryAuth): Promise<Result<ImageInfo, string>>;
  /** Creates, starts, streams logs, waits, and always removes the container. Abort stops it (exit reason `stopped`). */
  run(spec: ContainerSpec, opts?: RunOptions): Promise<Result<ContainerExit, RuntimeFailure>>;
  /** Creates and starts a service container (logs stream to `onLine`); the caller must `stop` it, abort stops it too. */
  startService(spec: ServiceSpec, opts?: RunOptions): Promise<Result<RunningService, RuntimeFailure>>;
  /** Containers (running or not) whose labels include all of `labels`. */
  listContainers(labels: Record<string, string>): Promise<{ id: string; labels: Record<string, string>; state: string }[]>;
  /** Force-removes a container; a container that is already gone is not an error. */
  removeContainer(id: string): Promise<void>;
  /** Creates a bridge network (Docker picks a free subnet); fails with Docker's text. */
  createNetwork(spec: NetworkSpec): Promise<Result<CreatedNetwork, string>>;
  /** Networks whose labels include all of `labels`. */
  listNetworks(labels: Record<string, string>): Promise<{ id: string; name: string; labels: Record<string, string> }[]>;
  /** Removes a network; one that is already gone is not an error (containers still attached: Docker's error). */
  removeNetwork(id: string): Promise<void>;
}
