import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedOutput } from '../../contracts/artifacts.js';
import { blobPath } from '../../cache/cas.js';
import { resolveValue, type ExpressionContext } from '../../engine/definition/expressions.js';
import { readJsonGet, type JsonGetSource } from '../../engine/run/property-files.js';
import { makeTemp } from '../cache/temp-home.js';
import { get, load, processing } from './definition-helpers.js';

let tmp: ReturnType<typeof makeTemp>;
beforeEach(() => { tmp = makeTemp('cairn-pf-'); });
afterEach(() => tmp.cleanup());

const definition = load({
  Steps: [
    processing('Evaluate', { PropertyFiles: [{ PropertyFileName: 'EvaluationReport', OutputName: 'train', FilePath: 'evaluation.json' }] }),
    processing('Other'),
  ],
});

/** Puts `content` into the content store and returns its manifest entry at `rel`. */
function blob(rel: string, content: string): { path: string; hash: string; size: number } {
  const hash = createHash('sha256').update(content).digest('hex');
  const p = blobPath(tmp.dir, hash);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return { path: rel, hash, size: content.length };
}

function output(name: string, uri: string, files: RecordedOutput['files']): RecordedOutput {
  return { name, uri, hash: 'sha256:x', isFile: false, files };
}

function source(outputs: Record<string, RecordedOutput[]>): JsonGetSource {
  return { home: tmp.dir, definition, outputs: new Map(Object.entries(outputs)) };
}

const report = (path: string) => ({ stepName: 'Evaluate', propertyFile: 'EvaluationReport', path });
const EVAL_URI = 's3://b/runs/r0ld/Evaluate/train';

describe('Std:JsonGet on property files', () => {
  it('reads the file from the output recorded in the run (a reused execution from another run too)', () => {
    const src = source({ Evaluate: [output('train', EVAL_URI, [blob('evaluation.json', '{"metrics": {"accuracy": {"value": 0.93}}}')])] });
    expect(readJsonGet(src, report('metrics.accuracy.value'))).toEqual({ ok: true, value: 0.93 });
    expect(readJsonGet(src, { ...report('metrics.accuracy.value'), propertyFile: 'EvaluationReport' })).toEqual({ ok: true, value: 0.93 });
  });

  it('a missing file fails with the file, its URI and the path', () => {
    const src = source({ Evaluate: [output('train', EVAL_URI, [blob('other.json', '{}')])] });
    expect(readJsonGet(src, report('metrics.accuracy.value'))).toEqual({
      ok: false,
      error: 'Std:JsonGet cannot read path "metrics.accuracy.value": property file "EvaluationReport" of step "Evaluate" '
        + `(evaluation.json in output "train", ${EVAL_URI}/evaluation.json) does not exist: output "train" holds 1 file(s): other.json.`,
    });
  });

  it('a missing path fails with the path, the file and where the path stopped', () => {
    const src = source({ Evaluate: [output('train', EVAL_URI, [blob('evaluation.json', '{"metrics": {"f1": 0.5}}')])] });
    expect(readJsonGet(src, report('metrics.accuracy.value'))).toEqual({
      ok: false,
      error: 'Std:JsonGet: path "metrics.accuracy.value" not found in property file "EvaluationReport" of step "Evaluate" '
        + `(evaluation.json in output "train", ${EVAL_URI}/evaluation.json): there is no key "accuracy" under "metrics".`,
    });
  });

  it('reports invalid JSON, an undeclared file, a step that has not run and a missing output', () => {
    const bad = source({ Evaluate: [output('train', EVAL_URI, [blob('evaluation.json', '{"a": ')])] });
    expect(readJsonGet(bad, report('a'))).toMatchObject({ ok: false });
    expect((readJsonGet(bad, report('a')) as { error: string }).error).toMatch(
      /^Std:JsonGet cannot read path "a": property file "EvaluationReport" of step "Evaluate" \(.*\) is not valid JSON: /);
    expect(readJsonGet(source({}), { stepName: 'Other', propertyFile: 'Nope', path: 'a' })).toEqual({
      ok: false, error: 'Std:JsonGet cannot read path "a": property file "Nope" of step "Other" is not declared: the step has no PropertyFiles.',
    });
    expect(readJsonGet(source({}), report('a'))).toEqual({
      ok: false, error: 'Std:JsonGet cannot read path "a": property file "EvaluationReport" of step "Evaluate" is not available: step "Evaluate" has not run.',
    });
    expect(readJsonGet(source({ Evaluate: [output('test', 's3://b/t', [])] }), report('a'))).toEqual({
      ok: false,
      error: 'Std:JsonGet cannot read path "a": property file "EvaluationReport" of step "Evaluate" is not available: '
        + 'step "Evaluate" recorded no output "train" (its outputs: "test").',
    });
  });
});

describe('Std:JsonGet on S3Uri', () => {
  it('serves a URI under a recorded output from its manifest, anything else from the object store', () => {
    const src = source({ Evaluate: [output('train', 's3://b/eval', [blob('sub/m.json', '{"k": [1, 2]}')])] });
    // The s3 view may have been overwritten since; the recorded bytes win.
    mkdirSync(path.join(tmp.dir, 's3/b/eval/sub'), { recursive: true });
    writeFileSync(path.join(tmp.dir, 's3/b/eval/sub/m.json'), '{"k": [9, 9]}');
    expect(readJsonGet(src, { s3Uri: 's3://b/eval/sub/m.json', path: 'k[1]' })).toEqual({ ok: true, value: 2 });
    mkdirSync(path.join(tmp.dir, 's3/b/other'), { recursive: true });
    writeFileSync(path.join(tmp.dir, 's3/b/other/x.json'), '{"v": "ok"}');
    expect(readJsonGet(src, { s3Uri: 's3://b/other/x.json', path: 'v' })).toEqual({ ok: true, value: 'ok' });
  });

  it('a missing object names the URI and the path', () => {
    const src = source({});
    expect(readJsonGet(src, { s3Uri: 's3://b/none.json', path: 'a.b' })).toEqual({
      ok: false,
      error: `Std:JsonGet cannot read path "a.b": s3://b/none.json does not exist: no file at ${path.join(tmp.dir, 's3/b/none.json')}.`,
    });
    const recorded = source({ Evaluate: [output('train', 's3://b/eval', [blob('m.json', '{}')])] });
    expect(readJsonGet(recorded, { s3Uri: 's3://b/eval/n.json', path: 'a' })).toEqual({
      ok: false, error: 'Std:JsonGet cannot read path "a": s3://b/eval/n.json does not exist: output "train" holds 1 file(s): m.json.',
    });
  });

  it('through resolveValue: the error carries the expression path', () => {
    const src = source({ Evaluate: [output('train', EVAL_URI, [blob('evaluation.json', '{"accuracy": 0.7}')])] });
    const ctx: ExpressionContext = {
      parameters: { Bucket: 'b' }, execution: {}, stepProperties: () => undefined, jsonGet: (r) => readJsonGet(src, r),
    };
    const expr = { 'Std:JsonGet': { PropertyFile: get('Steps.Evaluate.PropertyFiles.EvaluationReport'), Path: 'accuracy' } };
    expect(resolveValue({ Threshold: expr }, ctx)).toEqual({ ok: true, value: { Threshold: 0.7 } });
    const missing = { 'Std:JsonGet': { PropertyFile: get('Steps.Evaluate.PropertyFiles.EvaluationReport'), Path: 'recall' } };
    const r = resolveValue({ Threshold: missing }, ctx);
    expect(r).toMatchObject({ ok: false, error: { path: 'Threshold' } });
    const uri = { 'Std:JsonGet': { S3Uri: { 'Std:Join': { On: '/', Values: ['s3:/', get('Parameters.Bucket'), 'x.json'] } }, Path: 'a' } };
    expect(resolveValue(uri, ctx)).toMatchObject({ ok: false, error: { message: expect.stringContaining('s3://b/x.json does not exist') } });
  });
});

describe('Std:JsonGet on a property file that is a link kept in the output', () => {
  it('reads the file the link points to, and names a link that points to no file', () => {
    const target = blob('reports/evaluation-3.json', '{"metrics": {"accuracy": {"value": 0.91}}}');
    const link = { ...blob('evaluation.json', 'reports/evaluation-3.json'), link: 'reports/evaluation-3.json' };
    expect(readJsonGet(source({ Evaluate: [output('train', EVAL_URI, [link, target])] }), report('metrics.accuracy.value'))).toEqual({ ok: true, value: 0.91 });
    const dangling = { ...blob('evaluation.json', 'gone.json'), link: 'gone.json' };
    const r = readJsonGet(source({ Evaluate: [output('train', EVAL_URI, [dangling])] }), report('metrics.accuracy.value'));
    expect(!r.ok && r.error).toContain('does not exist: it is a link to gone.json, which is no file of the output');
  });
});
