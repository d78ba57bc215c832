import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPipeline } from '../../cli/load-pipeline.js';

const EXAMPLE = resolve(import.meta.dirname, '../../examples/quickstart');

describe('examples/quickstart/pipeline.ts', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'cairn-sdk-'));
    vi.stubEnv('CAIRN_HOME', home);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    rmSync(home, { recursive: true, force: true });
  });

  it('loads to the same definition as pipeline.json', async () => {
    const fromTs = await loadPipeline(resolve(EXAMPLE, 'pipeline.ts'));
    const fromJson = await loadPipeline(resolve(EXAMPLE, 'pipeline.json'));
    if (!fromTs.ok) throw new Error(fromTs.error.join('\n'));
    if (!fromJson.ok) throw new Error(fromJson.error.join('\n'));
    expect(fromTs.value.name).toBe('quickstart');
    expect(fromTs.value.definition.raw).toEqual(fromJson.value.definition.raw);
    expect(fromTs.value.definition.steps.map((s) => [s.name, s.dependsOn])).toEqual(fromJson.value.definition.steps.map((s) => [s.name, s.dependsOn]));
  });

  it('takes --name over Pipeline.name', async () => {
    const r = await loadPipeline(resolve(EXAMPLE, 'pipeline.ts'), 'other');
    expect(r.ok && r.value.name).toBe('other');
  });
});
