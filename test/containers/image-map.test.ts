import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageMap, loadImageMap, parseImageMap } from '../../containers/image-map.js';

const tmp = mkdtempSync(join(tmpdir(), 'cairn-map-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const SKL = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';

describe('ImageMap', () => {
  it('prefers an exact key, then the longest wildcard pattern', () => {
    const map = new ImageMap({
      '*': 'any',
      '*.dkr.ecr.*.amazonaws.com/*': 'ecr',
      '*/sagemaker-scikit-learn:*': 'sklearn',
      [SKL]: 'exact',
    });
    expect(map.lookup(SKL)).toEqual({ pattern: SKL, target: 'exact' });
    expect(map.lookup(SKL.replace('1.2-1', '1.0-1'))?.target).toBe('ecr');
    expect(map.lookup('x/sagemaker-scikit-learn:1')?.target).toBe('sklearn');
    expect(map.lookup('python:3.11')?.target).toBe('any');
    expect(new ImageMap({ 'a*c': 'x' }).lookup('ac')?.target).toBe('x');
    expect(new ImageMap({ 'a.c': 'x' }).lookup('abc')).toBeUndefined();
    expect(new ImageMap({ 'a*': 'x' }).lookup('ba')).toBeUndefined();
    expect(ImageMap.empty().lookup(SKL)).toBeUndefined();
  });

  it('breaks ties between equally long patterns deterministically', () => {
    const a = new ImageMap({ 'b*': 'B', 'a*': 'A', '*b': 'C' });
    expect(a.lookup('ab')?.target).toBe('C');
    expect(new ImageMap({ '*x': '1', 'x*': '2' }).lookup('xx')?.target).toBe('1');
  });

  it('loads cairn.json, and a missing file is an empty map', async () => {
    const missing = await loadImageMap(join(tmp, 'nowhere'));
    expect(missing.ok && missing.value.size).toBe(0);
    writeFileSync(join(tmp, 'cairn.json'), JSON.stringify({ images: { [SKL]: 'cairn-local/python:3.11-numpy' } }));
    const loaded = await loadImageMap(tmp);
    expect(loaded.ok && loaded.value.lookup(SKL)?.target).toBe('cairn-local/python:3.11-numpy');
    expect(loaded.ok && loaded.value.file).toBe(join(tmp, 'cairn.json'));
  });

  it('rejects malformed files with a message naming the file and the problem', () => {
    const bad = (text: string): string => {
      const r = parseImageMap(text, '/p/cairn.json');
      return r.ok ? '' : r.error;
    };
    expect(bad('{"images": ')).toMatch(/^\/p\/cairn\.json is not valid JSON \(.+\); fix the syntax, e\.g\. \{"images"/);
    expect(bad('[]')).toBe('/p/cairn.json must hold a JSON object, e.g. {"images": {"<image uri>": "<local image>"}}.');
    expect(bad('{"images": []}')).toBe(
      '/p/cairn.json: "images" must be an object mapping image URIs to local images, e.g. {"images": {"<image uri>": "<local image>"}}.',
    );
    expect(bad('{"images": {"a": 3}}')).toBe(
      '/p/cairn.json: images["a"] must be a non-empty string naming a local image (for example "cairn-local/python:3.11-numpy"), not 3.',
    );
    expect(bad('{"images": {"": "x"}}')).toMatch(/empty key/);
    const noImages = parseImageMap('{"other": 1}', '/p/cairn.json');
    expect(noImages.ok && noImages.value.size).toBe(0);
  });
});
