import { mkdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reasonWords } from '../../cli/decision-words.js';
import { failureSentence } from '../../cli/render-failure.js';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import { planRun } from '../../engine/run/plan.js';
import { startRun } from '../../engine/run/run-pipeline.js';
import type { JsonValue } from '../../kernel/json.js';
import { SUPPORTED_STEP_TYPES } from '../../steps/executor-registry.js';
import { fakeServices } from '../support/fake-services.js';

// EnableNetworkIsolation reaches the container runtime as `networkIsolated` (Docker NetworkMode "none": see
// test/e2e/network-isolation.test.ts for a real engine) and is part of the step's fingerprint.

const IMAGE = 'cairn-test/job:1';
let env: ReturnType<typeof fakeServices>;
beforeEach(() => {
  env = fakeServices();
  env.runtime.addImage(IMAGE);
  env.runtime.onImage(IMAGE, (io) => { if (io.spec.labels['org.cairn.step'] === 'P') mkdirSync(io.hostPath('/opt/ml/processing/o'), { recursive: true }); return 0; });
});
afterEach(() => env.close());

function definition(processingNetwork: JsonValue | undefined, trainingIsolation: JsonValue | undefined) {
  const text = JSON.stringify({
    Version: '2020-12-01',
    Steps: [{
      Name: 'P', Type: 'Processing',
      Arguments: {
        AppSpecification: { ImageUri: IMAGE },
        ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 } },
        ProcessingOutputConfig: { Outputs: [{ OutputName: 'o', S3Output: { S3Uri: 's3://b/o', LocalPath: '/opt/ml/processing/o' } }] },
        ...(processingNetwork !== undefined ? { NetworkConfig: processingNetwork } : {}),
      },
    }, {
      Name: 'T', Type: 'Training',
      Arguments: {
        AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
        OutputDataConfig: { S3OutputPath: 's3://b/models' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        ...(trainingIsolation !== undefined ? { EnableNetworkIsolation: trainingIsolation } : {}),
      },
    }],
  });
  const r = loadDefinitionText(text, 'p.json', { supportedStepTypes: SUPPORTED_STEP_TYPES });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { def: r.value, text };
}

async function run(d: ReturnType<typeof definition>): Promise<string[]> {
  const r = await startRun(env.services, { definition: d.def, definitionText: d.text, pipeline: 'p', parameters: {}, options: { noCache: false, rerun: [] } },
    { signal: new AbortController().signal, emit: () => undefined, maxParallel: 1 });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return env.services.store.getSteps(r.value.runId).map((s) =>
    s.failure ? failureSentence({ name: s.name, type: s.type }, s.failure) : `${s.status} (${s.decision ? reasonWords(s.decision.reason) : ''})`);
}

const isolation = (): Record<string, boolean | undefined> =>
  Object.fromEntries(env.runtime.specs.map((s) => [s.labels['org.cairn.step'], s.networkIsolated]));

describe('EnableNetworkIsolation', () => {
  it('runs Processing (NetworkConfig) and Training (top level) containers without a network', async () => {
    expect(await run(definition({ EnableNetworkIsolation: true }, true))).toEqual(['succeeded (no earlier execution)', 'succeeded (no earlier execution)']);
    expect(isolation()).toEqual({ P: true, T: true });
  });

  it('false or absent leaves the network on', async () => {
    await run(definition({ EnableNetworkIsolation: false }, undefined));
    expect(isolation()).toEqual({ P: undefined, T: undefined });
  });

  it('is part of the fingerprint: turning it on re-runs a cached step', async () => {
    await run(definition(undefined, false));
    const planned = await planRun(env.services, definition({ EnableNetworkIsolation: true }, true).def, 'p', {}, { noCache: false, rerun: [] });
    expect(planned.map((p) => p.decision?.reason.kind === 'fingerprint-changed' ? p.decision.reason.paths : p.action)).toEqual([
      ['arguments.NetworkConfig'], ['arguments.EnableNetworkIsolation'],
    ]);
  });

  it('a value that is not a boolean is refused before the container starts', async () => {
    expect((await run(definition({ EnableNetworkIsolation: 'yes' }, undefined)))[0]).toBe(
      'Processing step "P": Arguments.NetworkConfig.EnableNetworkIsolation must be true or false, not string "yes"; set it to true or false.');
    expect(env.runtime.specs).toEqual([]);
    expect((await run(definition(undefined, 1)))[1]).toBe(
      'Training step "T": Arguments.EnableNetworkIsolation must be true or false, not number 1; set it to true or false.');
    expect(env.runtime.specs.map((s) => s.labels['org.cairn.step'])).toEqual(['P']);
  });
});
