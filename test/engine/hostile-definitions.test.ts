import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import { planRun } from '../../engine/run/plan.js';
import type { ParameterValue } from '../../contracts/definition.js';
import { SUPPORTED_STEP_TYPES } from '../../steps/executor-registry.js';
import { fakeServices } from '../support/fake-services.js';
import { HOSTILE_IMAGE, hostileDefinition } from '../support/hostile-definitions.js';

// 1,000 generated hostile definitions (seeded) are loaded and planned in-process: each ends in diagnostics or a
// plan, never an exception; a few of the worst go through the real CLI, which must never exit 70 (internal error).

const CLI = resolve(import.meta.dirname, '../../dist/cli/main.js');
let env: ReturnType<typeof fakeServices>;
beforeAll(() => {
  env = fakeServices();
  env.runtime.addImage(HOSTILE_IMAGE);
});
afterAll(() => env.close());

describe('hostile definitions', () => {
  it('1,000 generated ones load and plan in-process without an exception', async () => {
    const kinds = new Map<string, { loaded: number; refused: number }>();
    await fc.assert(
      fc.asyncProperty(hostileDefinition, async ({ kind, text }) => {
        const count = kinds.get(kind) ?? { loaded: 0, refused: 0 };
        kinds.set(kind, count);
        const r = loadDefinitionText(text, 'hostile.json', { supportedStepTypes: SUPPORTED_STEP_TYPES });
        if (!r.ok) {
          count.refused++;
          expect(r.error.length).toBeGreaterThan(0);
          for (const d of r.error) expect(d.line >= 1 && d.column >= 1 && d.message.length > 0 && d.message.length < 2000).toBe(true);
          return;
        }
        count.loaded++;
        const parameters: Record<string, ParameterValue> = Object.fromEntries(r.value.parameters.map((p) => [p.name, p.defaultValue ?? '']));
        const planned = await planRun(env.services, r.value, 'hostile', parameters, { noCache: false, rerun: [] });
        expect(planned.length).toBe(r.value.steps.length);
      }),
      { numRuns: 1000, seed: 20261201, endOnFailure: true },
    );
    // Every class was generated, and both outcomes occur: refusals and definitions that plan.
    expect(kinds.size).toBe(12);
    const all = [...kinds.values()];
    expect(all.reduce((n, k) => n + k.loaded, 0)).toBeGreaterThan(50);
    expect(all.reduce((n, k) => n + k.refused, 0)).toBeGreaterThan(300);
    expect(env.runtime.specs).toEqual([]);
  });

  it('the worst through `cairn plan` (needs `npm run build`): a clear refusal, never exit 70', () => {
    expect(existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'cairn-hostile-cli-'));
    const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);
    let joins: unknown = 'x';
    for (let i = 0; i < 900; i++) joins = { 'Std:Join': { On: '', Values: [joins] } };
    const step = (image: unknown, out: unknown, extra: object = {}) => JSON.stringify({
      Version: '2020-12-01', Steps: [{ Name: 'S', Type: 'Processing', Arguments: {
        AppSpecification: { ImageUri: image, ContainerArguments: [joins] }, ProcessingOutputConfig: { Outputs: [{ OutputName: 'o', S3Output: { S3Uri: out, LocalPath: '/opt/ml/processing/o' } }] }, ...extra,
      } }],
    });
    const cases: Record<string, [string, RegExp]> = {
      'root.json': [deep(30_000), /root\.json:1:257 (\[0\]){256}: nested deeper than 256 levels/],
      'cut.json': [deep(30_000).slice(0, 40_000), /cut\.json:1:257 .*nested deeper than 256 levels/],
      'joins.json': [step('img:1', 's3://b/o'), /joins\.json:1:\d+ Steps\[0\]\.Arguments\.AppSpecification\.ContainerArguments\[0\].*nested deeper than 256 levels/],
      'image.json': [step('python:3.11-slimé', 's3://b/o').replace(JSON.stringify(joins), '"x"'), /ImageUri "python:3\.11-slimé" is not a valid Docker image reference: the tag "3\.11-slimé"/],
      'dotdot.json': [step('img:1', 's3://b/runs/../x').replace(JSON.stringify(joins), '"x"'), /S3Uri "s3:\/\/b\/runs\/\.\.\/x" has a "\." or "\.\." path segment/],
      'huge.json': [step('é'.repeat(1_000_000), 's3://b/o').replace(JSON.stringify(joins), '"x"'), /ImageUri "é+…" is not a valid Docker image reference/],
    };
    try {
      for (const [name, [text, expected]] of Object.entries(cases)) {
        writeFileSync(join(dir, name), text);
        let code = 0;
        let stderr = '';
        try {
          execFileSync(process.execPath, [CLI, 'plan', name], { cwd: dir, env: { ...process.env, CAIRN_HOME: join(dir, 'home') }, stdio: 'pipe' });
        } catch (e) {
          code = (e as { status: number }).status;
          stderr = String((e as { stderr: Buffer }).stderr);
        }
        expect({ name, code, internal: stderr.includes('internal error') }).toEqual({ name, code: 2, internal: false });
        expect(stderr).toMatch(expected);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
