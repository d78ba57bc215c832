import { containerLimits } from '../../containers/instance-types.js';
import type { EngineInfo } from '../../contracts/container-runtime.js';
import type { StepDef } from '../../contracts/definition.js';
import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import { resolveValue } from '../definition/expressions.js';
import { expressionContext } from './property-files.js';
import type { RunContext } from './run-context.js';

/**
 * A multi-instance job whose containers, each limited to its instance type's size (scaled to this machine), ask for
 * more CPUs or memory together than the engine's machine has: they still run, but slower than the cloud's would
 * (cli/plan-words.ts words it).
 */
export interface Oversubscription {
  instanceType: string;
  instanceCount: number;
  /** The InstanceType/InstanceCount fields' parent in the Arguments. */
  field: string;
  /** One container's limits. */
  cpus: number;
  memoryBytes: number;
  machineCpus: number;
  machineMemoryBytes: number;
}

/** Where a job step's instance type and count sit in its Arguments. */
const RESOURCE_FIELDS: Record<string, string[]> = {
  Training: ['ResourceConfig'],
  Processing: ['ProcessingResources', 'ClusterConfig'],
};

/** N containers of `instanceType` against the machine: the oversubscription, or undefined when they fit (or N is 1). */
export function oversubscription(instanceType: string, instanceCount: number, engine: EngineInfo, field: string): Oversubscription | undefined {
  if (instanceCount <= 1) return undefined;
  const limits = containerLimits(instanceType, engine);
  if (limits.nanoCpus === undefined || limits.memoryBytes === undefined) return undefined;
  const cpus = limits.nanoCpus / 1e9;
  if (cpus * instanceCount <= engine.cpus && limits.memoryBytes * instanceCount <= engine.memoryBytes) return undefined;
  return { instanceType, instanceCount, field, cpus, memoryBytes: limits.memoryBytes, machineCpus: engine.cpus, machineMemoryBytes: engine.memoryBytes };
}

/**
 * The oversubscription of a Training or Processing step at plan time: its instance type and count resolved (parameters
 * and execution variables; a count only known at run time is skipped), against `docker info`.
 */
export async function stepOversubscription(rc: RunContext, step: StepDef): Promise<Oversubscription | undefined> {
  const path = RESOURCE_FIELDS[step.type];
  if (path === undefined) return undefined;
  let raw: JsonValue | undefined = step.arguments;
  for (const key of path) raw = isJsonObject(raw) ? raw[key] : undefined;
  if (raw === undefined) return undefined;
  const resolved = resolveValue(raw, expressionContext(rc));
  if (!resolved.ok || !isJsonObject(resolved.value)) return undefined;
  const { InstanceType: type, InstanceCount: count } = resolved.value;
  if (typeof type !== 'string' || typeof count !== 'number') return undefined;
  const engine = await rc.services.runtime.engineInfo().catch(() => undefined);
  if (engine === undefined || !engine.ok) return undefined;
  return oversubscription(type, count, engine.value, path.join('.'));
}
