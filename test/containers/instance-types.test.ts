import { describe, expect, it } from 'vitest';
import { classifyInstanceType, closeInstanceTypes, containerLimits, INSTANCE_TYPES } from '../../containers/instance-types.js';

const GiB = 1024 ** 3;
const BIG = { cpus: 256, memoryBytes: 4096 * GiB };

describe('instance types', () => {
  it('knows AWS sizes of the common families', () => {
    expect(INSTANCE_TYPES.get('ml.t3.medium')).toEqual({ vcpus: 2, memoryGiB: 4, gpus: 0 });
    expect(INSTANCE_TYPES.get('ml.m5.large')).toEqual({ vcpus: 2, memoryGiB: 8, gpus: 0 });
    expect(INSTANCE_TYPES.get('ml.m5d.24xlarge')).toEqual({ vcpus: 96, memoryGiB: 384, gpus: 0 });
    expect(INSTANCE_TYPES.get('ml.c5.9xlarge')).toEqual({ vcpus: 36, memoryGiB: 72, gpus: 0 });
    expect(INSTANCE_TYPES.get('ml.c5d.18xlarge')).toEqual({ vcpus: 72, memoryGiB: 144, gpus: 0 });
    expect(INSTANCE_TYPES.get('ml.r5.4xlarge')).toEqual({ vcpus: 16, memoryGiB: 128, gpus: 0 });
    expect(INSTANCE_TYPES.get('ml.g4dn.12xlarge')).toEqual({ vcpus: 48, memoryGiB: 192, gpus: 4 });
    expect(INSTANCE_TYPES.get('ml.g5.2xlarge')).toEqual({ vcpus: 8, memoryGiB: 32, gpus: 1 });
    expect(INSTANCE_TYPES.get('ml.p3.2xlarge')).toEqual({ vcpus: 8, memoryGiB: 61, gpus: 1 });
  });

  it('classifies local-mode names, known, unknown ml. and other types', () => {
    expect(classifyInstanceType('local')).toEqual({ kind: 'local' });
    expect(classifyInstanceType('local_gpu')).toEqual({ kind: 'local' });
    expect(classifyInstanceType('ml.m5.xlarge').kind).toBe('ml');
    expect(classifyInstanceType('ml.m5.larg')).toEqual({ kind: 'unknown-ml', closeMatches: ['ml.m5.large', 'ml.m5.xlarge', 'ml.c5.large'] });
    expect(closeInstanceTypes('ml.g5.3xlarge', 2)).toEqual(['ml.g5.2xlarge', 'ml.g5.4xlarge']);
    expect(classifyInstanceType('whatever')).toEqual({ kind: 'other' });
  });

  it('maps sizes to limits, scaling down to a smaller machine', () => {
    expect(containerLimits('ml.t3.medium', BIG)).toEqual({ nanoCpus: 2e9, memoryBytes: 4 * GiB });
    expect(containerLimits('ml.g5.xlarge', BIG)).toEqual({ nanoCpus: 4e9, memoryBytes: 16 * GiB, gpus: 1 });
    expect(containerLimits('local', BIG)).toEqual({});
    expect(containerLimits('local_gpu', BIG)).toEqual({ gpus: 'all' });
    const small = containerLimits('ml.m5.4xlarge', { cpus: 2, memoryBytes: 24 * GiB });
    expect(small).toEqual({
      nanoCpus: 2e9, memoryBytes: 24 * GiB,
      scaledDown: 'ml.m5.4xlarge has 16 vCPUs and 64 GiB of memory but this machine has 2 CPUs and 24 GiB: the container gets 2 CPUs and 24 GiB',
    });
    expect(containerLimits('ml.c4.xlarge', undefined)).toEqual({ nanoCpus: 4e9, memoryBytes: 7.5 * GiB });
  });
});
