import type Docker from 'dockerode';
import { err, ok, type Result } from '../kernel/result.js';
import { LogDemux } from './log-demux.js';
import { SERVICE_HOST_IP, type RunningService, type RunOptions, type RuntimeFailure } from '../contracts/container-runtime.js';

/** What docker-service needs from docker-runtime (passed in, so the two files do not import each other). */
export interface ServiceHelpers {
  failure: (during: 'create' | 'start', e: unknown, containerId?: string) => RuntimeFailure;
  status: (e: unknown) => number | undefined;
}

/**
 * Creates and starts a long-running container from `options`, publishing `ports` on 127.0.0.1 (free host ports the
 * engine picks, read back from the container). The container is removed by `stop()`, by an abort of `opts.signal`,
 * and whenever starting fails half-way: nothing is left behind.
 */
export async function startDockerService(
  docker: Docker, options: Docker.ContainerCreateOptions, ports: readonly number[], opts: RunOptions, helpers: ServiceHelpers,
): Promise<Result<RunningService, RuntimeFailure>> {
  const { signal } = opts;
  const stopped = (): Result<RunningService, RuntimeFailure> => err({ reason: 'stopped', before: 'ready' });
  if (signal?.aborted) return stopped();
  const keys = ports.map((p) => `${p}/tcp`);
  const create: Docker.ContainerCreateOptions = {
    ...options,
    ExposedPorts: Object.fromEntries(keys.map((k) => [k, {}])),
    HostConfig: { ...options.HostConfig, PortBindings: Object.fromEntries(keys.map((k) => [k, [{ HostIp: SERVICE_HOST_IP, HostPort: '' }]])) },
  };
  let container: Docker.Container;
  try {
    container = await docker.createContainer(create);
  } catch (e) {
    if (helpers.status(e) === 404) {
      return err({ reason: 'image-missing', image: options.Image ?? '' });
    }
    return err(helpers.failure('create', e));
  }
  const id = container.id;
  const demux = new LogDemux((line, stream, end) => opts.onLine?.(line, stream, end));
  let logStream: NodeJS.ReadableStream | undefined;
  let removal: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    removal ??= (async () => {
      signal?.removeEventListener('abort', onAbort);
      try {
        await container.remove({ force: true, v: true });
      } catch (e) {
        const status = helpers.status(e);
        if (status !== 404 && status !== 409) throw e;
      } finally {
        (logStream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
        demux.flush();
      }
    })();
    return removal;
  };
  const onAbort = (): void => void stop().catch(() => undefined);
  try {
    opts.onCreated?.(id);
    signal?.addEventListener('abort', onAbort, { once: true });
    logStream = await container.attach({ stream: true, stdout: true, stderr: true, logs: true });
    logStream.on('data', (chunk: Buffer) => demux.push(chunk));
    logStream.on('error', () => undefined);
    if (signal?.aborted) throw new Error('aborted');
    await container.start();
    const info = await container.inspect();
    const hostPorts: Record<number, number> = {};
    for (const [i, key] of keys.entries()) {
      const binding = info.NetworkSettings.Ports?.[key]?.find((b) => b.HostIp === SERVICE_HOST_IP) ?? info.NetworkSettings.Ports?.[key]?.[0];
      const port = Number(binding?.HostPort);
      if (!Number.isInteger(port) || port <= 0) throw new Error(`the engine published no host port for container port ${key}`);
      hostPorts[ports[i] as number] = port;
    }
    const state = async (): Promise<{ running: boolean; exitCode?: number; oomKilled?: boolean }> => {
      try {
        const s = (await container.inspect()).State;
        return s.Running ? { running: true } : { running: false, exitCode: s.ExitCode, oomKilled: s.OOMKilled === true };
      } catch {
        return { running: false };
      }
    };
    return ok({ containerId: id, hostPorts, state, stop });
  } catch (e) {
    await stop().catch(() => undefined);
    if (signal?.aborted) return stopped();
    return err(helpers.failure('start', e, id));
  }
}
