import { isJsonObject, type JsonObject, type JsonValue } from '../kernel/json.js';
import { ok, type Result } from '../kernel/result.js';
import { ArgumentReader } from './arguments.js';
import type { StepFailure } from '../contracts/step-failure.js';

/** One container of a CreateModel request, as a Transform step runs it. */
export interface ModelContainer {
  /** Field path of the container in the request (`PrimaryContainer` or `Containers[i]`), for messages. */
  field: string;
  image: string;
  /** The model artifacts (usually a model.tar.gz), extracted to /opt/ml/model; absent for a model without data. */
  modelDataUrl?: string;
  /** Where modelDataUrl is in the request (`PrimaryContainer.ModelDataUrl`, or under ModelDataSource). */
  modelDataField?: string;
  environment: Record<string, string>;
  /** The model's EnableNetworkIsolation: its serving container gets neither the run network nor the S3 endpoint. */
  networkIsolated?: boolean;
}

/** A validated CreateModel request (Model step Arguments, or the properties a Model step recorded). */
export interface ModelSpec {
  args: JsonObject;
  containers: ModelContainer[];
}

const FIX_CONTAINER = 'give the model a PrimaryContainer (or Containers) with an Image and usually a ModelDataUrl';

/** Validates resolved CreateModel Arguments; the first problem is an `invalid-arguments` failure. */
export function readModelSpec(args: JsonValue, stepName: string, stepType = 'Model'): Result<ModelSpec, StepFailure> {
  const a = new ArgumentReader(stepName, stepType);
  const root = a.object(args, '', 'write the CreateModel request body as the step\'s Arguments');
  if (!root.ok) return root;
  const raw: { value: JsonValue | undefined; field: string }[] = [];
  if (root.value.PrimaryContainer !== undefined && root.value.PrimaryContainer !== null) {
    raw.push({ value: root.value.PrimaryContainer, field: 'PrimaryContainer' });
  } else {
    const list = a.array(root.value.Containers, 'Containers', FIX_CONTAINER);
    if (!list.ok) return list;
    list.value.forEach((value, i) => raw.push({ value, field: `Containers[${i}]` }));
  }
  if (raw.length === 0) return a.fail('PrimaryContainer', 'is missing', FIX_CONTAINER);
  const isolated = a.flag(root.value.EnableNetworkIsolation, 'EnableNetworkIsolation', 'set it to true or false');
  if (!isolated.ok) return isolated;
  const containers: ModelContainer[] = [];
  for (const { value, field } of raw) {
    const c = a.object(value, field, FIX_CONTAINER);
    if (!c.ok) return c;
    if (c.value.ModelPackageName !== undefined && c.value.Image === undefined) {
      return a.fail(`${field}.ModelPackageName`, 'is not supported locally (the model package lives in SageMaker\'s registry)', 'name the Image and ModelDataUrl of the package instead');
    }
    const image = a.string(c.value.Image, `${field}.Image`, 'set it to the inference image the model runs in');
    if (!image.ok) return image;
    const env = a.stringMap(c.value.Environment, `${field}.Environment`, 'give the environment as an object of strings');
    if (!env.ok) return env;
    const data = modelData(a, c.value, field);
    if (!data.ok) return data;
    containers.push({ field, image: image.value, environment: env.value, ...(data.value ?? {}), ...(isolated.value ? { networkIsolated: true } : {}) });
  }
  return ok({ args: root.value, containers });
}

/** ModelDataUrl, or ModelDataSource.S3DataSource.S3Uri (the newer form for uncompressed model data). */
function modelData(a: ArgumentReader, c: JsonObject, field: string): Result<{ modelDataUrl: string; modelDataField: string } | undefined, StepFailure> {
  const urlField = `${field}.ModelDataUrl`;
  const url = a.optionalString(c.ModelDataUrl, urlField, 'set it to the s3:// URI of the model.tar.gz');
  if (!url.ok) return url;
  if (url.value !== undefined) return ok({ modelDataUrl: url.value, modelDataField: urlField });
  const source = isJsonObject(c.ModelDataSource) ? c.ModelDataSource.S3DataSource : undefined;
  if (source === undefined) return ok(undefined);
  const s3 = a.object(source, `${field}.ModelDataSource.S3DataSource`, 'give it an S3Uri');
  if (!s3.ok) return s3;
  const uriField = `${field}.ModelDataSource.S3DataSource.S3Uri`;
  const uri = a.string(s3.value.S3Uri, uriField, 'set it to the s3:// URI of the model data');
  return uri.ok ? ok({ modelDataUrl: uri.value, modelDataField: uriField }) : uri;
}

/**
 * The properties of the Model step that created the model named `modelName`, among `candidates` (the properties of
 * the steps upstream of a Transform step). A Model step's properties carry `ModelName` and `ModelArn`; a Transform
 * step's carry `ModelName` only, so they never match.
 */
export function findModelProperties(candidates: Iterable<JsonObject | undefined>, modelName: string): JsonObject | undefined {
  for (const p of candidates) {
    if (p !== undefined && p.ModelName === modelName && typeof p.ModelArn === 'string') return p;
  }
  return undefined;
}
