import { describe, expect, it } from 'vitest';
import { standInBuildCommand } from '../../cli/render-refusal.js';
import { frameworkImageUri, processorFor, standInFor, type FrameworkImageRequest } from '../../containers/framework-images.js';

const base: FrameworkImageRequest = { framework: 'tensorflow', version: '2.19', instanceType: 'ml.m5.xlarge', region: 'us-east-1', scope: 'training' };

describe('frameworkImageUri (as sagemaker.image_uris.retrieve names TensorFlow images)', () => {
  const table: [Partial<FrameworkImageRequest>, string][] = [
    [{}, '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.19-cpu-py312'],
    [{ version: '2.19.0' }, '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.19.0-cpu-py312'],
    [{ version: '2.16', instanceType: 'ml.p3.2xlarge' }, '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.16-gpu-py310'],
    [{ version: '2.16.2', instanceType: 'ml.g5.xlarge', pyVersion: 'py310' }, '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.16.2-gpu-py310'],
    [{ instanceType: 'local' }, '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.19-cpu-py312'],
    [{ instanceType: 'local_gpu' }, '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.19-gpu-py312'],
    [{ instanceType: 'ml.c5.2xlarge', region: 'eu-west-1' }, '763104351884.dkr.ecr.eu-west-1.amazonaws.com/tensorflow-training:2.19-cpu-py312'],
    [{ region: 'cn-north-1' }, '727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/tensorflow-training:2.19-cpu-py312'],
    [{ region: 'us-gov-west-1' }, '442386744353.dkr.ecr.us-gov-west-1.amazonaws.com/tensorflow-training:2.19-cpu-py312'],
    [{ region: 'af-south-1' }, '626614931356.dkr.ecr.af-south-1.amazonaws.com/tensorflow-training:2.19-cpu-py312'],
    [{ region: 'me-south-1', version: '2.13' }, '217643126080.dkr.ecr.me-south-1.amazonaws.com/tensorflow-training:2.13-cpu-py310'],
    [{ region: 'us-iso-east-1', version: '2.14' }, '886529160074.dkr.ecr.us-iso-east-1.c2s.ic.gov/tensorflow-training:2.14-cpu-py310'],
    [{ version: '1.15', pyVersion: 'py37' }, '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:1.15-cpu-py37'],
    [{ version: '1.13', pyVersion: 'py2' }, '520713654638.dkr.ecr.us-east-1.amazonaws.com/sagemaker-tensorflow-scriptmode:1.13-cpu-py2'],
    [{ version: '1.13', pyVersion: 'py3' }, '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:1.13-cpu-py3'],
    [{ scope: 'inference', version: '2.16', pyVersion: 'py310' }, '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-inference:2.16-cpu'],
    [{ scope: 'inference', version: '2.19.0', instanceType: 'ml.g4dn.xlarge' }, '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-inference:2.19.0-gpu'],
  ];
  it.each(table)('%o → %s', (over, uri) => {
    expect(frameworkImageUri({ ...base, ...over })).toEqual({ ok: true, value: uri });
  });

  const refusals: [Partial<FrameworkImageRequest>, string | RegExp][] = [
    [{ version: '2.21' }, /^TensorFlow training images have no version "2\.21" \(as listed by the SageMaker Python SDK 2\.257\.7\); use one of: 1\.4\.1, .*, 2\.19\.0, 1\.4, .*, 2\.18, 2\.19\.$/],
    [{ version: '2.16', pyVersion: 'py311' }, 'TensorFlow training images of TensorFlow 2.16 have no Python version "py311"; use one of: py310.'],
    [{ version: '1.15.5' }, 'TensorFlow training images of TensorFlow 1.15.5 come in several Python versions; pass one of: py3, py36, py37.'],
    [{ region: 'mars-north-1' }, /^TensorFlow training images of TensorFlow 2\.19 are not published in region "mars-north-1"; use one of: af-south-1, ap-east-1, .*us-west-2\.$/],
    [{ instanceType: 'm5.xlarge' }, '"m5.xlarge" is not a SageMaker instance type; write ml.<family>.<size> (e.g. ml.m5.xlarge), local or local_gpu.'],
    [{ instanceType: 'ml.inf1.xlarge' }, 'TensorFlow training images have no "inf" variant (instance type ml.inf1.xlarge); supported processors: cpu, gpu.'],
    [{ instanceType: 'ml.p2.xlarge', version: '2.12' }, 'P2 instances (ml.p2.xlarge) are deprecated for TensorFlow 2.12 and later; pick a newer GPU instance type such as ml.p3.2xlarge or ml.g5.xlarge.'],
  ];
  it.each(refusals)('refuses %o with the valid choices', (over, message) => {
    const r = frameworkImageUri({ ...base, ...over });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('takes the processor from the instance type the way the SDK does', () => {
    const p = (t: string): string => { const r = processorFor(t); return r.ok ? r.value : `error`; };
    expect(['ml.p3.2xlarge', 'ml.p4d.24xlarge', 'ml.g4dn.xlarge', 'ml.g5.12xlarge', 'local_gpu', 'ml_p3'].map(p)).toEqual(['gpu', 'gpu', 'gpu', 'gpu', 'gpu', 'gpu']);
    expect(['ml.m5.large', 'ml.c5.xlarge', 'ml.t3.medium', 'ml.r5.large', 'local'].map(p)).toEqual(['cpu', 'cpu', 'cpu', 'cpu', 'cpu']);
    expect(['ml.trn1.2xlarge', 'ml.inf2.xlarge', 'bogus'].map(p)).toEqual(['trn', 'inf', 'error']);
  });
});

describe('standInFor', () => {
  const TRAIN = 'cairn-local/tensorflow-training:2.19-cpu-py311';
  it('serves every tensorflow-training CPU URI with the training stand-in, keyed by account and partition', () => {
    const match = standInFor('763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.19-cpu-py312');
    expect(match).toEqual({
      standIn: expect.objectContaining({ name: 'tensorflow-training', image: TRAIN }),
      mapKey: '763104351884.dkr.ecr.*.amazonaws.com/tensorflow-training:*-cpu-*',
    });
    expect(standInBuildCommand(match!.standIn.name)).toBe('cairn images build --only tensorflow-training');
    expect(standInFor('727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/tensorflow-training:2.19.0-cpu-py312')?.mapKey)
      .toBe('727897471807.dkr.ecr.*.amazonaws.com.cn/tensorflow-training:*-cpu-*');
  });

  it('says when the stand-in differs from the URI (older version, GPU)', () => {
    expect(standInFor('763104351884.dkr.ecr.eu-west-1.amazonaws.com/tensorflow-training:2.16-cpu-py310')?.note).toBe('the stand-in has TensorFlow 2.19.0');
    const gpu = standInFor('763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.19-gpu-py312');
    expect(gpu?.note).toBe('the stand-in has TensorFlow 2.19.0 and runs on the CPU');
    expect(gpu?.mapKey).toBe('763104351884.dkr.ecr.*.amazonaws.com/tensorflow-training:*-gpu-*');
  });

  it('serves Docker Hub tensorflow/tensorflow with the plain stand-in, mapped exactly', () => {
    const match = standInFor('tensorflow/tensorflow:2.19.0');
    expect(match).toEqual({
      standIn: expect.objectContaining({ name: 'tensorflow', image: 'cairn-local/tensorflow:2.19.0' }),
      mapKey: 'tensorflow/tensorflow:2.19.0',
    });
    expect(standInBuildCommand(match!.standIn.name)).toBe('cairn images build --only tensorflow');
    expect(standInFor('docker.io/tensorflow/tensorflow:2.15.0')?.note).toBe('the stand-in has TensorFlow 2.19.0');
    expect(standInFor('tensorflow/tensorflow')?.standIn.name).toBe('tensorflow');
  });

  it('has no stand-in for other images', () => {
    for (const uri of [
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-inference:2.19.0-cpu',
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.5-cpu-py311',
      '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
      'tensorflow/serving:2.19.0',
      'python:3.11',
    ]) expect(standInFor(uri)).toBeUndefined();
  });
});
