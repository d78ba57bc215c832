import { classifyInstanceType, containerLimits, cpuAlternative, INSTANCE_TYPES, type ContainerLimits } from '../containers/instance-types.js';
import { ok, type Result } from '../kernel/result.js';
import type { ArgumentReader } from './arguments.js';
import type { StepContext } from '../contracts/executor.js';
import { dockerFailure, type StepFailure } from '../contracts/step-failure.js';
import type { RuntimeFailure } from '../contracts/container-runtime.js';

/** Argument check: an `ml.` instance type must be a known one (`invalid-arguments` naming the field, with close matches). */
export function checkInstanceType(a: ArgumentReader, type: string | undefined, field: string): Result<void, StepFailure> {
  if (type === undefined) return ok(undefined);
  const c = classifyInstanceType(type);
  if (c.kind !== 'unknown-ml') return ok(undefined);
  return a.fail(field, `is "${type}", which is not a SageMaker instance type cairn knows`,
    `use a known type (close matches: ${c.closeMatches.join(', ')}), or "local" for no resource limits`);
}

/**
 * The CPU, memory and GPU limits of a step's container from its instance type: the instance's size, scaled down to
 * the engine's machine when it is larger (logged, and reported to the user as a notice).
 */
export async function stepLimits(ctx: StepContext, instanceType: string): Promise<ContainerLimits> {
  if (!INSTANCE_TYPES.has(instanceType) && instanceType !== 'local_gpu') return {};
  const info = await ctx.runtime.engineInfo();
  if (!info.ok) ctx.log.warn({ error: info.error }, 'docker info failed: container limits are not scaled to this machine');
  const limits = containerLimits(instanceType, info.ok ? info.value : undefined);
  if (limits.scaledDown !== undefined) {
    ctx.log.warn({ instanceType, nanoCpus: limits.nanoCpus, memoryBytes: limits.memoryBytes }, limits.scaledDown);
    ctx.onNotice(limits.scaledDown);
  }
  return limits;
}

/** Docker's answer when GPUs are requested from an engine without a GPU runtime (`could not select device driver …`). */
const NO_GPU_RUNTIME = /could not select device driver|nvidia|gpu/i;

/** Turns the engine's refusal of a GPU request into a `docker-error` with `gpu` (not retryable): instance type, field, a CPU alternative. */
export function gpuFailure(instanceType: string, field: string, f: Extract<RuntimeFailure, { reason: 'docker-error' }>): StepFailure | undefined {
  if (!NO_GPU_RUNTIME.test(f.engineText)) return undefined;
  const size = INSTANCE_TYPES.get(instanceType);
  const gpu = { instanceType, field, cpuAlternative: size === undefined ? 'ml.m5.xlarge' : cpuAlternative(size), ...(size !== undefined ? { gpus: size.gpus } : {}) };
  return dockerFailure({ ...f, gpu });
}
