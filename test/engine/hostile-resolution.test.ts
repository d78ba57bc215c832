import { mkdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildServices } from '../../cli/services.js';
import { plannedWhy } from '../../cli/plan-words.js';
import { failureSentence } from '../../cli/render-failure.js';
import { parseCairnConfig, type CairnConfig } from '../../contracts/cairn-config.js';
import { resolveHome } from '../../contracts/home.js';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import { planRun } from '../../engine/run/plan.js';
import type { Services } from '../../engine/run/run-context.js';
import { startRun } from '../../engine/run/run-pipeline.js';
import type { JsonValue } from '../../kernel/json.js';
import { SUPPORTED_STEP_TYPES } from '../../steps/executor-registry.js';
import { makeTemp } from '../cache/temp-home.js';
import { FakeRuntime } from '../support/fake-runtime.js';

// Image references and output URIs given by expressions are known only once the Arguments are resolved: then they
// are checked before any call to the engine and before any container starts.

const IMAGE = 'cairn-test/job:1';
let tmp: ReturnType<typeof makeTemp>;
let runtime: FakeRuntime;
let services: Services;

function open(config?: CairnConfig): void {
  services = buildServices({ home: resolveHome({ CAIRN_HOME: tmp.dir }), runtime, ...(config ? { config } : {}) });
}

beforeEach(() => {
  tmp = makeTemp('cairn-hostile-');
  runtime = new FakeRuntime();
  runtime.addImage(IMAGE);
  runtime.onImage(IMAGE, (io) => { mkdirSync(io.hostPath('/opt/ml/processing/o'), { recursive: true }); return 0; });
  open();
});
afterEach(() => { services.store.close(); tmp.cleanup(); });

function definition(image: JsonValue, outputUri: JsonValue) {
  const text = JSON.stringify({
    Version: '2020-12-01',
    Parameters: [{ Name: 'Image', Type: 'String', DefaultValue: IMAGE }, { Name: 'Out', Type: 'String', DefaultValue: 's3://b/o' }],
    Steps: [{
      Name: 'P', Type: 'Processing',
      Arguments: {
        AppSpecification: { ImageUri: image },
        ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 } },
        ProcessingOutputConfig: { Outputs: [{ OutputName: 'o', S3Output: { S3Uri: outputUri, LocalPath: '/opt/ml/processing/o' } }] },
      },
    }],
  });
  const r = loadDefinitionText(text, 'p.json', { supportedStepTypes: SUPPORTED_STEP_TYPES });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { def: r.value, text };
}

async function plan(d: ReturnType<typeof definition>, parameters: Record<string, string>): Promise<string[]> {
  return (await planRun(services, d.def, 'p', parameters, { noCache: false, rerun: [] })).map((p) => `${p.action}: ${plannedWhy(p)}`);
}

async function run(d: ReturnType<typeof definition>, parameters: Record<string, string>): Promise<string[]> {
  const r = await startRun(services, { definition: d.def, definitionText: d.text, pipeline: 'p', parameters, options: { noCache: false, rerun: [] } },
    { signal: new AbortController().signal, emit: () => undefined, maxParallel: 1 });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return services.store.getSteps(r.value.runId).map((s) => `${s.status}: ${s.failure ? failureSentence({ name: s.name, type: s.type }, s.failure) : ''}`);
}

describe('an image reference given by a parameter', () => {
  it('is checked before the engine is asked about it, at plan and at run', async () => {
    const inspect = vi.spyOn(runtime, 'inspectImage');
    const d = definition({ Get: 'Parameters.Image' }, 's3://b/o');
    const why = 'image "python:3.11-slimé" is not a valid Docker image reference: the tag "3.11-slimé" is not 1 to 128 letters, digits, "_", "." or "-" starting with a letter, digit or "_"; it holds "é" (U+00E9)';
    expect(await plan(d, { Image: 'python:3.11-slimé', Out: 's3://b/o' })).toEqual([`blocked: ${why}`]);
    expect(await run(d, { Image: 'python:3.11-slimé', Out: 's3://b/o' })).toEqual([
      `failed: Processing step "P" (Arguments.AppSpecification.ImageUri): ${why}.`,
    ]);
    expect(inspect.mock.calls.map(([ref]) => ref)).not.toContain('python:3.11-slimé');
    expect(runtime.specs).toEqual([]);
  });

  it('mapped by cairn.json to a malformed local image: the mapping is refused too', async () => {
    expect(parseCairnConfig(JSON.stringify({ images: { 'acct.dkr.ecr/x:1': 'Local Image' } }), 'cairn.json')).toEqual({
      ok: false,
      error: 'cairn.json: images["acct.dkr.ecr/x:1"] is "Local Image", which is not a valid Docker image reference: the path component "Local Image" is not lowercase letters and digits joined by ".", "_", "__" or "-" (the repository name must be lowercase); it holds the character U+0020.',
    });
    services.store.close();
    open({ file: 'cairn.json', images: { 'acct.dkr.ecr/x:1': 'local:bad tag' }, lambdas: {} });
    expect(await plan(definition('acct.dkr.ecr/x:1', 's3://b/o'), { Image: IMAGE, Out: 's3://b/o' })).toEqual([
      'blocked: image "acct.dkr.ecr/x:1" is mapped to "local:bad tag" in cairn.json, and that is not a valid Docker image reference: the tag "bad tag" is not 1 to 128 letters, digits, "_", "." or "-" starting with a letter, digit or "_"; it holds the character U+0020',
    ]);
  });
});

describe('an output URI given by an expression', () => {
  it('with a ".." segment is refused when the Arguments are resolved, before the container starts', async () => {
    const d = definition(IMAGE, { 'Std:Join': { On: '/', Values: [{ Get: 'Parameters.Out' }, 'x'] } });
    const why = 'Processing step "P": Arguments.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri is "s3://b/../x", which has a "." or ".." path segment, which would name another place in the s3/ view; write the URI without it.';
    expect(await plan(d, { Image: IMAGE, Out: 's3://b/..' })).toEqual([`blocked: ${why}`]);
    expect(await run(d, { Image: IMAGE, Out: 's3://b/..' })).toEqual([`failed: ${why}`]);
    expect(runtime.specs).toEqual([]);
    expect(await run(d, { Image: IMAGE, Out: 's3://b/ok' })).toEqual(['succeeded: ']);
    expect(runtime.specs).toHaveLength(1);
  });
});
