import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as TS from 'typescript';
import { err, ok, type Result } from './result.js';

type TsApi = (typeof TS)['default'];

export const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);
const SDK_SPECIFIER = 'cairn/sdk';
/** Changes whenever the compiled output would change for the same source. */
const COMPILE_VERSION = 'cairn-ts-1';
/** What Node says when a module outside this package imports `cairn/...`: such a `.js` module is compiled instead. */
export const MISSING_CAIRN = "Cannot find package 'cairn'";
/** This checkout's (or installation's) SDK entry, which `cairn/sdk` imports are pointed at (the source under tests). */
const SDK_ENTRY = ((): string => {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = resolve(here, '../sdk/index.js');
  return pathToFileURL(existsSync(built) ? built : resolve(here, '../sdk/index.ts')).href;
})();
/** The same for `cairn/registry` (the model registry's types and API, for Lambda handlers). */
const REGISTRY_ENTRY = ((): string => {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = resolve(here, '../registry/index.js');
  return pathToFileURL(existsSync(built) ? built : resolve(here, '../registry/index.ts')).href;
})();
const ENTRIES: Record<string, string> = { [SDK_SPECIFIER]: SDK_ENTRY, 'cairn/registry': REGISTRY_ENTRY };

/**
 * Imports a user's `.ts`/`.mts`/`.js`/`.mjs` module (pipelines, Lambda handlers) and returns its namespace; compiled
 * TypeScript is kept in `cacheDir` by content. A `.js`
 * module is imported as it is unless that fails with `retryCompiledOn` in the error (then it is compiled like
 * TypeScript). Problems come back as lines naming the user's file (and line:col where known), `what` saying what failed.
 */
export async function importUserModule(
  file: string, opts: { cacheDir: string; what?: string; retryCompiledOn?: string },
): Promise<Result<Record<string, unknown>, string[]>> {
  const { cacheDir, what = 'importing the module failed', retryCompiledOn } = opts;
  const abs = resolve(file);
  const ext = extname(abs).toLowerCase();
  let source: string;
  try {
    source = await readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return err([code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${(e as Error).message})`]);
  }
  if (ext !== '.ts' && ext !== '.mts') {
    const direct = await evaluate(file, abs, abs, what);
    // A .js module outside the cairn package cannot resolve `cairn/sdk` itself: compile it like TypeScript.
    if (direct.ok || retryCompiledOn === undefined || !direct.error.some((l) => l.includes(retryCompiledOn))) return direct;
  }
  // Loading `typescript` costs seconds: compiled modules are kept in $CAIRN_HOME/compiled by content.
  const key = createHash('sha256').update(`${COMPILE_VERSION}\0${abs}\0${SDK_ENTRY}\0${REGISTRY_ENTRY}\0${source}`).digest('hex');
  const cached = join(cacheDir, `${key}.mjs`);
  let compiled = await readFile(cached, 'utf8').catch(() => undefined);
  const fresh = compiled === undefined;
  if (compiled === undefined) {
    const r = await transpile(file, abs, source);
    if (!r.ok) return r;
    compiled = r.value;
  }
  const out = join(dirname(abs), `.${basename(abs)}.cairn-${randomBytes(4).toString('hex')}.mjs`);
  try {
    await writeFile(out, compiled);
  } catch (e) {
    return err([`${file}: cannot write the compiled module beside it (${(e as Error).message})`]);
  }
  try {
    const result = await evaluate(file, abs, out, what);
    if (result.ok && fresh) await mkdir(dirname(cached), { recursive: true }).then(() => writeFile(cached, compiled)).catch(() => undefined);
    return result;
  } finally {
    await rm(out, { force: true });
  }
}

async function transpile(file: string, abs: string, source: string): Promise<Result<string, string[]>> {
  let ts: TsApi;
  try {
    ts = (await import('typescript')).default;
  } catch {
    return err([`${file}: compiling TypeScript needs the "typescript" package, which is not installed`]);
  }
  const r = ts.transpileModule(source, {
    fileName: abs,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true, esModuleInterop: true,
    },
    transformers: { before: [rewriteSdkImports(ts)] },
  });
  const errors = (r.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) return err(errors.map((d) => formatTsDiagnostic(ts, file, d)));
  return ok(r.outputText);
}

function formatTsDiagnostic(ts: TsApi, file: string, d: TS.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (d.file === undefined || d.start === undefined) return `${file}: error TS${d.code}: ${message}`;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${file}:${line + 1}:${character + 1}: error TS${d.code}: ${message}`;
}

/** Points `import … from 'cairn/sdk'` / `'cairn/registry'` (and `export … from`) at this cairn's own, wherever the module lives. */
function rewriteSdkImports(ts: TsApi): TS.TransformerFactory<TS.SourceFile> {
  return (context) => (sf) => {
    const f = context.factory;
    const entry = (s: TS.Expression | undefined): string | undefined => (s !== undefined && ts.isStringLiteral(s) ? ENTRIES[s.text] : undefined);
    const visit = (node: TS.Node): TS.Node => {
      const target = ts.isImportDeclaration(node) || ts.isExportDeclaration(node) ? entry(node.moduleSpecifier) : undefined;
      if (target !== undefined && ts.isImportDeclaration(node)) {
        return f.updateImportDeclaration(node, node.modifiers, node.importClause, f.createStringLiteral(target), node.attributes);
      }
      if (target !== undefined && ts.isExportDeclaration(node)) {
        return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, f.createStringLiteral(target), node.attributes);
      }
      return node;
    };
    return ts.visitEachChild(sf, visit, context);
  };
}

async function evaluate(file: string, abs: string, target: string, what: string): Promise<Result<Record<string, unknown>, string[]>> {
  process.setSourceMapsEnabled(true);
  try {
    return ok(await import(`${pathToFileURL(target).href}?t=${Date.now()}`) as Record<string, unknown>);
  } catch (e) {
    return err(describeThrown(file, abs, e, what));
  }
}

/** `file:line:col: <what>: <message>` at the first stack frame in the user's file, then that file's frames. */
export function describeThrown(file: string, abs: string, e: unknown, what: string): string[] {
  const error = e instanceof Error ? e : new Error(String(e));
  const url = pathToFileURL(abs).href;
  const frames = (error.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l) && (l.includes(url) || l.includes(abs)));
  const first = frames[0] === undefined ? undefined : /:(\d+):(\d+)\)?\s*$/.exec(frames[0]);
  const where = first === null || first === undefined ? file : `${file}:${first[1]}:${first[2]}`;
  const lines = [`${where}: ${what}: ${error.message}`];
  for (const f of frames) lines.push(`    ${f.trim().replace(url, file).replace(abs, file)}`);
  return lines;
}
