import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { HeadBucketCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand, CreateModelPackageGroupCommand, DescribeModelPackageGroupCommand,
  type CreateModelPackageCommandInput, type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { Upload } from '@aws-sdk/lib-storage';
import { LocalArtifactStore } from '../cache/artifact-store.js';
import type { ArtifactStore } from '../contracts/artifacts.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { ModelPackage } from '../registry/types.js';
import { awsErrorText, cloudClients } from './clients.js';

export interface PushClients {
  s3: S3Client;
  sagemaker: SageMakerClient;
}

export interface PushOptions {
  bucket: string;
  /** Key prefix of the uploaded objects (default `cairn`). */
  prefix?: string;
}

/** What a push did: the SageMaker package, and each object with whether it was uploaded now or already there. */
export interface PushOutcome {
  group: string;
  localVersion: number;
  arn: string;
  status: string;
  groupCreated: boolean;
  statistics?: { uri: string; uploaded: boolean };
  modelData?: { from: string; uri: string; uploaded: boolean };
}

const hex = (hash: string): string => hash.replace(/^sha256:/, '').replace(/[^A-Za-z0-9]/g, '');

/**
 * Pushes one version of the local registry to SageMaker's: the model package group is created if DescribeModelPackageGroup
 * does not find it; the statistics file (as registered) and the model data (when it lives in the local store; checked
 * against the hash recorded at registration) go to the bucket under content-addressed keys, not uploaded again when
 * there; CreateModelPackage gets the same approval status, description, customer metadata and inference specification
 * (model data URL rewritten to the uploaded object), and ModelMetrics pointing at the uploaded statistics.
 */
export async function pushModelPackage(
  c: PushClients, p: ModelPackage, artifacts: Pick<ArtifactStore, 'hostPath' | 'hashInput'>, opts: PushOptions,
): Promise<Result<PushOutcome, string>> {
  const what = `${p.group} version ${p.version}`;
  const prefix = (opts.prefix ?? 'cairn').replace(/\/+$/, '');
  try {
    await c.s3.send(new HeadBucketCommand({ Bucket: opts.bucket }));
  } catch (e) {
    return err(`Cannot push ${what}: the bucket "${opts.bucket}" does not exist or cannot be reached (${awsErrorText(e)}).`);
  }
  const out: Omit<PushOutcome, 'arn' | 'groupCreated'> = { group: p.group, localVersion: p.version, status: p.status };

  if (p.statistics !== undefined) {
    const key = `${prefix}/model-metrics/${hex(p.statistics.sha256)}/statistics.json`;
    const put = await putOnce(c.s3, opts.bucket, key, () => c.s3.send(new PutObjectCommand({ Bucket: opts.bucket, Key: key, Body: p.statistics?.content ?? '', ContentType: 'application/json' })));
    if (!put.ok) return err(`Cannot push ${what}: uploading its statistics file failed (${put.error}).`);
    out.statistics = { uri: `s3://${opts.bucket}/${key}`, uploaded: put.value };
  }

  if (p.modelData !== undefined) {
    const local = artifacts.hostPath(p.modelData.url);
    if (local.ok) {
      const info = await stat(local.value).catch(() => undefined);
      if (info === undefined) return err(`Cannot push ${what}: its model data ${p.modelData.url} (${local.value}) is missing.`);
      if (!info.isFile()) return err(`Cannot push ${what}: its model data ${p.modelData.url} is a directory; SageMaker's ModelDataUrl must name one file (e.g. model.tar.gz).`);
      const now = await artifacts.hashInput(p.modelData.url, []);
      if (!now.ok || now.value.hash !== p.modelData.hash) {
        return err(`Cannot push ${what}: its model data ${p.modelData.url} was altered since it was registered (recorded ${p.modelData.hash}, now ${now.ok ? now.value.hash : 'unreadable'}).`);
      }
      const key = `${prefix}/model-data/${hex(p.modelData.hash)}/${basename(local.value)}`;
      const path = local.value;
      const put = await putOnce(c.s3, opts.bucket, key, () => new Upload({ client: c.s3, params: { Bucket: opts.bucket, Key: key, Body: createReadStream(path) } }).done());
      if (!put.ok) return err(`Cannot push ${what}: uploading its model data failed (${put.error}).`);
      out.modelData = { from: p.modelData.url, uri: `s3://${opts.bucket}/${key}`, uploaded: put.value };
    }
  }

  const group = await ensureGroup(c.sagemaker, p.group);
  if (!group.ok) return err(`Cannot push ${what}: ${group.error}`);
  const input: CreateModelPackageCommandInput = {
    ModelPackageGroupName: p.group,
    ModelApprovalStatus: p.status,
    InferenceSpecification: rewriteModelData(p.inferenceSpecification, out.modelData) as unknown as CreateModelPackageCommandInput['InferenceSpecification'],
    ModelMetrics: rewriteStatistics(p.modelMetrics, out.statistics?.uri) as unknown as CreateModelPackageCommandInput['ModelMetrics'],
  };
  if (p.description !== undefined) input.ModelPackageDescription = p.description;
  if (Object.keys(p.customerMetadata).length > 0) input.CustomerMetadataProperties = p.customerMetadata;
  try {
    const r = await c.sagemaker.send(new CreateModelPackageCommand(input));
    return ok({ ...out, arn: r.ModelPackageArn ?? '', groupCreated: group.value });
  } catch (e) {
    return err(`Cannot push ${what}: CreateModelPackage was refused (${awsErrorText(e)}).`);
  }
}

/** Runs `upload` unless the key exists already; true when it uploaded. */
async function putOnce(s3: S3Client, bucket: string, key: string, upload: () => Promise<unknown>): Promise<Result<boolean, string>> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return ok(false);
  } catch (e) {
    if (!notFound(e)) return err(awsErrorText(e));
  }
  try {
    await upload();
    return ok(true);
  } catch (e) {
    return err(awsErrorText(e));
  }
}

function notFound(e: unknown): boolean {
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 404 || (e instanceof Error && /NotFound|NoSuchKey/.test(e.name));
}

/** True when it had to create the group. */
async function ensureGroup(sm: SageMakerClient, group: string): Promise<Result<boolean, string>> {
  try {
    await sm.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: group }));
    return ok(false);
  } catch (e) {
    const missing = e instanceof Error && (/ResourceNotFound/.test(e.name) || (/ValidationException/.test(e.name) && /does not exist|not found/i.test(e.message)));
    if (!missing) return err(`DescribeModelPackageGroup failed (${awsErrorText(e)}).`);
  }
  try {
    await sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: group, ModelPackageGroupDescription: `Pushed by cairn from its local model registry.` }));
    return ok(true);
  } catch (e) {
    return err(`CreateModelPackageGroup failed (${awsErrorText(e)}).`);
  }
}

function rewriteModelData(spec: JsonObject, modelData: PushOutcome['modelData']): JsonObject {
  const copy = JSON.parse(JSON.stringify(spec)) as JsonObject;
  if (modelData === undefined || !Array.isArray(copy.Containers)) return copy;
  copy.Containers = copy.Containers.map((ct: JsonValue) => (isJsonObject(ct) && ct.ModelDataUrl === modelData.from ? { ...ct, ModelDataUrl: modelData.uri } : ct));
  return copy;
}

function rewriteStatistics(metrics: JsonObject, uri: string | undefined): JsonObject {
  const copy = JSON.parse(JSON.stringify(metrics)) as JsonObject;
  if (uri === undefined) return copy;
  const quality = isJsonObject(copy.ModelQuality) ? copy.ModelQuality : {};
  const stats = isJsonObject(quality.Statistics) ? quality.Statistics : {};
  copy.ModelQuality = { ...quality, Statistics: { ContentType: typeof stats.ContentType === 'string' ? stats.ContentType : 'application/json', ...stats, S3Uri: uri } };
  return copy;
}

/** `cairn models push`: reads the version from the local registry and pushes it with clients from the standard chain. */
export async function pushVersion(
  reg: { get(group: string, version: number): Result<ModelPackage, string> }, group: string, version: number,
  opts: { bucket?: string; region?: string; home: string },
): Promise<Result<PushOutcome, string>> {
  if (opts.bucket === undefined || opts.bucket === '') return err('cairn models push needs --bucket <bucket> (where the statistics file and the model data are uploaded).');
  const p = reg.get(group, version);
  if (!p.ok) return p;
  const made = cloudClients(opts.region === undefined ? {} : { region: opts.region });
  if (!made.ok) return made;
  try {
    const artifacts = new LocalArtifactStore(opts.home, { get: () => undefined, put: () => undefined });
    return await pushModelPackage(made.value, p.value, artifacts, { bucket: opts.bucket });
  } finally {
    made.value.destroy();
  }
}

export function pushText(o: PushOutcome): string[] {
  const obj = (label: string, x: { uri: string; uploaded: boolean } | undefined): string[] =>
    x === undefined ? [] : [`  ${label.padEnd(11)}${x.uri} (${x.uploaded ? 'uploaded' : 'already there'})`];
  return [
    `${o.group} version ${o.localVersion} → ${o.arn} (${o.status})${o.groupCreated ? `; created model package group ${o.group}` : ''}`,
    ...obj('statistics', o.statistics), ...obj('model data', o.modelData),
  ];
}
