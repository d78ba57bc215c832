import { join, resolve } from 'node:path';
import { resolveHome } from '../contracts/home.js';
import { describeThrown, importUserModule, MISSING_CAIRN } from '../kernel/load-module.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { Asset } from '../sdk/build-context.js';

/** What a pipeline module's default export gave: the definition text and the pipeline's own name. */
export interface ModuleDefinition {
  text: string;
  name: string;
  /** Files the definition refers to that cairn must put into the object store (local code, runproc.sh). */
  assets: Asset[];
}

/**
 * Imports a `.ts`/`.js`/`.mjs` pipeline module and renders its default export (a `Pipeline`) to definition JSON.
 * TypeScript is transpiled with `typescript` (syntax only, no type check) to a hidden `.mjs` beside the file, so its
 * relative imports and packages resolve as they would for the source, then removed; the compiled text is kept in
 * $CAIRN_HOME/compiled (by content) once the module built a pipeline. `cairn/sdk` imports are pointed at this cairn's
 * own SDK. Problems come back as lines naming the user's file (and line:col where known).
 */
export async function loadPipelineModule(file: string): Promise<Result<ModuleDefinition, string[]>> {
  const mod = await importUserModule(file, {
    cacheDir: join(resolveHome().root, 'compiled'), what: 'building the pipeline failed', retryCompiledOn: MISSING_CAIRN,
  });
  if (!mod.ok) return mod;
  return render(file, resolve(file), mod.value);
}

function render(file: string, abs: string, mod: { default?: unknown }): Result<ModuleDefinition, string[]> {
  const p = mod.default as { name?: unknown; definition?: unknown; assets?: unknown } | undefined;
  if (p === undefined) return err([`${file}: the module has no default export (write \`export default new Pipeline({...})\`)`]);
  if (typeof p !== 'object' || p === null || typeof p.definition !== 'function' || typeof p.name !== 'string') {
    return err([`${file}: the default export is not a Pipeline (from cairn/sdk)`]);
  }
  let text: unknown;
  try {
    text = (p.definition as () => unknown).call(p);
  } catch (e) {
    return err(describeThrown(file, abs, e, 'building the pipeline failed'));
  }
  if (typeof text !== 'string') return err([`${file}: Pipeline.definition() did not return JSON text`]);
  const assets = typeof p.assets === 'function' ? (p.assets as () => Asset[]).call(p) : [];
  return ok({ text, name: p.name, assets });
}
