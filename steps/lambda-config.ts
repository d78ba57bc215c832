import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isJsonObject, type JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';

export const LAMBDA_CONFIG_FILE = 'cairn.json';
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

export interface LambdaMatch {
  /** The key of cairn.json's `lambdas` that matched (exact ARN or `*` pattern). */
  pattern: string;
  handler: LambdaHandler;
}

/**
 * `{"lambdas": {"<function ARN or * pattern>": {"module": "./h.ts", "export": "handler"} | {"command": [...], "image": "…"}}}`
 * from cairn.json. As for `images`: an exact key beats every pattern; among patterns the longer one wins.
 */
export class LambdaMap {
  private readonly exact = new Map<string, LambdaHandler>();
  private readonly patterns: { pattern: string; regex: RegExp; handler: LambdaHandler }[] = [];

  constructor(entries: Record<string, LambdaHandler>, readonly file?: string) {
    for (const [pattern, handler] of Object.entries(entries)) {
      if (pattern.includes('*')) this.patterns.push({ pattern, regex: wildcardRegex(pattern), handler });
      else this.exact.set(pattern, handler);
    }
    this.patterns.sort((a, b) => b.pattern.length - a.pattern.length || (a.pattern < b.pattern ? -1 : 1));
  }

  static empty(): LambdaMap {
    return new LambdaMap({});
  }

  get size(): number {
    return this.exact.size + this.patterns.length;
  }

  lookup(arn: string): LambdaMatch | undefined {
    const handler = this.exact.get(arn);
    if (handler !== undefined) return { pattern: arn, handler };
    const hit = this.patterns.find((p) => p.regex.test(arn));
    return hit ? { pattern: hit.pattern, handler: hit.handler } : undefined;
  }
}

function wildcardRegex(pattern: string): RegExp {
  const body = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 's');
}

/** The cairn.json line that would map `arn` to a handler module (for "no handler" messages). */
export function lambdaConfigExample(arn: string): string {
  return `{"lambdas": {${JSON.stringify(arn)}: {"module": "./handlers/handler.ts", "export": "handler"}}}`;
}

/** Reads the `lambdas` section of `<dir>/cairn.json`; no file or no section is an empty map. */
export async function loadLambdaMap(dir: string): Promise<Result<LambdaMap, string>> {
  const file = join(dir, LAMBDA_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok(LambdaMap.empty());
    return err(`${file} could not be read (${(e as Error).message}); check its permissions.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return err(`${file} is not valid JSON (${(e as Error).message}); fix the syntax.`);
  }
  return parseLambdaMap(doc, file);
}

/** Validates the `lambdas` section of a parsed cairn.json; module paths are taken relative to the file's directory. */
export function parseLambdaMap(doc: unknown, file: string): Result<LambdaMap, string> {
  if (!isJsonObject(doc)) return err(`${file} must hold a JSON object, e.g. ${lambdaConfigExample('arn:aws:lambda:*:*:function:my-fn')}.`);
  const section = doc.lambdas;
  if (section === undefined) return ok(new LambdaMap({}, file));
  if (!isJsonObject(section)) {
    return err(`${file}: "lambdas" must be an object mapping function ARNs to handlers, e.g. ${lambdaConfigExample('arn:aws:lambda:*:*:function:my-fn')}.`);
  }
  const entries: Record<string, LambdaHandler> = {};
  for (const [key, value] of Object.entries(section)) {
    if (key.trim() === '') return err(`${file}: "lambdas" has an empty key; write the FunctionArn exactly as the pipeline definition does (or a pattern with *).`);
    const h = parseHandler(value, `${file}: lambdas[${JSON.stringify(key)}]`, dirname(resolve(file)));
    if (!h.ok) return h;
    entries[key] = h.value;
  }
  return ok(new LambdaMap(entries, file));
}

function parseHandler(v: JsonValue, where: string, baseDir: string): Result<LambdaHandler, string> {
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
  if (!Array.isArray(v.command) || v.command.length === 0 || !v.command.every((c) => typeof c === 'string')) {
    return err(`${where}.command must be a non-empty list of strings (the program and its arguments), not ${JSON.stringify(v.command)}.`);
  }
  if (typeof v.image !== 'string' || v.image.trim() === '') return err(`${where}: a "command" handler needs "image", the local image to run it in.`);
  if (v.export !== undefined) return err(`${where}: "export" goes with "module", not with "command".`);
  return ok({ kind: 'command', command: v.command as string[], image: v.image.trim(), timeoutS });
}

/**
 * Run preflight: a line per Lambda step (in `scope`, when given) whose literal FunctionArn has no handler in
 * `<dir>/cairn.json`, naming the step, the ARN and the fix; a malformed cairn.json is one line too.
 */
export async function unmappedLambdas(
  steps: readonly { name: string; type: string; raw: Record<string, unknown> }[], file: string, scope?: ReadonlySet<string>, dir: string = process.cwd(),
): Promise<string[]> {
  const lambdaSteps = steps.filter((s) => s.type === 'Lambda' && (scope === undefined || scope.has(s.name)));
  if (lambdaSteps.length === 0) return [];
  const map = await loadLambdaMap(dir);
  if (!map.ok) return [map.error];
  const out: string[] = [];
  for (const s of lambdaSteps) {
    const arn = s.raw.FunctionArn;
    if (typeof arn !== 'string' || map.value.lookup(arn) !== undefined) continue;
    out.push(`${file}: Lambda step "${s.name}": no local handler for FunctionArn "${arn}"; map it in ${map.value.file ?? './cairn.json'}, e.g. ${lambdaConfigExample(arn)}.`);
  }
  return out;
}
