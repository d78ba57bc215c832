import { dirname, resolve } from 'node:path';
import { parseImageReference } from '../kernel/image-reference.js';
import { isJsonObject, type JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';

/** The project's configuration file, read from the working directory (contracts/cairn-config-file.ts). */
export const CAIRN_CONFIG_FILE = 'cairn.json';
/** sagemaker.lambda_helper.Lambda's default function timeout, in seconds. */
export const DEFAULT_LAMBDA_TIMEOUT_S = 120;

/** A JS/TS module whose export is called as the function: `handler(event, context)`. */
export interface ModuleHandler {
  kind: 'module';
  /** Absolute path of the module (written relative to cairn.json's directory). */
  module: string;
  /** As written in cairn.json, for messages. */
  moduleAsWritten: string;
  export: string;
  timeoutS: number;
}

/** A command run in a container: the event in /opt/cairn/lambda/event.json, the result in result.json or stdout. */
export interface CommandHandler {
  kind: 'command';
  command: string[];
  image: string;
  timeoutS: number;
}

export type LambdaHandler = ModuleHandler | CommandHandler;

/**
 * cairn.json, checked:
 * `{"images": {"<uri as written or * pattern>": "<local image>"}, "lambdas": {"<function ARN or * pattern>": <handler>}}`.
 * Both sections are optional; other top-level keys are ignored.
 */
export interface CairnConfig {
  /** Where it was read from; undefined when there is no cairn.json. */
  file?: string;
  images: Record<string, string>;
  lambdas: Record<string, LambdaHandler>;
}

export function emptyCairnConfig(): CairnConfig {
  return { images: {}, lambdas: {} };
}

const IMAGES_EXAMPLE = 'e.g. {"images": {"<image uri>": "<local image>"}}';

/** The cairn.json line that would map `arn` to a handler module (for "no handler" messages). */
export function lambdaConfigExample(arn: string): string {
  return `{"lambdas": {${JSON.stringify(arn)}: {"module": "./handlers/handler.ts", "export": "handler"}}}`;
}

/** Parses and checks the text of cairn.json; an error names the file, the JSON path and the fix. */
export function parseCairnConfig(text: string, file: string): Result<CairnConfig, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return err(`${file} is not valid JSON (${(e as Error).message}); fix the syntax, ${IMAGES_EXAMPLE}.`);
  }
  return readCairnConfig(doc, file);
}

/** Checks a parsed cairn.json; module paths are taken relative to the file's directory. */
export function readCairnConfig(doc: unknown, file: string): Result<CairnConfig, string> {
  if (!isJsonObject(doc)) return err(`${file} must hold a JSON object, ${IMAGES_EXAMPLE}.`);
  const images = readImages(doc.images, file);
  if (!images.ok) return images;
  const lambdas = readLambdas(doc.lambdas, file);
  if (!lambdas.ok) return lambdas;
  return ok({ file, images: images.value, lambdas: lambdas.value });
}

function readImages(section: JsonValue | undefined, file: string): Result<Record<string, string>, string> {
  if (section === undefined) return ok({});
  if (!isJsonObject(section)) return err(`${file}: "images" must be an object mapping image URIs to local images, ${IMAGES_EXAMPLE}.`);
  const entries: Record<string, string> = {};
  for (const [key, value] of Object.entries(section)) {
    if (key.trim() === '') return err(`${file}: "images" has an empty key; write the image URI exactly as the pipeline definition does.`);
    if (typeof value !== 'string' || value.trim() === '') {
      return err(`${file}: images[${JSON.stringify(key)}] must be a non-empty string naming a local image (for example "cairn-local/python:3.11-numpy"), not ${JSON.stringify(value)}.`);
    }
    const grammar = parseImageReference(value.trim());
    if (!grammar.ok) {
      return err(`${file}: images[${JSON.stringify(key)}] is ${JSON.stringify(value)}, which is not a valid Docker image reference: ${grammar.error}.`);
    }
    entries[key] = value.trim();
  }
  return ok(entries);
}

function readLambdas(section: JsonValue | undefined, file: string): Result<Record<string, LambdaHandler>, string> {
  if (section === undefined) return ok({});
  if (!isJsonObject(section)) {
    return err(`${file}: "lambdas" must be an object mapping function ARNs to handlers, e.g. ${lambdaConfigExample('arn:aws:lambda:*:*:function:my-fn')}.`);
  }
  const entries: Record<string, LambdaHandler> = {};
  for (const [key, value] of Object.entries(section)) {
    if (key.trim() === '') return err(`${file}: "lambdas" has an empty key; write the FunctionArn exactly as the pipeline definition does (or a pattern with *).`);
    const h = readHandler(value, `${file}: lambdas[${JSON.stringify(key)}]`, dirname(resolve(file)));
    if (!h.ok) return h;
    entries[key] = h.value;
  }
  return ok(entries);
}

function readHandler(v: JsonValue, where: string, baseDir: string): Result<LambdaHandler, string> {
  const shapes = '{"module": "./handlers/h.ts", "export": "handler"} or {"command": ["python3", "/code/h.py"], "image": "<local image>"}';
  if (!isJsonObject(v)) return err(`${where} must be an object: ${shapes}.`);
  const known = new Set(['module', 'export', 'command', 'image', 'timeout']);
  const unknown = Object.keys(v).filter((k) => !known.has(k));
  if (unknown.length > 0) return err(`${where} has unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')}; expected ${shapes} (and optionally "timeout" in seconds).`);
  let timeoutS = DEFAULT_LAMBDA_TIMEOUT_S;
  if (v.timeout !== undefined) {
    if (typeof v.timeout !== 'number' || !Number.isFinite(v.timeout) || v.timeout <= 0) {
      return err(`${where}.timeout must be a positive number of seconds, not ${JSON.stringify(v.timeout)}.`);
    }
    timeoutS = v.timeout;
  }
  const hasModule = v.module !== undefined;
  const hasCommand = v.command !== undefined;
  if (hasModule === hasCommand) return err(`${where} must give either "module" or "command" (not ${hasModule ? 'both' : 'neither'}): ${shapes}.`);
  if (hasModule) {
    if (typeof v.module !== 'string' || v.module.trim() === '') return err(`${where}.module must be a path to a .ts/.js/.mjs file, not ${JSON.stringify(v.module)}.`);
    if (!/\.(m?ts|m?js)$/i.test(v.module)) return err(`${where}.module must name a .ts, .mts, .js or .mjs file, not "${v.module}".`);
    if (v.image !== undefined) return err(`${where}: "image" goes with "command", not with "module".`);
    const exp = v.export ?? 'handler';
    if (typeof exp !== 'string' || exp.trim() === '') return err(`${where}.export must name the module's exported function (default "handler"), not ${JSON.stringify(exp)}.`);
    return ok({ kind: 'module', module: resolve(baseDir, v.module), moduleAsWritten: v.module, export: exp, timeoutS });
  }
  const command = v.command;
  if (!Array.isArray(command) || command.length === 0 || !command.every((c): c is string => typeof c === 'string')) {
    return err(`${where}.command must be a non-empty list of strings (the program and its arguments), not ${JSON.stringify(v.command)}.`);
  }
  if (typeof v.image !== 'string' || v.image.trim() === '') return err(`${where}: a "command" handler needs "image", the local image to run it in.`);
  const grammar = parseImageReference(v.image.trim());
  if (!grammar.ok) return err(`${where}.image is ${JSON.stringify(v.image)}, which is not a valid Docker image reference: ${grammar.error}.`);
  if (v.export !== undefined) return err(`${where}: "export" goes with "module", not with "command".`);
  return ok({ kind: 'command', command, image: v.image.trim(), timeoutS });
}
