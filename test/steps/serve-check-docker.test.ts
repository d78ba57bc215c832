import { describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../containers/docker-runtime.js';
import type { StepContext } from '../../contracts/executor.js';
import { checkServes } from '../../steps/serve-check.js';

const runtime = new DockerRuntime();
const ctx = { runtime, labels: { 'org.cairn.test': 'serve-check' }, signal: new AbortController().signal } as unknown as StepContext;

describe('checkServes on real images', () => {
  it('passes the serving stand-in and refuses a plain python image for a Transform model', async () => {
    for (const [ref, serves] of [['cairn-local/python-serve:3.11', true], ['cairn-local/python:3.11-numpy', false]] as const) {
      const info = await runtime.inspectImage(ref);
      if (info === undefined) throw new Error(`${ref} is missing: bash containers/images/build-test-images.sh`);
      const r = await checkServes(ctx, { id: info.id, uri: ref }, "ModelName (the model's PrimaryContainer.Image)");
      expect([ref, r.ok]).toEqual([ref, serves]);
    }
  });
});
