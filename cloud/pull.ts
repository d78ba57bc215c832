import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DescribePipelineCommand } from '@aws-sdk/client-sagemaker';
import { mapLimit } from '../cache/hasher.js';
import { definitionTextHash, recordPulledDefinition } from '../cache/pulled-store.js';
import type { JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import { awsErrorText, type CloudClients } from './clients.js';
import { fetchObject, objectState, remoteObjects, type FetchProblem, type ObjectState, type PullSink, splitS3 } from './pull-fetch.js';
import { pullTargets, type RuntimeValue } from './pull-targets.js';

/** A local definition file, or a deployed pipeline (DescribePipeline) whose definition is written to `out`. */
export type PullSource = { kind: 'file'; path: string; name?: string } | { kind: 'pipeline'; name: string; out: string };

export interface PulledObjectLine {
  uri: string;
  size: number;
  etag: string;
  state: ObjectState;
  /** Where the definition names it (the first place): step and JSON path. */
  step: string;
  path: string;
}

export interface PullReport {
  definitionFile: string;
  /** The pipeline name recorded with the definition (undefined: none known; `--name` gives one). */
  pipeline?: string;
  region: string;
  dryRun: boolean;
  objects: PulledObjectLine[];
  /** URIs the definition names that S3 does not hold (no object, nothing under the prefix). */
  notFound: { uri: string; step: string; path: string }[];
  runtime: RuntimeValue[];
  defaulted: { name: string; value: string }[];
  fetchedBytes: number;
  problems: FetchProblem[];
}

export interface PullListener {
  planned?(objects: readonly PulledObjectLine[]): void;
  bytes?(n: number): void;
  fetched?(o: PulledObjectLine): void;
}

export type PullError = { kind: 'invalid' | 'failed'; message: string };

const FETCH_CONCURRENCY = 4;

export async function pull(clients: CloudClients, sink: PullSink, source: PullSource, opts: { dryRun: boolean; listener?: PullListener }): Promise<Result<PullReport, PullError>> {
  const got = await definitionText(clients, source);
  if (!got.ok) return got;
  let definition: JsonValue;
  try {
    definition = JSON.parse(got.value.text) as JsonValue;
  } catch (e) {
    return err({ kind: 'invalid', message: `${got.value.file}: not JSON (${(e as Error).message})` });
  }
  const found = pullTargets(definition);
  const objects: PulledObjectLine[] = [];
  const notFound: PullReport['notFound'] = [];
  const seen = new Set<string>();
  for (const t of found.targets) {
    const listed = await remoteObjects(clients.s3, t.uri, t.kind);
    if (!listed.ok) return err({ kind: 'failed', message: `Could not list ${listed.error}` });
    if (listed.value.length === 0) notFound.push({ uri: t.uri, step: t.step, path: t.path });
    for (const o of listed.value) {
      if (seen.has(o.uri)) continue;
      seen.add(o.uri);
      const state = await objectState(sink, o);
      if (!state.ok) return err({ kind: 'invalid', message: `${got.value.file}: step "${t.step}" ${t.path}: ${state.error}` });
      objects.push({ uri: o.uri, size: o.size, etag: o.etag, state: state.value, step: t.step, path: t.path });
    }
  }
  const report: PullReport = {
    definitionFile: got.value.file, region: clients.region, dryRun: opts.dryRun, objects, notFound,
    runtime: found.runtime, defaulted: found.defaulted, fetchedBytes: 0, problems: [],
    ...(got.value.pipeline !== undefined ? { pipeline: got.value.pipeline } : {}),
  };
  if (opts.dryRun) return ok(report);
  if (source.kind === 'pipeline') await writeFile(got.value.file, got.value.text);
  const todo = objects.filter((o) => o.state !== 'present');
  opts.listener?.planned?.(todo);
  await mapLimit(todo, FETCH_CONCURRENCY, async (line) => {
    const { bucket, key } = splitS3(line.uri);
    const r = await fetchObject(clients.s3, sink, { uri: line.uri, bucket, key, etag: line.etag, size: line.size }, (n) => {
      report.fetchedBytes += n;
      opts.listener?.bytes?.(n);
    });
    if (!r.ok) report.problems.push(r.error);
    else opts.listener?.fetched?.(line);
  });
  recordPulledDefinition(sink.db, {
    path: got.value.file, textHash: definitionTextHash(got.value.text), source: source.kind === 'pipeline' ? 'describe-pipeline' : 'file',
    pulledAt: Date.now(), region: clients.region, ...(got.value.pipeline !== undefined ? { pipeline: got.value.pipeline } : {}),
  });
  return ok(report);
}

async function definitionText(clients: CloudClients, source: PullSource): Promise<Result<{ text: string; file: string; pipeline?: string }, PullError>> {
  if (source.kind === 'file') {
    const file = resolve(source.path);
    try {
      return ok({ text: await readFile(file, 'utf8'), file, ...(source.name !== undefined ? { pipeline: source.name } : {}) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return err({ kind: 'invalid', message: code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${(e as Error).message})` });
    }
  }
  try {
    const d = await clients.sagemaker.send(new DescribePipelineCommand({ PipelineName: source.name }));
    if (d.PipelineDefinition === undefined) return err({ kind: 'failed', message: `SageMaker returned no definition for the pipeline ${source.name}.` });
    return ok({ text: d.PipelineDefinition, file: resolve(source.out), pipeline: d.PipelineName ?? source.name });
  } catch (e) {
    return err({ kind: 'failed', message: `Could not describe the pipeline ${source.name} in ${clients.region}: ${awsErrorText(e)}` });
  }
}
