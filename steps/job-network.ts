import { createHash } from 'node:crypto';
import type { StepContext } from '../contracts/executor.js';
import { dockerFailure, type StepFailure } from '../contracts/step-failure.js';
import { err, ok, type Result } from '../kernel/result.js';

/** The network a multi-instance job's hosts share: its name, and `release` once every container has ended. */
export interface JobNetwork {
  name: string;
  /** Removes the network when this attempt created it; leaves the run's network alone. Safe to call more than once. */
  release(): Promise<void>;
}

/** Docker allows network names of 1-64 characters from this set; cairn's run ids and step names may hold others. */
function networkName(ctx: StepContext): string {
  const whole = `cairn-${ctx.runId}-${ctx.stepName}-${ctx.attempt}`;
  const raw = whole.replace(/[^A-Za-z0-9_.-]+/g, '-');
  if (raw === whole && raw.length <= 64) return raw;
  const tag = createHash('sha256').update(whole).digest('hex').slice(0, 10);
  return `${raw.slice(0, 53)}-${tag}`;
}

/**
 * Where the hosts of a job of `count` instances meet (Docker's DNS resolves `algo-1` … `algo-N` there): the run's
 * network when the context offers one, else a bridge network of this attempt, labelled as its containers are (so a
 * sweep of a dead run's leftovers finds it), removed by `release`. With EnableNetworkIsolation (`isolated`) the hosts
 * still reach each other, as on SageMaker, but nothing else: an internal network of the attempt's own, never the run's
 * (whose gateway serves the S3 endpoint). A one-instance job needs none: undefined.
 */
export async function jobNetwork(ctx: StepContext, count: number, isolated: boolean): Promise<Result<JobNetwork | undefined, StepFailure>> {
  if (count <= 1) return ok(undefined);
  const runNetwork = ctx.runNetwork ?? ctx.s3?.network;
  if (runNetwork !== undefined && !isolated) return ok({ name: runNetwork, release: () => Promise.resolve() });
  const created = await ctx.runtime.createNetwork({ name: networkName(ctx), labels: ctx.labels, ...(isolated ? { internal: true } : {}) });
  if (!created.ok) return err(dockerFailure({ during: 'create', engineText: created.error }));
  const { id, name } = created.value;
  let released = false;
  return ok({
    name,
    release: async () => {
      if (released) return;
      released = true;
      await ctx.runtime.removeNetwork(id).catch((e: unknown) => ctx.log.warn({ network: name, error: String(e) }, 'could not remove the job network'));
    },
  });
}
