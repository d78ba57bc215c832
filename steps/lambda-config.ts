import { loadCairnConfig } from '../contracts/cairn-config-file.js';
import { lambdaConfigExample, readCairnConfig, type LambdaHandler } from '../contracts/cairn-config.js';
import { PatternMap } from '../kernel/pattern-map.js';
import { ok, type Result } from '../kernel/result.js';

// The handler shapes and their schema are part of cairn.json's contract (contracts/cairn-config.ts).
export {
  DEFAULT_LAMBDA_TIMEOUT_S, lambdaConfigExample,
  type CommandHandler, type LambdaHandler, type ModuleHandler,
} from '../contracts/cairn-config.js';

export interface LambdaMatch {
  /** The key of cairn.json's `lambdas` that matched (exact ARN or `*` pattern). */
  pattern: string;
  handler: LambdaHandler;
}

/**
 * `{"lambdas": {"<function ARN or * pattern>": {"module": "./h.ts", "export": "handler"} | {"command": [...], "image": "…"}}}`
 * from cairn.json, looked up through the kernel's PatternMap as `images` is: an exact key beats every pattern; among
 * patterns the longer one wins.
 */
export class LambdaMap {
  private readonly map: PatternMap<LambdaHandler>;

  constructor(entries: Readonly<Record<string, LambdaHandler>>, readonly file?: string) {
    this.map = new PatternMap(entries);
  }

  static empty(): LambdaMap {
    return new LambdaMap({});
  }

  get size(): number {
    return this.map.size;
  }

  lookup(arn: string): LambdaMatch | undefined {
    const hit = this.map.lookup(arn);
    return hit ? { pattern: hit.pattern, handler: hit.value } : undefined;
  }
}

/** The `lambdas` of `<dir>/cairn.json` (contracts/cairn-config-file.ts); no file or no section is an empty map. */
export async function loadLambdaMap(dir: string): Promise<Result<LambdaMap, string>> {
  const config = await loadCairnConfig(dir);
  return config.ok ? ok(new LambdaMap(config.value.lambdas, config.value.file)) : config;
}

/** The `lambdas` of a parsed cairn.json (the whole document is checked); module paths are relative to the file's directory. */
export function parseLambdaMap(doc: unknown, file: string): Result<LambdaMap, string> {
  const config = readCairnConfig(doc, file);
  return config.ok ? ok(new LambdaMap(config.value.lambdas, file)) : config;
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
