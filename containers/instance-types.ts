/**
 * SageMaker `ml.*` instance sizes (AWS's published vCPU, memory and GPU counts) and the container limits cairn
 * derives from them. `local` and `local_gpu` are SageMaker local mode's names: no limits (local_gpu asks for every
 * GPU). Anything else that does not start with `ml.` is left alone (no limits), as before instance types mattered.
 */
export interface InstanceSize {
  vcpus: number;
  memoryGiB: number;
  gpus: number;
}

const GiB = 1024 ** 3;

/** `large` = 2 vCPUs, `xlarge` = 4, `<n>xlarge` = 4n; memory is `gibPerVcpu` per vCPU (the m/c/r families). */
function family(prefix: string, gibPerVcpu: number, sizes: string[]): [string, InstanceSize][] {
  return sizes.map((s) => {
    const vcpus = s === 'large' ? 2 : s === 'xlarge' ? 4 : 4 * Number(s.replace('xlarge', ''));
    return [`ml.${prefix}.${s}`, { vcpus, memoryGiB: vcpus * gibPerVcpu, gpus: 0 }];
  });
}

const t = (vcpus: number, memoryGiB: number, gpus = 0): InstanceSize => ({ vcpus, memoryGiB, gpus });
const M5_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'];
const C5_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '18xlarge', '24xlarge'];
const I6_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge'];

export const INSTANCE_TYPES: ReadonlyMap<string, InstanceSize> = new Map<string, InstanceSize>([
  ['ml.t2.medium', t(2, 4)], ['ml.t2.large', t(2, 8)], ['ml.t2.xlarge', t(4, 16)], ['ml.t2.2xlarge', t(8, 32)],
  ['ml.t3.medium', t(2, 4)], ['ml.t3.large', t(2, 8)], ['ml.t3.xlarge', t(4, 16)], ['ml.t3.2xlarge', t(8, 32)],
  ['ml.m4.xlarge', t(4, 16)], ['ml.m4.2xlarge', t(8, 32)], ['ml.m4.4xlarge', t(16, 64)], ['ml.m4.10xlarge', t(40, 160)],
  ['ml.m4.16xlarge', t(64, 256)],
  ...family('m5', 4, M5_SIZES), ...family('m5d', 4, M5_SIZES),
  ...family('m6i', 4, I6_SIZES), ...family('m7i', 4, [...I6_SIZES.slice(0, 6), '16xlarge', '24xlarge', '48xlarge']),
  ['ml.c4.xlarge', t(4, 7.5)], ['ml.c4.2xlarge', t(8, 15)], ['ml.c4.4xlarge', t(16, 30)], ['ml.c4.8xlarge', t(36, 60)],
  ...family('c5', 2, C5_SIZES), ...family('c5d', 2, C5_SIZES), ...family('c6i', 2, I6_SIZES),
  ['ml.c5n.xlarge', t(4, 10.5)], ['ml.c5n.2xlarge', t(8, 21)], ['ml.c5n.4xlarge', t(16, 42)], ['ml.c5n.9xlarge', t(36, 96)],
  ['ml.c5n.18xlarge', t(72, 192)],
  ...family('r5', 8, M5_SIZES), ...family('r5d', 8, M5_SIZES), ...family('r6i', 8, I6_SIZES),
  ['ml.g4dn.xlarge', t(4, 16, 1)], ['ml.g4dn.2xlarge', t(8, 32, 1)], ['ml.g4dn.4xlarge', t(16, 64, 1)],
  ['ml.g4dn.8xlarge', t(32, 128, 1)], ['ml.g4dn.12xlarge', t(48, 192, 4)], ['ml.g4dn.16xlarge', t(64, 256, 1)],
  ['ml.g5.xlarge', t(4, 16, 1)], ['ml.g5.2xlarge', t(8, 32, 1)], ['ml.g5.4xlarge', t(16, 64, 1)], ['ml.g5.8xlarge', t(32, 128, 1)],
  ['ml.g5.12xlarge', t(48, 192, 4)], ['ml.g5.16xlarge', t(64, 256, 1)], ['ml.g5.24xlarge', t(96, 384, 4)],
  ['ml.g5.48xlarge', t(192, 768, 8)],
  ['ml.p2.xlarge', t(4, 61, 1)], ['ml.p2.8xlarge', t(32, 488, 8)], ['ml.p2.16xlarge', t(64, 732, 16)],
  ['ml.p3.2xlarge', t(8, 61, 1)], ['ml.p3.8xlarge', t(32, 244, 4)], ['ml.p3.16xlarge', t(64, 488, 8)],
  ['ml.p3dn.24xlarge', t(96, 768, 8)], ['ml.p4d.24xlarge', t(96, 1152, 8)],
]);

export const LOCAL_INSTANCE_TYPES = ['local', 'local_gpu'] as const;

/** What the engine offers, from `docker info`. */
export interface EngineResources {
  cpus: number;
  memoryBytes: number;
}

export interface ContainerLimits {
  nanoCpus?: number;
  memoryBytes?: number;
  /** GPUs to request: a count, or 'all' (local_gpu). */
  gpus?: number | 'all';
  /** Set when the instance is larger than the engine's machine and the limits were scaled down to it. */
  scaledDown?: string;
}

export type InstanceTypeKind = { kind: 'local' } | { kind: 'ml'; size: InstanceSize } | { kind: 'unknown-ml'; closeMatches: string[] } | { kind: 'other' };

export function classifyInstanceType(type: string): InstanceTypeKind {
  if ((LOCAL_INSTANCE_TYPES as readonly string[]).includes(type)) return { kind: 'local' };
  const size = INSTANCE_TYPES.get(type);
  if (size !== undefined) return { kind: 'ml', size };
  if (type.startsWith('ml.')) return { kind: 'unknown-ml', closeMatches: closeInstanceTypes(type) };
  return { kind: 'other' };
}

/** Container limits for an instance type on an engine: the instance's size, scaled down to the machine if larger. */
export function containerLimits(type: string, engine: EngineResources | undefined): ContainerLimits {
  if (type === 'local_gpu') return { gpus: 'all' };
  const size = INSTANCE_TYPES.get(type);
  if (size === undefined) return {};
  const wantCpus = size.vcpus;
  const wantMem = Math.round(size.memoryGiB * GiB);
  const cpus = engine === undefined ? wantCpus : Math.min(wantCpus, engine.cpus);
  const mem = engine === undefined ? wantMem : Math.min(wantMem, engine.memoryBytes);
  const limits: ContainerLimits = { nanoCpus: Math.round(cpus * 1e9), memoryBytes: mem };
  if (size.gpus > 0) limits.gpus = size.gpus;
  if (cpus < wantCpus || mem < wantMem) {
    limits.scaledDown = `${type} has ${wantCpus} vCPUs and ${gib(wantMem)} GiB of memory but this machine has ` +
      `${engine?.cpus ?? '?'} CPUs and ${gib(engine?.memoryBytes ?? 0)} GiB: the container gets ${cpus} CPUs and ${gib(mem)} GiB`;
  }
  return limits;
}

/** A CPU instance type with the same vCPUs (m5 family), to suggest in place of a GPU type. */
export function cpuAlternative(size: InstanceSize): string {
  for (const [name, s] of INSTANCE_TYPES) if (name.startsWith('ml.m5.') && s.vcpus === size.vcpus) return name;
  return 'ml.m5.xlarge';
}

/** Up to `n` known types nearest to `type` (edit distance, then same family/size), for "did you mean" hints. */
export function closeInstanceTypes(type: string, n = 3): string[] {
  const [, fam = '', size = ''] = type.toLowerCase().split('.');
  const scored = [...INSTANCE_TYPES.keys()].map((k) => {
    const [, kf = '', ks = ''] = k.split('.');
    return { k, d: editDistance(type.toLowerCase(), k) - (kf === fam ? 1 : 0) - (ks === size ? 1 : 0) };
  });
  scored.sort((a, b) => a.d - b.d || (a.k < b.k ? -1 : 1));
  return scored.slice(0, n).map((s) => s.k);
}

function gib(bytes: number): string {
  return String(Math.round((bytes / GiB) * 10) / 10);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
