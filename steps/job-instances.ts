import { join } from 'node:path';
import { instanceHosts, type JobHost } from '../containers/contract/shared.js';
import type { StepContext } from '../contracts/executor.js';
import { onInstance, stepFailure, type StepFailure } from '../contracts/step-failure.js';
import { err, ok, type Result } from '../kernel/result.js';

/** One host of a job: its name and index, every host's name, and the step context as that host's work sees it. */
export interface JobInstance {
  host: JobHost;
  /** 0 for `algo-1`. */
  index: number;
  count: number;
  ctx: StepContext;
}

/**
 * The instances of a job of `count` hosts (`algo-1` … `algo-N`). A one-instance job gets the step's context as it is.
 * With several, each host's context has its own directory under the attempt's (`<attemptDir>/algo-2`), its log lines
 * prefixed `[algo-2] ` in the step's log, and a stop signal that `runInstances` fires for all when one fails.
 */
export function jobInstances(ctx: StepContext, count: number, signal: AbortSignal): JobInstance[] {
  const hosts = instanceHosts(count);
  const dirs = instanceDirs(ctx, count);
  if (hosts.length === 1) return [{ host: { current: hosts[0] as string, hosts }, index: 0, count: 1, ctx }];
  // Every host's container is limited alike: the same notice (limits scaled to this machine) is told once.
  const told = new Set<string>();
  const onNotice = (message: string): void => {
    if (told.has(message)) return;
    told.add(message);
    ctx.onNotice(message);
  };
  return hosts.map((host, index) => ({
    host: { current: host, hosts },
    index,
    count: hosts.length,
    ctx: {
      ...ctx,
      attemptDir: dirs[index] as string,
      signal,
      onLine: (line, stream, end) => ctx.onLine(`[${host}] ${line}`, stream, end),
      onNotice,
    },
  }));
}

/** Each host's own directory: the attempt's for a one-instance job, else `<attemptDir>/algo-<i>`. */
export function instanceDirs(ctx: StepContext, count: number): string[] {
  const hosts = instanceHosts(count);
  return hosts.length === 1 ? [ctx.attemptDir] : hosts.map((host) => join(ctx.attemptDir, host));
}

/**
 * Runs `work` on every instance at once; the job succeeds when every instance does (results in host order). The first
 * instance to fail stops the others (their signal is aborted, so their containers are stopped) and its failure is
 * the step's, naming the instance. When the step itself is stopped, the failure is `stopped`.
 */
export async function runInstances<T>(
  ctx: StepContext,
  count: number,
  work: (instance: JobInstance) => Promise<Result<T, StepFailure>>,
): Promise<Result<T[], StepFailure>> {
  const group = new AbortController();
  const stopAll = (): void => group.abort();
  ctx.signal.addEventListener('abort', stopAll, { once: true });
  if (ctx.signal.aborted) group.abort();
  const instances = jobInstances(ctx, count, count > 1 ? group.signal : ctx.signal);
  let first: StepFailure | undefined;
  try {
    const results = await Promise.all(instances.map(async (inst) => {
      const r = await work(inst).catch((e: unknown) => {
        group.abort();
        throw e;
      });
      if (!r.ok && first === undefined && !(r.error.reason === 'stopped' && group.signal.aborted)) {
        first = onInstance(r.error, { host: inst.host.current, count: inst.count });
        if (inst.count > 1) ctx.log.warn({ host: inst.host.current }, 'an instance failed: stopping the others');
        group.abort();
      }
      return r;
    }));
    if (first !== undefined && !ctx.signal.aborted) return err(first);
    const values: T[] = [];
    for (const r of results) {
      if (!r.ok) return err(ctx.signal.aborted && count > 1 ? stepFailure('stopped', { when: 'container' }) : r.error);
      values.push(r.value);
    }
    return ok(values);
  } finally {
    ctx.signal.removeEventListener('abort', stopAll);
  }
}

/**
 * How a host's container is networked: a one-instance job as before (no network of its own; none at all when
 * isolated); several hosts join `network` under their host name (an isolated job's network is internal, see
 * steps/job-network.ts).
 */
export function hostNetwork(inst: JobInstance, network: string | undefined, isolated: boolean): { hostname?: string; network?: string; networkIsolated: boolean } {
  if (network === undefined || inst.count <= 1) return { networkIsolated: isolated };
  return { hostname: inst.host.current, network, networkIsolated: false };
}
