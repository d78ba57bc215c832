import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { DockerImageResolver } from '../../containers/docker-image-resolver.js';
import { ImageMap } from '../../containers/image-map.js';
import { LABEL_HOME, homeLabel } from '../../containers/labels.js';
import { executionVariables } from '../../engine/definition/execution-vars.js';
import { resolveValue } from '../../engine/definition/expressions.js';
import type { JsonObject, JsonValue } from '../../kernel/json.js';
import { ModelExecutor } from '../../steps/model.js';
import { TransformExecutor } from '../../steps/transform.js';
import { modelTarGz, SERVE_IMAGE } from './model-fixtures.js';
import type { testHome } from './step-context.js';

export interface StepJson { Name: string; Type: string; Arguments: JsonValue }

export const TF_INFERENCE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-inference:2.11.0-cpu';

/** Puts a file into the test home's object store at an s3:// URI. */
export function putS3(home: string, uri: string, body: Buffer | string): void {
  const p = join(home, 's3', uri.slice('s3://'.length));
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, body);
}

/**
 * Runs a Model step and then the Transform step that reads its ModelName, as the scheduler would: arguments resolved
 * against what `upstream` steps recorded, tensorflow-inference mapped to the local serve image, and behind
 * `modelUri` a linear model with the given weights (the last one is the bias). Throws on any failure.
 */
export async function runModelThenTransform(
  t: ReturnType<typeof testHome>,
  steps: { model: StepJson; transform: StepJson },
  opts: { runId: string; upstream: Record<string, JsonValue>; modelUri: string; weights: number[] },
) {
  const resolved = (step: StepJson, properties: Record<string, JsonValue>): JsonValue => {
    const r = resolveValue(step.Arguments, {
      parameters: {}, execution: executionVariables('calhousing', opts.runId, Date.now()), stepProperties: (n) => properties[n],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value;
  };
  putS3(t.home, opts.modelUri, await modelTarGz(opts.weights));
  const images = new DockerImageResolver(t.runtime, new ImageMap({ [TF_INFERENCE]: SERVE_IMAGE }));

  const mctx = t.ctx(steps.model.Name, 'Model', { runId: opts.runId, images });
  const models = new ModelExecutor();
  const modelPrep = await models.prepare(resolved(steps.model, opts.upstream), mctx, { pull: false });
  if (!modelPrep.ok) throw new Error(JSON.stringify(modelPrep.error));
  const model = await models.execute(modelPrep.value, mctx);
  if (!model.ok) throw new Error(JSON.stringify(model.error));

  const tctx = t.ctx(steps.transform.Name, 'Transform', {
    runId: opts.runId, images, upstreamProperties: [model.value.properties as JsonObject],
  });
  const transforms = new TransformExecutor();
  const targs = resolved(steps.transform, { ...opts.upstream, [steps.model.Name]: model.value.properties });
  const transformPrep = await transforms.prepare(targs, tctx, { pull: false });
  if (!transformPrep.ok) throw new Error(JSON.stringify(transformPrep.error));
  const transform = await transforms.execute(transformPrep.value, tctx);
  if (!transform.ok) throw new Error(JSON.stringify(transform.error));
  return { modelPrep: modelPrep.value, model: model.value, transformPrep: transformPrep.value, transform: transform.value };
}

/**
 * What holds for every such chain: the model's fingerprint names tensorflow-inference (by image id) and the
 * container environment as written, the Transform's fingerprint reads the model's inputs, and no container is left.
 */
export async function expectChain(
  t: ReturnType<typeof testHome>, r: Awaited<ReturnType<typeof runModelThenTransform>>, environment: Record<string, string>,
): Promise<void> {
  expect(r.modelPrep.fingerprint.image).toEqual({ uri: TF_INFERENCE, id: expect.stringMatching(/^sha256:/) });
  expect(r.modelPrep.fingerprint.environment).toEqual(environment);
  expect(r.transformPrep.fingerprint.inputs).toEqual({ data: expect.stringMatching(/^sha256:/), model: r.modelPrep.fingerprint.inputs.model });
  expect(await t.runtime.listContainers({ [LABEL_HOME]: homeLabel(t.home) })).toEqual([]);
}
