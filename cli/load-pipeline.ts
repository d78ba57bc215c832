import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { formatDiagnostic } from '../engine/diagnostic.js';
import { loadDefinitionText } from '../engine/load-definition.js';
import type { Definition } from '../engine/model.js';
import { err, ok, type Result } from '../engine/result.js';
import { SUPPORTED_STEP_TYPES } from '../steps/executor-registry.js';

export interface LoadedPipeline {
  definition: Definition;
  /** The definition JSON text (what a run stores and a resume executes). */
  text: string;
  /** Pipeline name: `--name`, else the file name without its extension. */
  name: string;
}

/** Reads a pipeline definition file and validates it; every problem comes back as one formatted line. */
export async function loadPipeline(file: string, name?: string): Promise<Result<LoadedPipeline, string[]>> {
  const ext = extname(file).toLowerCase();
  if (ext !== '.json') {
    return err([`${file}: cairn reads pipeline definitions from .json files (got "${ext || 'no extension'}")`]);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return err([code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${(e as Error).message})`]);
  }
  const r = loadDefinitionText(text, file, { supportedStepTypes: SUPPORTED_STEP_TYPES });
  if (!r.ok) return err(r.error.map(formatDiagnostic));
  return ok({ definition: r.value, text, name: name ?? basename(file, extname(file)) });
}

/** Re-validates the definition text stored with a run (for `resume`). */
export function loadStoredDefinition(text: string, file: string): Result<Definition, string> {
  const r = loadDefinitionText(text, file, { supportedStepTypes: SUPPORTED_STEP_TYPES });
  return r.ok ? r : err(r.error.map(formatDiagnostic).join('\n'));
}
