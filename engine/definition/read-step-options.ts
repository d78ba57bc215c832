import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import { appendIndex, appendKey } from '../../kernel/json-path.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { parseDuration } from '../../kernel/duration.js';
import type { CacheConfig, StepDef } from '../../contracts/definition.js';
import { literalOutputNames } from './step-properties.js';

type PropertyFile = NonNullable<StepDef['propertyFiles']>[number];

/** `CacheConfig: {Enabled, ExpireAfter?}`. */
export function readCacheConfig(v: JsonValue, path: string, step: string | undefined, sink: DiagnosticSink): CacheConfig | undefined {
  if (!isJsonObject(v)) {
    sink.report(path, 'invalid-cache-config', 'CacheConfig must be an object like {"Enabled": true, "ExpireAfter": "P30D"}', step);
    return undefined;
  }
  let sound = true;
  if (typeof v.Enabled !== 'boolean') {
    sink.report(appendKey(path, 'Enabled'), 'invalid-cache-config', 'CacheConfig needs "Enabled" (true or false)', step);
    sound = false;
  }
  const config: CacheConfig = { enabled: v.Enabled === true };
  if (v.ExpireAfter !== undefined) {
    const ms = typeof v.ExpireAfter === 'string' ? parseDuration(v.ExpireAfter) : undefined;
    if (ms === undefined) {
      sink.report(
        appendKey(path, 'ExpireAfter'),
        'invalid-cache-config',
        `ExpireAfter ${JSON.stringify(v.ExpireAfter)} is not a duration (use ISO-8601 like "P30D" or "PT1H", or the short form "30d")`,
        step,
      );
      sound = false;
    } else {
      config.expireAfter = v.ExpireAfter as string;
      config.expireAfterMs = ms;
    }
  }
  return sound ? config : undefined;
}

/** `PropertyFiles: [{PropertyFileName, OutputName, FilePath}]`; OutputName must be one of a Processing step's outputs. */
export function readPropertyFiles(
  v: JsonValue,
  path: string,
  step: { name?: string; type?: string; args?: JsonValue },
  sink: DiagnosticSink,
): PropertyFile[] | undefined {
  if (!Array.isArray(v)) {
    sink.report(path, 'invalid-property-file', '"PropertyFiles" must be an array', step.name);
    return undefined;
  }
  const outputs = step.type === 'Processing' && step.args !== undefined ? literalOutputNames(step.args) : undefined;
  const files: PropertyFile[] = [];
  v.forEach((f, i) => {
    const fp = appendIndex(path, i);
    if (!isJsonObject(f) || typeof f.PropertyFileName !== 'string' || typeof f.OutputName !== 'string' || typeof f.FilePath !== 'string') {
      sink.report(fp, 'invalid-property-file', 'property file needs "PropertyFileName", "OutputName" and "FilePath" (strings)', step.name);
      return;
    }
    if (outputs !== undefined && !outputs.includes(f.OutputName)) {
      const known = outputs.length === 0 ? 'the step has no outputs' : `outputs: ${outputs.map((o) => `"${o}"`).join(', ')}`;
      sink.report(
        appendKey(fp, 'OutputName'),
        'invalid-property-file',
        `property file "${f.PropertyFileName}" names unknown output "${f.OutputName}" (${known})`,
        step.name,
      );
    }
    files.push({ propertyFileName: f.PropertyFileName, outputName: f.OutputName, filePath: f.FilePath });
  });
  return files;
}
