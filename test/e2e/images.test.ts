import { describe, expect, it } from 'vitest';
import { buildPlan, imagesDir } from '../../cli/commands/images.js';
import { STAND_INS } from '../../containers/stand-ins.js';
import { Workspace } from './harness.js';

interface ListJson { images: { name: string; image: string; standsFor: string; present: boolean; id: string | null; sizeBytes: number | null; buildCommand: string }[] }

describe('cairn images', () => {
  it('list --json shows every stand-in: name, image, what it stands for, present, id, size', async () => {
    const ws = new Workspace();
    try {
      const { result, json } = await ws.json<ListJson>(['images', 'list', '--json']);
      expect(result.code).toBe(0);
      expect(json.images.map((i) => i.name)).toEqual(['debian', 'python-numpy', 'python-pip', 'python-toolkit', 'tensorflow', 'tensorflow-training']);
      for (const i of json.images) {
        expect(Object.keys(i).sort()).toEqual(['buildCommand', 'id', 'image', 'name', 'present', 'sizeBytes', 'standsFor']);
        expect(i.image).toMatch(/^cairn-local\//);
        expect(i.buildCommand).toBe(`cairn images build --only ${i.name}`);
        if (i.present) {
          expect(i.id).toMatch(/^sha256:[0-9a-f]{64}$/);
          expect(i.sizeBytes).toBeGreaterThan(1e6);
        } else expect([i.id, i.sizeBytes]).toEqual([null, null]);
      }
      // The test images are always built before the suite runs.
      expect(json.images.find((i) => i.name === 'python-numpy')?.present).toBe(true);
      expect(json.images.find((i) => i.name === 'tensorflow-training')?.standsFor).toBe('763104351884.dkr.ecr.<region>.amazonaws.com/tensorflow-training:2.19-cpu-py312');
      const text = await ws.run(['images', 'list']);
      expect(text.stdout.split('\n')[0]).toMatch(/^NAME +IMAGE +PRESENT +ID +SIZE +STANDS FOR$/);
    } finally {
      ws.dispose();
    }
  });

  it('build runs the build scripts, reusing what is present, and reports as list does', async () => {
    const ws = new Workspace();
    try {
      const r = await ws.run(['images', 'build', '--only', 'python-numpy', '--json']);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('image cairn-local/python:3.11-numpy: present');
      const json = JSON.parse(r.stdout) as ListJson & { seconds: number };
      expect(json.images.find((i) => i.name === 'python-numpy')?.present).toBe(true);
    } finally {
      ws.dispose();
    }
  });

  it('refuses an unknown stand-in or sub-command with exit 2, and has --help', async () => {
    const ws = new Workspace();
    try {
      const bad = await ws.run(['images', 'build', '--only', 'pytorch']);
      expect([bad.code, bad.stderr.trim()]).toEqual([2, 'there is no stand-in named "pytorch"; NAME is one of: debian, python-numpy, python-pip, python-toolkit, tensorflow, tensorflow-training.']);
      expect((await ws.run(['images', 'frobnicate'])).code).toBe(2);
      const help = await ws.run(['images', '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('cairn images build [--force] [--only NAME] [--json]');
    } finally {
      ws.dispose();
    }
  });

  it('plans which scripts build what', () => {
    expect(buildPlan(undefined, false)).toEqual([{ script: 'build-test-images.sh', args: [] }, { script: 'build-tensorflow-images.sh', args: [] }]);
    expect(buildPlan('debian', true)).toEqual([{ script: 'build-test-images.sh', args: ['--force'] }]);
    expect(buildPlan('tensorflow-training', true)).toEqual([{ script: 'build-tensorflow-images.sh', args: ['--force', '--only', 'tensorflow-training'] }]);
    expect(imagesDir()).toMatch(/containers\/images$/);
    expect(STAND_INS.every((s) => s.image.startsWith('cairn-local/'))).toBe(true);
  });
});
