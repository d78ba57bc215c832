import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import { err, ok, type Result } from '../kernel/result.js';
import { engineLite, localEngineSocket, type EngineLite } from './docker-engine-lite.js';
import { createDockerNetwork, listDockerNetworks, removeDockerNetwork } from './docker-networks.js';
import { startDockerService } from './docker-service.js';
import { LogDemux } from './log-demux.js';
import type {
  ContainerExit,
  ContainerRuntime,
  ContainerSpec,
  CreatedNetwork,
  EngineInfo,
  ImageInfo,
  Mount,
  PullProgress,
  RegistryAuth,
  RunningService,
  RunOptions,
  NetworkSpec,
  RuntimeFailure,
  ServiceSpec,
} from '../contracts/container-runtime.js';

/** Seconds `docker stop` waits after SIGTERM before it kills an aborted container. */
const STOP_GRACE_SECONDS = 2;
/** How long `canPull` waits for the registry to answer. */
const CAN_PULL_TIMEOUT_MS = 5_000;
/** After the container exits, how long to wait for the log stream to drain before giving up on it. */
const LOG_DRAIN_TIMEOUT_MS = 2_000;

const require = createRequire(import.meta.url);
const loadDockerode = (): typeof Docker => require('dockerode') as typeof Docker;

/** The one ContainerRuntime backed by a real Docker engine (dockerode). */
export class DockerRuntime implements ContainerRuntime {
  private client: Docker | undefined;

  /**
   * Without options dockerode connects to DOCKER_HOST, or /var/run/docker.sock when it is unset. dockerode (with ssh2,
   * @grpc/grpc-js and protobufjs, ~0.26 s of CPU to load) is loaded on first use, not when the runtime is made.
   */
  constructor(private readonly options?: Docker.DockerOptions) {}

  /** The dockerode client, loaded and made on first use (synchronously: dockerode is CommonJS). */
  private get docker(): Docker {
    this.client ??= new (loadDockerode())(this.options);
    return this.client;
  }

  private liteClient: EngineLite | Docker | undefined;

  /** Ping, image inspect, container list: over the local socket without dockerode (docker-engine-lite.ts), else dockerode's. */
  private get lite(): EngineLite | Docker {
    const socket = this.options === undefined ? localEngineSocket() : undefined;
    this.liteClient ??= this.client ?? (socket !== undefined ? engineLite(socket) : this.docker);
    return this.liteClient;
  }

  async ping(): Promise<Result<void, string>> {
    try {
      await this.lite.ping();
      return ok(undefined);
    } catch (e) {
      return err(dockerMessage(e));
    }
  }

  private info: Promise<Result<EngineInfo, string>> | undefined;

  engineInfo(): Promise<Result<EngineInfo, string>> {
    this.info ??= this.docker.info().then(
      (i: { NCPU?: number; MemTotal?: number; Runtimes?: Record<string, unknown> }) =>
        ok({ cpus: i.NCPU ?? 0, memoryBytes: i.MemTotal ?? 0, runtimes: Object.keys(i.Runtimes ?? {}) }),
      (e: unknown) => err(dockerMessage(e)),
    );
    return this.info;
  }

  async inspectImage(ref: string): Promise<ImageInfo | undefined> {
    try {
      const info = await this.lite.getImage(ref).inspect();
      const entrypoint = info.Config?.Entrypoint;
      return {
        id: info.Id, repoTags: info.RepoTags ?? [], repoDigests: info.RepoDigests ?? [], labels: info.Config?.Labels ?? {}, env: info.Config?.Env ?? [], size: info.Size,
        ...(Array.isArray(entrypoint) && entrypoint.length > 0 ? { entrypoint } : typeof entrypoint === 'string' && entrypoint !== '' ? { entrypoint: [entrypoint] } : {}),
      };
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async canPull(ref: string, auth?: RegistryAuth): Promise<Result<void, string>> {
    const signal = AbortSignal.timeout(CAN_PULL_TIMEOUT_MS);
    try {
      await new Promise<void>((resolveP, rejectP) => {
        // dockerode's Image.distribution() cannot be cancelled; the same request through the modem can.
        this.docker.modem.dial(
          {
            path: `/distribution/${ref}/json`,
            method: 'GET',
            statusCodes: { 200: true, 401: 'no such image or not authorized', 403: 'not authorized', 404: 'no such image', 500: 'server error' },
            abortSignal: signal,
            ...(auth ? { authconfig: auth } : {}),
          },
          (e: unknown) => (e ? rejectP(e) : resolveP()),
        );
      });
      return ok(undefined);
    } catch (e) {
      if (signal.aborted) return err(`the registry did not answer within ${CAN_PULL_TIMEOUT_MS / 1000} seconds`);
      return err(dockerMessage(e));
    }
  }

  async pullImage(ref: string, onProgress?: (p: PullProgress) => void, signal?: AbortSignal, auth?: RegistryAuth): Promise<Result<ImageInfo, string>> {
    let stream: NodeJS.ReadableStream;
    try {
      stream = (await this.docker.pull(ref, pullOptions(signal, auth))) as NodeJS.ReadableStream;
    } catch (e) {
      return err(dockerMessage(e));
    }
    const failure = await new Promise<string | undefined>((resolveP) => {
      let firstError: string | undefined;
      this.docker.modem.followProgress(
        stream,
        (e: unknown) => resolveP(firstError ?? (e ? dockerMessage(e) : undefined)),
        (event: { id?: string; status?: string; progressDetail?: { current?: number; total?: number }; error?: string; errorDetail?: { message?: string } }) => {
          if (event.errorDetail || event.error) {
            firstError ??= event.errorDetail?.message ?? event.error ?? 'the pull failed';
            return;
          }
          const p: PullProgress = { status: event.status ?? '' };
          if (event.id !== undefined) p.id = event.id;
          if (event.progressDetail?.current !== undefined) p.current = event.progressDetail.current;
          if (event.progressDetail?.total !== undefined) p.total = event.progressDetail.total;
          onProgress?.(p);
        },
      );
    });
    if (signal?.aborted) return err('the pull was cancelled');
    if (failure !== undefined) return err(failure);
    const info = await this.inspectImage(ref);
    return info ? ok(info) : err(`the pull finished but image "${ref}" is not present afterwards`);
  }

  async run(spec: ContainerSpec, opts: RunOptions = {}): Promise<Result<ContainerExit, RuntimeFailure>> {
    const { signal } = opts;
    const stopped = (containerId?: string): Result<ContainerExit, RuntimeFailure> =>
      err({ reason: 'stopped', ...(containerId ? { containerId } : {}), before: 'finished' });
    if (signal?.aborted) return stopped();

    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(createOptions(spec));
    } catch (e) {
      if (statusOf(e) === 404) {
        return err({ reason: 'image-missing', image: spec.image });
      }
      return err(engineFailure('create', e));
    }
    const id = container.id;
    let abortRequested = false;
    const onAbort = (): void => {
      abortRequested = true;
      container.stop({ t: STOP_GRACE_SECONDS }).catch(() => undefined);
    };
    try {
      opts.onCreated?.(id);
      const demux = new LogDemux((line, stream, end) => opts.onLine?.(line, stream, end));
      const logStream = await container.attach({ stream: true, stdout: true, stderr: true, logs: true });
      const drained = new Promise<void>((resolveP) => {
        logStream.on('data', (chunk: Buffer) => demux.push(chunk));
        logStream.on('end', () => resolveP());
        logStream.on('close', () => resolveP());
        logStream.on('error', () => resolveP());
      });
      if (signal?.aborted) return stopped(id);
      signal?.addEventListener('abort', onAbort, { once: true });
      await container.start();
      // An abort that landed while the container was still starting found nothing to stop: stop it now.
      if (abortRequested) container.stop({ t: STOP_GRACE_SECONDS }).catch(() => undefined);
      const waited = (await container.wait({ condition: 'not-running' })) as { StatusCode: number };
      await Promise.race([drained, delay(LOG_DRAIN_TIMEOUT_MS)]);
      (logStream as unknown as { destroy?: () => void }).destroy?.();
      demux.flush();
      if (abortRequested || signal?.aborted) return stopped(id);
      // Exit 0 cannot be an OOM kill: skip the extra round trip on the common path.
      const oomKilled = waited.StatusCode !== 0 && (await container.inspect()).State.OOMKilled === true;
      return ok({ containerId: id, exitCode: waited.StatusCode, oomKilled });
    } catch (e) {
      if (abortRequested || signal?.aborted) return stopped(id);
      return err(engineFailure('run', e, id));
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await this.removeContainer(id).catch(() => undefined);
    }
  }

  startService(spec: ServiceSpec, opts: RunOptions = {}): Promise<Result<RunningService, RuntimeFailure>> {
    return startDockerService(this.docker, createOptions(spec), spec.ports, opts, { failure: engineFailure, status: statusOf });
  }

  async listContainers(labels: Record<string, string>): Promise<{ id: string; labels: Record<string, string>; state: string }[]> {
    const filter = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
    const list = await this.lite.listContainers({ all: true, filters: { label: filter } });
    return list.map((c) => ({ id: c.Id, labels: c.Labels ?? {}, state: c.State }));
  }

  async removeContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (e) {
      const status = statusOf(e);
      // 404: already gone; 409: removal already in progress.
      if (status === 404 || status === 409) return;
      throw e;
    }
  }

  createNetwork(spec: NetworkSpec): Promise<Result<CreatedNetwork, string>> {
    return createDockerNetwork(this.docker, spec).catch((e: unknown) => err(dockerMessage(e)));
  }

  listNetworks(labels: Record<string, string>): Promise<{ id: string; name: string; labels: Record<string, string> }[]> {
    return listDockerNetworks(this.docker, labels);
  }

  removeNetwork(id: string): Promise<void> {
    return removeDockerNetwork(this.docker, id, statusOf);
  }
}

/** dockerode's pull options: the registry sign-in goes in `authconfig` (dockerode sends it as X-Registry-Auth). */
export function pullOptions(signal?: AbortSignal, auth?: RegistryAuth): { abortSignal?: AbortSignal; authconfig?: RegistryAuth } {
  return { ...(signal ? { abortSignal: signal } : {}), ...(auth ? { authconfig: { ...auth } } : {}) };
}

function createOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const options: Docker.ContainerCreateOptions = {
    Image: spec.image,
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: spec.labels,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    OpenStdin: false,
    HostConfig: {
      Mounts: sortMounts(spec.mounts).map((m) => ({ Type: 'bind', Source: m.hostPath, Target: m.containerPath, ReadOnly: m.readOnly })),
      ...(spec.nanoCpus !== undefined ? { NanoCpus: spec.nanoCpus } : {}),
      ...(spec.memoryBytes !== undefined ? { Memory: spec.memoryBytes } : {}),
      ...(spec.networkIsolated === true ? { NetworkMode: 'none' } : spec.network !== undefined ? { NetworkMode: spec.network } : {}),
      ...(spec.gpus !== undefined && spec.gpus !== 0
        ? { DeviceRequests: [{ Driver: '', Count: spec.gpus === 'all' ? -1 : spec.gpus, DeviceIDs: [], Capabilities: [['gpu']], Options: {} }] }
        : {}),
    },
  };
  if (spec.entrypoint !== undefined) options.Entrypoint = spec.entrypoint;
  if (spec.cmd !== undefined) options.Cmd = spec.cmd;
  if (spec.workingDir !== undefined) options.WorkingDir = spec.workingDir;
  if (spec.hostname !== undefined) options.Hostname = spec.hostname;
  if (spec.name !== undefined) options.name = spec.name;
  if (spec.network !== undefined && spec.networkIsolated !== true) {
    const aliases = [...(spec.hostname !== undefined ? [spec.hostname] : []), ...(spec.networkAliases ?? [])];
    options.NetworkingConfig = { EndpointsConfig: { [spec.network]: aliases.length > 0 ? { Aliases: aliases } : {} } };
  }
  return options;
}

/** Parents before children (fewer path segments first), so a nested mount is never hidden by its parent's. */
export function sortMounts(mounts: readonly Mount[]): Mount[] {
  const depth = (p: string): number => p.split('/').filter((s) => s !== '').length;
  return [...mounts].sort((a, b) => depth(a.containerPath) - depth(b.containerPath) || (a.containerPath < b.containerPath ? -1 : a.containerPath > b.containerPath ? 1 : 0));
}

function statusOf(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && 'statusCode' in e ? (e as { statusCode?: number }).statusCode : undefined;
}

/** The engine's own message when it sent one (dockerode wraps it as `(HTTP code …) … - <message>`). */
function dockerMessage(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const json = (e as { json?: unknown }).json;
    if (typeof json === 'object' && json !== null && typeof (json as { message?: unknown }).message === 'string') {
      return (json as { message: string }).message.trim();
    }
    if (typeof json === 'string' && json.trim() !== '') return json.trim();
    if (e instanceof Error) return e.message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
  }
  return String(e);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolveP) => setTimeout(resolveP, ms).unref());
}

/** A Docker API error as data: Docker's text, and the HTTP status when the API answered with one. */
function engineFailure(during: 'create' | 'run' | 'start', e: unknown, containerId?: string): RuntimeFailure {
  const status = statusOf(e);
  return { reason: 'docker-error', during, engineText: dockerMessage(e), ...(status !== undefined ? { status } : {}), ...(containerId !== undefined ? { containerId } : {}) };
}
