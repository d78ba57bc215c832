import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../kernel/diagnostic.js';
import { loadDefinitionText } from '../engine/definition/load-definition.js';
import type { Definition } from '../contracts/definition.js';
import { err, ok, type Result } from '../kernel/result.js';
import { SUPPORTED_STEP_TYPES } from '../steps/executor-registry.js';
import { SDK_STEP_TYPES } from '../engine/definition/step-types.js';
import { resolveHome } from '../contracts/home.js';
import { MODULE_EXTENSIONS } from '../kernel/load-module.js';
import { loadPipelineModule } from './load-pipeline-module.js';
import { writeAssets } from './write-assets.js';
import { recordedPipelineName } from './pulled-name.js';

export interface LoadedPipeline {
  definition: Definition;
  /** The definition JSON text (what a run stores and a resume executes). */
  text: string;
  /**
   * Pipeline name: `--name`, else a module's `Pipeline.name`, else the name `cairn pull` recorded for the file
   * (cli/pulled-name.ts), else the file name without its extension.
   */
  name: string;
}

/**
 * Reads a pipeline definition (`.json`, or a `.ts`/`.js`/`.mjs` module whose default export is a cairn/sdk
 * `Pipeline`) and validates it; every problem comes back as one formatted line.
 */
export async function loadPipeline(file: string, name?: string, opts: LoadOptions = {}): Promise<Result<LoadedPipeline, string[]>> {
  const ext = extname(file).toLowerCase();
  if (MODULE_EXTENSIONS.has(ext)) return loadModule(file, name, opts);
  if (ext !== '.json') {
    return err([`${file}: cairn reads pipeline definitions from .json files or .ts/.js/.mjs modules (got "${ext || 'no extension'}")`]);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return err([code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${(e as Error).message})`]);
  }
  const r = loadDefinitionText(text, file, { supportedStepTypes: stepTypes(opts) });
  if (!r.ok) return err(r.error.map(formatDiagnostic));
  return ok({ definition: r.value, text, name: name ?? recordedPipelineName(file, text) ?? basename(file, extname(file)) });
}

/**
 * `selective`: a selective execution (`--steps`), where a step of an SDK type cairn cannot run is no refusal by itself:
 * it is refused only when the selection needs it (`plan` blocks it, `run` refuses it), and is otherwise not run.
 */
export interface LoadOptions {
  selective?: boolean;
}

const ANY_SDK_STEP_TYPE: ReadonlySet<string> = new Set([...SDK_STEP_TYPES, ...SUPPORTED_STEP_TYPES]);
const stepTypes = (opts: LoadOptions): ReadonlySet<string> => (opts.selective === true ? ANY_SDK_STEP_TYPE : SUPPORTED_STEP_TYPES);

async function loadModule(file: string, name: string | undefined, opts: LoadOptions): Promise<Result<LoadedPipeline, string[]>> {
  const m = await loadPipelineModule(file);
  if (!m.ok) return m;
  const written = await writeAssets(resolveHome().root, m.value.assets);
  if (!written.ok) return err([`${file}: ${written.error}`]);
  const r = loadDefinitionText(m.value.text, file, { supportedStepTypes: stepTypes(opts) });
  if (!r.ok) return err(r.error.map(formatGenerated));
  return ok({ definition: r.value, text: m.value.text, name: name ?? m.value.name });
}

/** A problem in a module's generated definition: line:col of the JSON would mislead, so the JSON path locates it. */
function formatGenerated(d: Diagnostic): string {
  const where = d.step === undefined ? '' : ` (step "${d.step}")`;
  return `${d.file}: generated definition ${d.path}${where}: ${d.message}`;
}

/** Re-validates the definition text stored with a run (for `resume`; `selective`: the run was a selective execution). */
export function loadStoredDefinition(text: string, file: string, opts: LoadOptions = {}): Result<Definition, string> {
  const r = loadDefinitionText(text, file, { supportedStepTypes: stepTypes(opts) });
  return r.ok ? r : err(r.error.map(formatDiagnostic).join('\n'));
}
