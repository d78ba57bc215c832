import { afterEach, describe, expect, it } from 'vitest';
import { oversubscribedWords, wordPlannedStep } from '../../cli/plan-words.js';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import { oversubscription } from '../../engine/run/plan-capacity.js';
import { planRun } from '../../engine/run/plan.js';
import type { JsonValue } from '../../kernel/json.js';
import { SUPPORTED_STEP_TYPES } from '../../steps/executor-registry.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { fakeServices } from '../support/fake-services.js';
import { CHAIN_IMAGE, outOf, proc } from './processing-chain.js';
import { definitionText } from './definition-helpers.js';

const GiB = 2 ** 30;
const machine = { cpus: 2, memoryBytes: 8 * GiB, runtimes: ['runc'] };
let env: ReturnType<typeof fakeServices> | undefined;
afterEach(() => env?.close());

function withCluster(step: JsonValue, clusterConfig: JsonValue): JsonValue {
  const s = step as { Arguments: { ProcessingResources: { ClusterConfig: JsonValue } } };
  s.Arguments.ProcessingResources.ClusterConfig = clusterConfig;
  return step;
}

describe('plan: N containers against this machine', () => {
  it('oversubscribed when the containers together ask for more CPUs or memory than the machine has', () => {
    // ml.m5.xlarge (4 vCPUs, 16 GiB) is scaled to the machine per container: 2 CPUs, 8 GiB each, 3 of them.
    expect(oversubscription('ml.m5.xlarge', 3, machine, 'ProcessingResources.ClusterConfig')).toEqual({
      instanceType: 'ml.m5.xlarge', instanceCount: 3, field: 'ProcessingResources.ClusterConfig', cpus: 2, memoryBytes: 8 * GiB, machineCpus: 2, machineMemoryBytes: 8 * GiB,
    });
    expect(oversubscription('ml.t3.medium', 4, { ...machine, cpus: 8, memoryBytes: 16 * GiB }, 'f')).toBeUndefined(); // 8 CPUs, 16 GiB: fits exactly
    expect(oversubscription('ml.t3.medium', 4, { ...machine, cpus: 8, memoryBytes: 15 * GiB }, 'f')?.instanceCount).toBe(4); // memory alone
    expect(oversubscription('ml.t3.medium', 5, { ...machine, cpus: 8, memoryBytes: 64 * GiB }, 'f')?.instanceCount).toBe(5); // CPUs alone
    expect(oversubscription('ml.m5.xlarge', 1, machine, 'f')).toBeUndefined();
    expect(oversubscription('local', 4, machine, 'f')).toBeUndefined(); // no limits: nothing to add up
  });

  it('cairn plan warns on every multi-instance step that oversubscribes, with the count from a parameter, before upstream steps ran', async () => {
    env = fakeServices(new FakeRuntime(machine));
    env.runtime.addImage(CHAIN_IMAGE);
    const steps = [
      withCluster(proc('A', 's3://bucket/raw'), { InstanceType: 'ml.m5.xlarge', InstanceCount: { Get: 'Parameters.Count' }, VolumeSizeInGB: 1 }),
      withCluster(proc('B', outOf('A')), { InstanceType: 'ml.m5.large', InstanceCount: 2, VolumeSizeInGB: 1 }),
      proc('C', outOf('B')),
    ];
    const text = definitionText({ Parameters: [{ Name: 'Count', Type: 'Integer', DefaultValue: 3 }], Steps: steps });
    const def = loadDefinitionText(text, 'pipeline.json', { supportedStepTypes: SUPPORTED_STEP_TYPES });
    if (!def.ok) throw new Error(JSON.stringify(def.error));
    const planned = await planRun(env.services, def.value, 'p', { Count: 3 }, { noCache: false, rerun: [] });
    expect(planned.map((p) => [p.name, p.oversubscribed?.instanceCount])).toEqual([['A', 3], ['B', 2], ['C', undefined]]);
    expect(wordPlannedStep(planned[0]!).warnings).toEqual([
      'ProcessingResources.ClusterConfig: 3 × ml.m5.xlarge containers of 2 CPUs and 8 GiB each ask for 6 CPUs and 24 GiB together, ' +
        "more than this machine's 2 CPUs and 8 GiB: they run at once and share it, so the job runs slower than on 3 instances; " +
        'lower InstanceCount or use a smaller instance type to avoid it.',
    ]);
    expect(wordPlannedStep(planned[2]!).warnings).toBeUndefined();
    expect(oversubscribedWords(planned[1]!.oversubscribed!)).toContain('2 × ml.m5.large containers of 2 CPUs and 8 GiB each ask for 4 CPUs and 16 GiB');
  });
});
