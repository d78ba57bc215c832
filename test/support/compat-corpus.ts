import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The compatibility corpus: real SageMaker pipeline definitions kept outside this repository. `npm run test:compat --
 * <dir>` passes its folder as CAIRN_COMPAT_DIR; without it the folder beside the clone is used when present.
 */
export const DEFAULT_COMPAT_DIR = resolve(import.meta.dirname, '../../../shared/compat/sagemaker-definitions');

export function compatDir(): string {
  const dir = process.env.CAIRN_COMPAT_DIR ?? DEFAULT_COMPAT_DIR;
  if (!existsSync(dir)) {
    throw new Error(`the compatibility corpus folder ${dir} does not exist: run npm run test:compat -- <folder of SageMaker definition JSON files>`);
  }
  return dir;
}

/** The corpus's definition files (*.json), sorted. */
export function compatFiles(): string[] {
  return readdirSync(compatDir()).filter((f) => f.endsWith('.json')).sort();
}

export function compatPath(file: string): string {
  return join(compatDir(), file);
}

export function readCompat<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(compatPath(file), 'utf8')) as T;
}
