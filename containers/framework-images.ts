import { err, ok, type Result } from '../kernel/result.js';
import { parseEcrImage } from './ecr-auth.js';
import { STANDIN_TF_VERSION, standInNamed, type StandIn } from './stand-ins.js';
import { TENSORFLOW_INFERENCE, TENSORFLOW_TRAINING, type Registries, type ScopeConfig } from './tensorflow-image-config.js';

export type ImageScope = 'training' | 'inference';

export interface FrameworkImageRequest {
  framework: 'tensorflow';
  /** As the SDK takes it: a full version ("2.16.2") or an alias ("2.16"); the tag keeps what was given. */
  version: string;
  /** "py310" …; may be left out when the version has a single one (inference tags have none). */
  pyVersion?: string;
  /** `ml.<family>.<size>`, `local` (cpu) or `local_gpu` (gpu). */
  instanceType: string;
  region: string;
  scope: ImageScope;
}

const SCOPES: Record<ImageScope, ScopeConfig> = { training: TENSORFLOW_TRAINING, inference: TENSORFLOW_INFERENCE };
const SDK = 'the SageMaker Python SDK 2.257.7';

/**
 * The ECR URI of a SageMaker framework image, as `sagemaker.image_uris.retrieve(framework, region, version,
 * py_version, instance_type, image_scope=scope)` names it: `<account>.dkr.ecr.<region>.<domain>/<repository>:<tag>`
 * with tag `<version as given>-<cpu|gpu>[-<py>]`. Every refusal names the valid choices.
 */
export function frameworkImageUri(req: FrameworkImageRequest): Result<string, string> {
  if (req.framework !== 'tensorflow') return err(`Framework "${String(req.framework)}" is not supported; cairn knows the image URIs of: tensorflow.`);
  const config = SCOPES[req.scope];
  if (config === undefined) return err(`Image scope "${String(req.scope)}" is not supported for TensorFlow; use training or inference.`);
  const what = `TensorFlow ${req.scope} images`;
  const full = config.aliases[req.version] ?? req.version;
  const versionConfig = config.versions[full];
  if (versionConfig === undefined) {
    const known = [...Object.keys(config.versions), ...Object.keys(config.aliases)].join(', ');
    return err(`${what} have no version "${req.version}" (as listed by ${SDK}); use one of: ${known}.`);
  }
  let py: string | undefined;
  if (versionConfig.py.length > 0) {
    py = req.pyVersion ?? (versionConfig.py.length === 1 ? versionConfig.py[0] : undefined);
    if (py === undefined) return err(`${what} of TensorFlow ${req.version} come in several Python versions; pass one of: ${versionConfig.py.join(', ')}.`);
    if (!versionConfig.py.includes(py)) {
      return err(`${what} of TensorFlow ${req.version} have no Python version "${py}"; use one of: ${versionConfig.py.join(', ')}.`);
    }
  }
  const perPy = py !== undefined ? versionConfig.perPy?.[py] : undefined;
  const registries = perPy?.registries ?? versionConfig.registries;
  const repository = perPy?.repository ?? versionConfig.repository;
  const account = accountFor(registries, req.region);
  if (account === undefined) {
    const regions = Object.values(registries).flatMap((r) => r.split(' ')).sort().join(', ');
    return err(`${what} of TensorFlow ${req.version} are not published in region "${req.region}"; use one of: ${regions}.`);
  }
  const processor = processorFor(req.instanceType);
  if (!processor.ok) return processor;
  if (!config.processors.includes(processor.value)) {
    return err(`${what} have no "${processor.value}" variant (instance type ${req.instanceType}); supported processors: ${config.processors.join(', ')}.`);
  }
  if (instanceFamily(req.instanceType) === 'p2' && compareVersions(req.version, '2.12') >= 0) {
    return err(`P2 instances (${req.instanceType}) are deprecated for TensorFlow 2.12 and later; pick a newer GPU instance type such as ml.p3.2xlarge or ml.g5.xlarge.`);
  }
  const tag = [req.version, processor.value, py].filter((x) => x !== undefined).join('-');
  return ok(`${account}.dkr.${ecrHostname(req.region)}/${repository}:${tag}`);
}

/** `ecr.<region>.<domain>` as botocore's endpoint resolver gives it for the region's partition. */
export function ecrHostname(region: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn'
    : region.startsWith('us-isob-') ? 'sc2s.sgov.gov'
    : region.startsWith('us-isof-') ? 'csp.hci.ic.gov'
    : region.startsWith('us-iso-') ? 'c2s.ic.gov'
    : region.startsWith('eu-isoe-') ? 'cloud.adc-e.uk'
    : 'amazonaws.com';
  return `ecr.${region}.${domain}`;
}

function accountFor(registries: Registries, region: string): string | undefined {
  return Object.entries(registries).find(([, regions]) => regions.split(' ').includes(region))?.[0];
}

/** The SDK's `get_instance_type_family`: "p3" for "ml.p3.2xlarge" (or "ml_p3"), "" for anything else. */
export function instanceFamily(instanceType: string): string {
  return /^ml[._]([a-z\d-]+)\.?\w*$/.exec(instanceType)?.[1] ?? '';
}

/** The SDK's `_processor`: local → cpu, local_gpu → gpu, ml.p* / ml.g* → gpu, ml.inf* → inf, ml.trn* → trn, else cpu. */
export function processorFor(instanceType: string): Result<string, string> {
  if (instanceType.startsWith('local')) return ok(instanceType === 'local' ? 'cpu' : 'gpu');
  const family = instanceFamily(instanceType);
  if (family === '') {
    return err(`"${instanceType}" is not a SageMaker instance type; write ml.<family>.<size> (e.g. ml.m5.xlarge), local or local_gpu.`);
  }
  if (family.startsWith('inf')) return ok('inf');
  if (family.startsWith('trn')) return ok('trn');
  return ok(family.startsWith('g') || family.startsWith('p') ? 'gpu' : 'cpu');
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export interface StandInMatch {
  standIn: StandIn;
  /** The cairn.json `images` key that maps this URI (and its kin) to the stand-in. */
  mapKey: string;
  /** Said after the build hint when the stand-in differs from what the URI names (version, GPU). */
  note?: string;
}

const TF_TAG = /^(\d+\.\d+(?:\.\d+)?)-(cpu|gpu)-(py\d+)(?:-.*)?$/;
const DOCKER_HUB_TF = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?tensorflow\/tensorflow(?::([^@/]+))?$/;

/**
 * The local stand-in that can serve an official TensorFlow image: any SageMaker `tensorflow-training` URI (every
 * region, account and version; GPU ones run on the CPU) → the tensorflow-training stand-in; Docker Hub's
 * `tensorflow/tensorflow[:tag]` → the plain one. Undefined for anything else (inference images included).
 */
export function standInFor(uri: string): StandInMatch | undefined {
  const ecr = parseEcrImage(uri);
  if (ecr !== undefined) {
    const rest = uri.slice(ecr.host.length + 1);
    const [repository, tag] = rest.split(':', 2);
    const m = tag === undefined ? null : TF_TAG.exec(tag);
    if (repository !== 'tensorflow-training' || !m) return undefined;
    const standIn = standInNamed('tensorflow-training')!;
    const processor = m[2]!;
    const note = tfNote(m[1]!, processor === 'gpu');
    return {
      standIn,
      mapKey: `${ecr.account}.dkr.ecr.*.${ecr.domain}/tensorflow-training:*-${processor}-*`,
      ...(note !== undefined ? { note } : {}),
    };
  }
  const hub = DOCKER_HUB_TF.exec(uri);
  if (!hub) return undefined;
  const standIn = standInNamed('tensorflow')!;
  const tag = hub[1] ?? 'latest';
  const version = /^(\d+\.\d+(?:\.\d+)?)/.exec(tag)?.[1];
  const note = version === undefined ? undefined : tfNote(version, tag.includes('gpu'));
  return { standIn, mapKey: uri, ...(note !== undefined ? { note } : {}) };
}

function tfNote(version: string, gpu: boolean): string | undefined {
  const sameVersion = STANDIN_TF_VERSION === version || STANDIN_TF_VERSION.startsWith(`${version}.`);
  if (sameVersion && !gpu) return undefined;
  return `the stand-in has TensorFlow ${STANDIN_TF_VERSION}${gpu ? ' and runs on the CPU' : ''}`;
}
