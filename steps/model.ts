import type { FingerprintParts } from '../contracts/fingerprint.js';
import type { JsonObject, JsonValue } from '../kernel/json.js';
import { ok, type Result } from '../kernel/result.js';
import type { PreparedStep, StepContext, StepExecutor, StepSuccess } from '../contracts/executor.js';
import type { StepFailure } from '../contracts/step-failure.js';
import { LOCAL_ARN_PREFIX, stepJobName } from './job-name.js';
import { cloneJson, setAt } from './json-edit.js';
import { readModelSpec, type ModelSpec } from './model-spec.js';
import { resolveStepImage, runnableImage, type StepImage } from './step-image.js';
import { hashStepInputs, type StepInput } from './step-inputs.js';

interface ModelPlan {
  kind: 'model';
  spec: ModelSpec;
  images: StepImage[];
}

/** The ARN cairn gives a model it recorded (cairn's stand-in account and region). */
export function modelArn(modelName: string): string {
  return `${LOCAL_ARN_PREFIX}:model/${modelName.toLowerCase()}`;
}

/**
 * A Model step (CreateModel): records the model locally, starting no container. Its properties (the request plus
 * `ModelName`, `ModelArn`, `CreationTime`) are what a downstream Transform step finds the model's container by.
 * The fingerprint holds every container's image id, the content hash of its model data and its environment.
 */
export class ModelExecutor implements StepExecutor<ModelPlan> {
  readonly type: string;

  /** `CreateModel` is the older name of the same step type. */
  constructor(type: 'Model' | 'CreateModel' = 'Model') {
    this.type = type;
  }

  async prepare(args: JsonValue, ctx: StepContext, opts: { pull: boolean }): Promise<Result<PreparedStep<ModelPlan>, StepFailure>> {
    const spec = readModelSpec(args, ctx.stepName, ctx.stepType);
    if (!spec.ok) return spec;
    const images: StepImage[] = [];
    for (const c of spec.value.containers) {
      const image = await resolveStepImage(ctx, c.image, `${c.field}.Image`, opts.pull);
      if (!image.ok) return image;
      images.push(image.value);
    }
    const data = modelDataInputs(spec.value);
    const hashes = await hashStepInputs(ctx, data);
    if (!hashes.ok) return hashes;

    const fpArgs = cloneJson<JsonValue>(spec.value.args);
    for (const input of data) setAt(fpArgs, [...fieldPath(input.field)], `input:${input.name}`);
    const [first, ...rest] = images as [StepImage, ...StepImage[]];
    const fingerprint: FingerprintParts = {
      image: { uri: first.uri, id: first.id },
      arguments: fpArgs,
      inputs: { ...hashes.value, ...Object.fromEntries(rest.map((im, i) => [`image:${i + 1}`, im.id])) },
      environment: spec.value.containers[0]?.environment ?? {},
    };
    const plan: ModelPlan = { kind: 'model', spec: spec.value, images };
    return ok({ fingerprint, job: plan });
  }

  async execute(prepared: PreparedStep<ModelPlan>, ctx: StepContext): Promise<Result<StepSuccess, StepFailure>> {
    const { spec, images } = prepared.job;
    // The image must be here when a Transform step serves the model: pull it now if the plan left it pending.
    for (const [i, image] of images.entries()) {
      const id = await runnableImage(ctx, image, `${spec.containers[i]?.field ?? 'PrimaryContainer'}.Image`);
      if (!id.ok) return id;
    }
    const modelName = stepJobName(ctx.executionId, ctx.stepName);
    const properties: JsonObject = {
      ...spec.args,
      ModelName: modelName,
      ModelArn: modelArn(modelName),
      CreationTime: new Date().toISOString(),
    };
    ctx.log.info({ modelName, images: images.map((im) => im.local) }, 'model recorded');
    return ok({ properties, outputs: [] });
  }
}

/** The model data URIs of a model's containers, as inputs to hash (`model` for the first, `model:<i>` for others). */
export function modelDataInputs(spec: ModelSpec): StepInput[] {
  const out: StepInput[] = [];
  spec.containers.forEach((c, i) => {
    if (c.modelDataUrl === undefined) return;
    out.push({ name: i === 0 ? 'model' : `model:${i}`, uri: c.modelDataUrl, containerPath: '', field: c.modelDataField ?? `${c.field}.ModelDataUrl` });
  });
  return out;
}

/** `PrimaryContainer.ModelDataUrl` / `Containers[2].ModelDataUrl` → path segments for setAt. */
export function fieldPath(field: string): (string | number)[] {
  return field.split('.').flatMap((part) => {
    const m = /^(.+)\[(\d+)\]$/.exec(part);
    return m ? [m[1] as string, Number(m[2])] : [part];
  });
}
