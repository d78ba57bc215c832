import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ManifestEntry, RecordedOutput } from '../../contracts/artifacts.js';
import { blobPath } from '../../cache/cas.js';
import { linkedFile } from '../../cache/manifest-links.js';
import { findUpstream } from '../../cache/input-selection.js';
import { normalizeUri, uriToHostPath } from '../../cache/uri.js';
import { withCurrentTime } from '../definition/execution-vars.js';
import type { ExpressionContext } from '../definition/expressions.js';
import type { JsonValue } from '../../kernel/json.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../kernel/json-depth.js';
import { lookupJsonGetPath } from '../definition/json-get-path.js';
import type { Definition, StepDef } from '../../contracts/definition.js';
import { err, ok, type Result } from '../../kernel/result.js';
import type { RunContext } from './run-context.js';

/**
 * `Std:JsonGet`: reads a JSON document and follows a JsonPath into it.
 *
 * - `PropertyFile` (`Steps.S.PropertyFiles.P`): step S declares `PropertyFiles: [{PropertyFileName: P, OutputName,
 *   FilePath}]`; the file is `FilePath` inside the output `OutputName` that S recorded in this run. It is read from that
 *   output's manifest (content store), so a step reused from an earlier run serves exactly the bytes it recorded.
 * - `S3Uri`: a URI equal to or under an output recorded in this run is read from that output's manifest; any other
 *   URI is read from the embedded object store (`<home>/s3/…`) or the host path of a `file://` URI.
 */
export interface JsonGetSource {
  /** The artifact store's home (content store and s3 view). */
  home: string;
  definition: Definition;
  /** Outputs recorded by the run's steps so far (reused steps included). */
  outputs: ReadonlyMap<string, RecordedOutput[]>;
}

export type JsonGetRequest = Parameters<NonNullable<ExpressionContext['jsonGet']>>[0];

/** The expression context of a run: parameters, execution variables, step properties and `Std:JsonGet`. */
export function expressionContext(rc: Pick<RunContext, 'run' | 'properties' | 'outputs' | 'definition' | 'services'>): ExpressionContext {
  const source: JsonGetSource = { home: rc.services.artifacts.home, definition: rc.definition, outputs: rc.outputs };
  return {
    parameters: rc.run.parameters,
    execution: withCurrentTime(rc.run.execution),
    stepProperties: (name) => rc.properties.get(name),
    jsonGet: (req) => readJsonGet(source, req),
  };
}

export function readJsonGet(src: JsonGetSource, req: JsonGetRequest): Result<JsonValue, string> {
  const doc = req.s3Uri !== undefined ? readUri(src, req.s3Uri) : readPropertyFile(src, req.stepName ?? '', req.propertyFile ?? '');
  if (!doc.ok) {
    const why = doc.error.why === undefined ? '' : `: ${doc.error.why}`;
    return err(`Std:JsonGet cannot read path "${req.path}": ${doc.error.where} ${doc.error.problem}${why}.`);
  }
  const found = lookupJsonGetPath(doc.value.json, req.path);
  if (!found.ok) return err(`Std:JsonGet: path "${req.path}" not found in ${doc.value.where}: ${found.error}.`);
  // A job writes these files: a value nested past the definition's own bound would overflow the walks that follow.
  if (nestsDeeperThan(found.value)) {
    return err(`Std:JsonGet: the value at path "${req.path}" in ${doc.value.where} is nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays.`);
  }
  return found;
}

interface ReadFailure {
  where: string;
  problem: string;
  why?: string;
}

type Read = Result<{ json: JsonValue; where: string }, ReadFailure>;

function readPropertyFile(src: JsonGetSource, stepName: string, fileName: string): Read {
  const step = stepsOf(src.definition).get(stepName);
  const declared = step?.propertyFiles?.find((p) => p.propertyFileName === fileName);
  const named = `property file "${fileName}" of step "${stepName}"`;
  if (step === undefined) return err({ where: named, problem: 'does not exist', why: `the pipeline has no step "${stepName}"` });
  if (declared === undefined) {
    const has = (step.propertyFiles ?? []).map((p) => `"${p.propertyFileName}"`);
    return err({ where: named, problem: 'is not declared', why: has.length === 0 ? 'the step has no PropertyFiles' : `it declares ${has.join(', ')}` });
  }
  const outputs = src.outputs.get(stepName);
  if (outputs === undefined) return err({ where: named, problem: 'is not available', why: `step "${stepName}" has not run` });
  const output = outputs.find((o) => o.name === declared.outputName);
  if (output === undefined) {
    const names = outputs.map((o) => `"${o.name}"`).join(', ') || 'none';
    return err({ where: named, problem: 'is not available', why: `step "${stepName}" recorded no output "${declared.outputName}" (its outputs: ${names})` });
  }
  const rel = path.posix.normalize(declared.filePath.replace(/^\.?\/+/, ''));
  const uri = output.isFile ? output.uri : `${normalizeUri(output.uri)}/${rel}`;
  const where = `${named} (${declared.filePath} in output "${output.name}", ${uri})`;
  const entry = output.isFile ? output.files.find((f) => path.posix.basename(f.path) === rel) : output.files.find((f) => f.path === rel);
  if (entry === undefined) return err({ where, problem: 'does not exist', why: holds(output) });
  return parseBlob(src.home, entry, output.files, where);
}

function readUri(src: JsonGetSource, uri: string): Read {
  const where = uri;
  const recorded = findUpstream(uri, [...src.outputs.values()].flat());
  if (recorded !== undefined) {
    const rel = normalizeUri(uri).slice(normalizeUri(recorded.uri).length).replace(/^\/+/, '');
    const entry = recorded.isFile ? recorded.files[0] : recorded.files.find((f) => f.path === rel);
    if (entry === undefined) return err({ where, problem: 'does not exist', why: holds(recorded) });
    return parseBlob(src.home, entry, recorded.files, where);
  }
  const host = uriToHostPath(src.home, uri);
  if (!host.ok) return err({ where, problem: 'cannot be read', why: host.error.replace(/\.$/, '') });
  let text: string;
  try {
    text = readFileSync(host.value, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return err({ where, problem: 'does not exist', why: `no file at ${host.value}` });
    if (code === 'EISDIR') return err({ where, problem: 'is a directory', why: `expected a JSON file at ${host.value}` });
    return err({ where, problem: 'cannot be read', why: (e as Error).message });
  }
  return parseJson(text, where);
}

function parseBlob(home: string, recorded: ManifestEntry, all: readonly ManifestEntry[], where: string): Read {
  // a link kept in the output is read as the file it points to (cache/manifest-links.ts)
  const entry = linkedFile(recorded, all);
  if (entry === undefined) return err({ where, problem: 'does not exist', why: `it is a link to ${recorded.link ?? ''}, which is no file of the output` });
  let text: string;
  try {
    text = readFileSync(blobPath(home, entry.hash), 'utf8');
  } catch (e) {
    return err({ where, problem: 'cannot be read', why: `the content store lacks its bytes (${(e as Error).message})` });
  }
  return parseJson(text, where);
}

function parseJson(text: string, where: string): Read {
  try {
    return ok({ json: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as JsonValue, where });
  } catch (e) {
    return err({ where, problem: 'is not valid JSON', why: (e as Error).message.replace(/\.$/, '') });
  }
}

function holds(output: RecordedOutput): string {
  const files = output.files.map((f) => f.path);
  if (files.length === 0) return `output "${output.name}" is empty`;
  const shown = files.slice(0, 5).join(', ');
  return `output "${output.name}" holds ${files.length} file(s): ${shown}${files.length > 5 ? ', …' : ''}`;
}

const stepIndexes = new WeakMap<Definition, Map<string, StepDef>>();

function stepsOf(def: Definition): Map<string, StepDef> {
  let index = stepIndexes.get(def);
  if (index === undefined) stepIndexes.set(def, (index = new Map(def.steps.map((s) => [s.name, s]))));
  return index;
}
