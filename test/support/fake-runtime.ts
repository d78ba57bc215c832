import type {
  ContainerExit, ContainerRuntime, ContainerSpec, CreatedNetwork, EngineInfo, ImageInfo, LineEnd, NetworkSpec, PullProgress, RunOptions,
  RunningService, RuntimeFailure, ServiceSpec,
} from '../../contracts/container-runtime.js';
import { LABEL_STEP } from '../../containers/labels.js';
import { err, ok, type Result } from '../../kernel/result.js';

/** What a fake container's job gets: its spec, host paths for its mounts, and a way to log lines. */
export interface FakeJobIo {
  spec: ContainerSpec;
  /** The host path behind a path inside the container (through the spec's mounts); throws when nothing is mounted there. */
  hostPath(containerPath: string): string;
  /** A log line; `end` `\r` as a lone carriage return ended it (a progress state). */
  log(line: string, stream?: 'stdout' | 'stderr', end?: LineEnd): void;
  signal: AbortSignal;
}

/** A container's work, in JS: returns the exit code (137 with `oomKilled` via `{ exitCode, oomKilled }`). */
export type FakeJob = (io: FakeJobIo) => number | { exitCode: number; oomKilled?: boolean } | Promise<number | { exitCode: number; oomKilled?: boolean }>;

/**
 * An in-memory ContainerRuntime for engine tests (no Docker): `run` calls the job registered for the container's step
 * (label org.cairn.step) or else for its image, with the spec, so real executors (Processing …) run against it and
 * their job writes into the host paths of the output mounts. Records every spec; an abort ends a run as `stopped`;
 * containers exist while they run (listContainers / removeContainer), plus any added with `leaveContainer`.
 */
export class FakeRuntime implements ContainerRuntime {
  readonly specs: ContainerSpec[] = [];
  private readonly jobs = new Map<string, FakeJob>();
  private readonly images = new Map<string, ImageInfo>();
  private readonly containers = new Map<string, { id: string; labels: Record<string, string>; state: string }>();
  private next = 0;
  /** Networks that exist (createNetwork adds, removeNetwork deletes). */
  readonly networks = new Map<string, CreatedNetwork & { labels: Record<string, string> }>();

  constructor(readonly engine: EngineInfo = { cpus: 2, memoryBytes: 8 * 2 ** 30, runtimes: ['runc'] }) {}

  /** Makes `ref` a local image (id `sha256:<hex of ref>` unless given). */
  addImage(ref: string, id = `sha256:${Buffer.from(ref).toString('hex').padEnd(64, '0').slice(0, 64)}`): ImageInfo {
    const info: ImageInfo = { id, repoTags: [ref], repoDigests: [] };
    this.images.set(ref, info);
    this.images.set(id, info);
    return info;
  }

  /** The job run for containers of step `name` (takes precedence over an image's job). */
  onStep(name: string, job: FakeJob): this { this.jobs.set(`step:${name}`, job); return this; }
  /** The job run for containers of image `ref` (reference or id). */
  onImage(ref: string, job: FakeJob): this { this.jobs.set(`image:${ref}`, job); return this; }

  /** A container left behind (as by a dead cairn process), for reconcile tests. */
  leaveContainer(labels: Record<string, string>, state = 'exited'): string {
    const id = `fake-${++this.next}`;
    this.containers.set(id, { id, labels, state });
    return id;
  }

  ping(): Promise<Result<void, string>> { return Promise.resolve(ok(undefined)); }
  engineInfo(): Promise<Result<EngineInfo, string>> { return Promise.resolve(ok(this.engine)); }
  inspectImage(ref: string): Promise<ImageInfo | undefined> { return Promise.resolve(this.images.get(ref)); }
  canPull(ref: string): Promise<Result<void, string>> { return Promise.resolve(err(`fake runtime: ${ref} is not in any registry`)); }
  pullImage(ref: string, _onProgress?: (p: PullProgress) => void): Promise<Result<ImageInfo, string>> {
    const info = this.images.get(ref);
    return Promise.resolve(info === undefined ? err(`fake runtime: cannot pull ${ref}`) : ok(info));
  }

  async run(spec: ContainerSpec, opts: RunOptions = {}): Promise<Result<ContainerExit, RuntimeFailure>> {
    this.specs.push(spec);
    const info = this.images.get(spec.image);
    if (info === undefined) return err({ reason: 'image-missing', image: spec.image });
    const job = this.jobs.get(`step:${spec.labels[LABEL_STEP] ?? ''}`) ?? this.jobs.get(`image:${spec.image}`)
      ?? info.repoTags.map((t) => this.jobs.get(`image:${t}`)).find((j) => j !== undefined);
    if (job === undefined) return err({ reason: 'docker-error', during: 'create', engineText: `fake runtime: no job for step "${spec.labels[LABEL_STEP] ?? '?'}" or image ${spec.image}` });
    const id = `fake-${++this.next}`;
    this.containers.set(id, { id, labels: spec.labels, state: 'running' });
    opts.onCreated?.(id);
    const signal = opts.signal ?? new AbortController().signal;
    try {
      if (signal.aborted) return err({ reason: 'stopped', containerId: id, before: 'finished' });
      const io: FakeJobIo = { spec, hostPath: (p) => hostPath(spec, p), log: (line, stream = 'stdout', end) => opts.onLine?.(line, stream, end), signal };
      const aborted = new Promise<'aborted'>((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
      const r = await Promise.race([Promise.resolve(job(io)), aborted]);
      if (r === 'aborted') return err({ reason: 'stopped', containerId: id, before: 'finished' });
      const exit = typeof r === 'number' ? { exitCode: r, oomKilled: false } : { exitCode: r.exitCode, oomKilled: r.oomKilled ?? false };
      return ok({ containerId: id, ...exit });
    } finally {
      this.containers.delete(id);
    }
  }

  startService(_spec: ServiceSpec): Promise<Result<RunningService, RuntimeFailure>> {
    return Promise.resolve(err({ reason: 'docker-error', during: 'start', engineText: 'fake runtime: services are not supported' }));
  }

  listContainers(labels: Record<string, string>): Promise<{ id: string; labels: Record<string, string>; state: string }[]> {
    return Promise.resolve([...this.containers.values()].filter((c) => Object.entries(labels).every(([k, v]) => c.labels[k] === v)));
  }

  removeContainer(id: string): Promise<void> {
    this.containers.delete(id);
    return Promise.resolve();
  }

  createNetwork(spec: NetworkSpec): Promise<Result<CreatedNetwork, string>> {
    if ([...this.networks.values()].some((n) => n.name === spec.name)) return Promise.resolve(err(`network with name ${spec.name} already exists`));
    const n = this.networks.size + 1;
    const net = { id: `fake-net-${++this.next}`, name: spec.name, gateway: `10.99.${n}.1`, subnet: `10.99.${n}.0/24`, labels: spec.labels };
    this.networks.set(net.id, net);
    return Promise.resolve(ok({ id: net.id, name: net.name, gateway: net.gateway, subnet: net.subnet }));
  }

  listNetworks(labels: Record<string, string>): Promise<{ id: string; name: string; labels: Record<string, string> }[]> {
    return Promise.resolve([...this.networks.values()].filter((n) => Object.entries(labels).every(([k, v]) => n.labels[k] === v)).map((n) => ({ id: n.id, name: n.name, labels: n.labels })));
  }

  removeNetwork(id: string): Promise<void> {
    this.networks.delete(id);
    for (const [k, n] of this.networks) if (n.name === id) this.networks.delete(k);
    return Promise.resolve();
  }
}

function hostPath(spec: ContainerSpec, containerPath: string): string {
  const m = [...spec.mounts].sort((a, b) => b.containerPath.length - a.containerPath.length)
    .find((x) => containerPath === x.containerPath || containerPath.startsWith(`${x.containerPath.replace(/\/$/, '')}/`));
  if (m === undefined) throw new Error(`fake runtime: nothing is mounted at ${containerPath} (mounts: ${spec.mounts.map((x) => x.containerPath).join(', ')})`);
  return m.hostPath + containerPath.slice(m.containerPath.length);
}
