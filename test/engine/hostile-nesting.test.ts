import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import { planRun } from '../../engine/run/plan.js';
import { readJsonGet } from '../../engine/run/property-files.js';
import { startRun } from '../../engine/run/run-pipeline.js';
import { formatDiagnostic } from '../../kernel/diagnostic.js';
import { MAX_JSON_DEPTH } from '../../kernel/json-depth.js';
import type { JsonValue } from '../../kernel/json.js';
import { SUPPORTED_STEP_TYPES } from '../../steps/executor-registry.js';
import { makeTemp } from '../cache/temp-home.js';
import { fakeServices } from '../support/fake-services.js';

const IMAGE = 'cairn-test/job:1';
const OPTIONS = { supportedStepTypes: SUPPORTED_STEP_TYPES };

/** `{"Std:Join": {"On": "", "Values": [<inner>]}}` nested `n` deep around `inner` (3 JSON levels each). */
function joins(n: number, inner: JsonValue): JsonValue {
  let v = inner;
  for (let i = 0; i < n; i++) v = { 'Std:Join': { On: '', Values: [v] } };
  return v;
}

function arrays(n: number, inner: JsonValue): JsonValue {
  let v = inner;
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

/** One Processing step; `argument` is its first ContainerArgument (at JSON level 7), `extra` more Arguments. */
function definition(argument: JsonValue, extra: Record<string, JsonValue> = {}): string {
  return JSON.stringify({
    Version: '2020-12-01',
    Parameters: [{ Name: 'P', Type: 'String', DefaultValue: 'p' }],
    Steps: [{
      Name: 'Deep', Type: 'Processing',
      Arguments: {
        AppSpecification: { ImageUri: IMAGE, ContainerArguments: [argument] },
        ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 } },
        RoleArn: 'arn:aws:iam::111111111111:role/r',
        ProcessingOutputConfig: { Outputs: [{ OutputName: 'out', S3Output: { S3Uri: 's3://bucket/out', LocalPath: '/opt/ml/processing/output/out' } }] },
        ...extra,
      },
    }],
  });
}

function diagnose(text: string): string[] {
  const r = loadDefinitionText(text, 'deep.json', OPTIONS);
  return r.ok ? [] : r.error.map(formatDiagnostic);
}

describe(`definitions nested deeper than ${MAX_JSON_DEPTH} levels`, () => {
  it('are refused at the bracket that goes too deep, with its JSON path', () => {
    expect(diagnose('['.repeat(100_000) + ']'.repeat(100_000))).toEqual([
      `deep.json:1:${MAX_JSON_DEPTH + 1} ${'[0]'.repeat(MAX_JSON_DEPTH)}: nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`,
    ]);
    const lines = diagnose(definition(joins(900, 'x')));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^deep\.json:1:\d+ Steps\[0\]\.Arguments\.AppSpecification\.ContainerArguments\[0\](\['Std:Join'\]\.Values\[0\])+\['Std:Join'\]: nested deeper than 256 levels of objects and arrays$/);
    expect(diagnose(definition(arrays(3000, 1)))).toEqual([
      expect.stringMatching(`^deep\\.json:1:\\d+ Steps\\[0\\]\\.Arguments\\.AppSpecification\\.ContainerArguments\\[0\\]${'\\[0\\]'.repeat(MAX_JSON_DEPTH - 6)}: nested deeper than`) as string,
    ]);
  });

  it('are refused even when the text is not valid JSON (the positions parser would recurse on it)', () => {
    const text = `{"Version": "2020-12-01", "Metadata": {"x": ${'{"a": '.repeat(5000)}`;
    expect(diagnose(text)).toEqual([
      `deep.json:1:${text.indexOf('{"a"') + 1 + 6 * (MAX_JSON_DEPTH - 2)} Metadata.x${'.a'.repeat(MAX_JSON_DEPTH - 2)}: nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`,
    ]);
  });

  it('a bracket inside a string does not count', () => {
    expect(diagnose(definition('['.repeat(10_000)))).toEqual([]);
  });
});

describe(`a definition nested exactly ${MAX_JSON_DEPTH} levels deep`, () => {
  let env: ReturnType<typeof fakeServices>;
  beforeEach(() => {
    env = fakeServices();
    env.runtime.addImage(IMAGE);
    env.runtime.onImage(IMAGE, (io) => {
      mkdirSync(io.hostPath('/opt/ml/processing/output/out'), { recursive: true });
      writeFileSync(join(io.hostPath('/opt/ml/processing/output/out'), 'args.txt'), (io.spec.cmd ?? []).join(' '));
      return 0;
    });
  });
  afterEach(() => env.close());

  // Level 7 holds the first ContainerArgument; each Std:Join takes 3 levels, so 83 of them end at level 256; the
  // arrays under Arguments.Deep (level 5) end there too.
  const deepest = definition(joins(83, { Get: 'Parameters.P' }), { Deep: arrays(MAX_JSON_DEPTH - 4, 'leaf') });

  it('loads, plans, runs and is reused: every walk (expressions, fingerprint, store) copes with it', async () => {
    const loaded = loadDefinitionText(deepest, 'deep.json', OPTIONS);
    if (!loaded.ok) throw new Error(loaded.error.map(formatDiagnostic).join('\n'));
    const plan = await planRun(env.services, loaded.value, 'deep', { P: 'p' }, { noCache: false, rerun: [] });
    expect(plan.map((p) => p.action)).toEqual(['run']);
    const run = async () => {
      const r = await startRun(env.services, { definition: loaded.value, definitionText: deepest, pipeline: 'deep', parameters: { P: 'p' }, options: { noCache: false, rerun: [] } },
        { signal: new AbortController().signal, emit: () => undefined, maxParallel: 1 });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return r.value;
    };
    expect((await run()).status).toBe('succeeded');
    expect(env.runtime.specs.map((s) => s.cmd)).toEqual([['p']]);
    const again = await run();
    expect(env.services.store.getSteps(again.runId).map((s) => s.decision?.reason.kind)).toEqual(['same-fingerprint']);
  });

  it('one level more is refused', () => {
    expect(diagnose(definition(joins(83, { Get: 'Parameters.P' }), { Deep: arrays(MAX_JSON_DEPTH - 3, 'leaf') }))).toHaveLength(1);
    expect(diagnose(definition(joins(84, 'x')))).toHaveLength(1);
  });
});

describe('Std:JsonGet over a file a job wrote', () => {
  it('refuses a value nested deeper than the limit, and serves one at the limit', () => {
    const tmp = makeTemp('cairn-jsonget-');
    try {
      const file = join(tmp.dir, 'doc.json');
      writeFileSync(file, `{"a": ${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}}`);
      const loaded = loadDefinitionText(definition('x'), 'deep.json', OPTIONS);
      if (!loaded.ok) throw new Error('the seed must load');
      const src = { home: tmp.dir, definition: loaded.value, outputs: new Map() };
      expect(readJsonGet(src, { s3Uri: `file://${file}`, path: 'a' })).toEqual({
        ok: false, error: `Std:JsonGet: the value at path "a" in file://${file} is nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays.`,
      });
      expect(readJsonGet(src, { s3Uri: `file://${file}`, path: 'a[0]' }).ok).toBe(true);
    } finally {
      tmp.cleanup();
    }
  });
});
