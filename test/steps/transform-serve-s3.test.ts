import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '../../contracts/container-runtime.js';
import type { StepContext } from '../../contracts/executor.js';
import { readModelSpec } from '../../steps/model-spec.js';
import { startServing } from '../../steps/transform-serve.js';
import { FakeRuntime } from '../support/fake-runtime.js';

/** The serving container a Transform step starts, as its runtime sees it (the fake refuses to start services). */
async function servedSpec(enableNetworkIsolation: boolean | undefined): Promise<ServiceSpec> {
  const model = readModelSpec({ PrimaryContainer: { Image: 'serve:1' }, ...(enableNetworkIsolation !== undefined ? { EnableNetworkIsolation: enableNetworkIsolation } : {}) }, 'Score', 'Transform');
  if (!model.ok) throw new Error('bad model');
  const container = model.value.containers[0];
  if (container === undefined) throw new Error('no container');
  const runtime = new FakeRuntime();
  let seen: ServiceSpec | undefined;
  runtime.startService = (spec: ServiceSpec) => {
    seen = spec;
    return Promise.resolve({ ok: false as const, error: { reason: 'docker-error' as const, during: 'start' as const, engineText: 'captured' } });
  };
  const access = { endpointUrl: 'http://10.99.1.1:4566', region: 'us-east-1', credentials: { accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'ST' } };
  const ctx = {
    attemptDir: mkdtempSync(join(tmpdir(), 'cairn-serve-')), runtime, labels: {}, signal: new AbortController().signal,
    onContainer: () => undefined, onLine: () => undefined, stepName: 'Score', stepType: 'Transform',
    s3: { network: 'cairn-run1', access: () => ({ container: access, loopback: { ...access, endpointUrl: 'http://127.0.0.1:4566' } }) },
  } as unknown as StepContext;
  await startServing(ctx, { image: 'sha256:serve', model: container, env: { A: '1' }, readyTimeoutMs: 1000 });
  if (seen === undefined) throw new Error('no service started');
  return seen;
}

describe("a Transform step's serving container and the run's S3 endpoint", () => {
  it('joins the run network with the attempt credentials', async () => {
    const spec = await servedSpec(undefined);
    expect(spec.network).toBe('cairn-run1');
    expect(spec.env.AWS_ENDPOINT_URL_S3).toBe('http://10.99.1.1:4566');
    expect(spec.env.AWS_ACCESS_KEY_ID).toBe('AK');
  });

  it("gets neither when the model is created with EnableNetworkIsolation", async () => {
    const spec = await servedSpec(true);
    expect(spec.network).toBeUndefined();
    expect(Object.keys(spec.env).filter((k) => k.startsWith('AWS_'))).toEqual([]);
    expect(spec.env.A).toBe('1');
    expect(spec.ports).toEqual([8080]);
  });
});
