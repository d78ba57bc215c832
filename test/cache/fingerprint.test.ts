import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildFingerprint, CONTRACT_VERSION, diffFingerprints } from '../../cache/fingerprint.js';
import type { FingerprintParts } from '../../contracts/fingerprint.js';

const parts = (over: Partial<FingerprintParts> = {}): FingerprintParts => ({
  image: { uri: 'python:3.12-slim', id: 'sha256:aaa' },
  arguments: { AppSpecification: { ContainerArguments: ['--epochs', '3'] } },
  inputs: { train: 'sha256:111' },
  environment: { MODE: 'fast' },
  ...over,
});

describe('buildFingerprint', () => {
  it('is the step type, the contract version and the parts, in canonical JSON; the key is the sha256 of that text', () => {
    const b = buildFingerprint('Processing', parts());
    expect(b.fingerprint).toEqual({ cairn: CONTRACT_VERSION, stepType: 'Processing', ...parts() });
    expect(CONTRACT_VERSION).toBe(1);
    expect(b.canonical).toBe('{"arguments":{"AppSpecification":{"ContainerArguments":["--epochs","3"]}},"cairn":1,'
      + '"environment":{"MODE":"fast"},"image":{"id":"sha256:aaa","uri":"python:3.12-slim"},"inputs":{"train":"sha256:111"},'
      + '"stepType":"Processing"}');
    expect(b.key).toBe(`sha256:${createHash('sha256').update(b.canonical).digest('hex')}`);
  });

  it('the key ignores key order and changes with the step type or any part', () => {
    const a = buildFingerprint('Processing', parts()).key;
    const reordered = buildFingerprint('Processing', { environment: { MODE: 'fast' }, inputs: { train: 'sha256:111' },
      arguments: { AppSpecification: { ContainerArguments: ['--epochs', '3'] } }, image: { id: 'sha256:aaa', uri: 'python:3.12-slim' } });
    expect(reordered.key).toBe(a);
    expect(buildFingerprint('Training', parts()).key).not.toBe(a);
    expect(buildFingerprint('Processing', parts({ inputs: { train: 'sha256:112' } })).key).not.toBe(a);
    expect(buildFingerprint('Processing', parts({ environment: {} })).key).not.toBe(a);
  });
});

describe('diffFingerprints', () => {
  const fp = (over: Partial<FingerprintParts> = {}) => buildFingerprint('Processing', parts(over)).fingerprint;

  it('no change: no differences', () => {
    expect(diffFingerprints(fp(), fp())).toEqual([]);
  });

  it('leaf differences with dotted and indexed paths, in sorted path order; added and removed keys have one side', () => {
    const after = fp({
      arguments: { AppSpecification: { ContainerArguments: ['--epochs', '4'] } },
      inputs: { train: 'sha256:222', extra: 'sha256:333' },
      environment: {},
    });
    expect(diffFingerprints(fp(), after)).toEqual([
      { path: 'arguments.AppSpecification.ContainerArguments[1]', before: '3', after: '4' },
      { path: 'environment.MODE', before: 'fast' },
      { path: 'inputs.extra', after: 'sha256:333' },
      { path: 'inputs.train', before: 'sha256:111', after: 'sha256:222' },
    ]);
  });

  it('an array of another length, or a value of another kind, is one change at its own path', () => {
    expect(diffFingerprints({ a: [1, 2] }, { a: [1, 2, 3] })).toEqual([{ path: 'a', before: [1, 2], after: [1, 2, 3] }]);
    expect(diffFingerprints({ a: { b: 1 } }, { a: [1] })).toEqual([{ path: 'a', before: { b: 1 }, after: [1] }]);
    expect(diffFingerprints({ a: 1 }, { a: '1' })).toEqual([{ path: 'a', before: 1, after: '1' }]);
    expect(diffFingerprints({ a: null }, { a: 0 })).toEqual([{ path: 'a', before: null, after: 0 }]);
    expect(diffFingerprints([1], [2])).toEqual([{ path: '[0]', before: 1, after: 2 }]);
    expect(diffFingerprints(1, 2)).toEqual([{ path: '', before: 1, after: 2 }]);
  });

  it('equal subtrees are not walked, whatever their key order', () => {
    expect(diffFingerprints({ a: { x: 1, y: 2 }, b: 1 }, { a: { y: 2, x: 1 }, b: 2 })).toEqual([{ path: 'b', before: 1, after: 2 }]);
  });
});
