import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { isS3Uri, s3PathJoin } from './entities.js';
import type { BuildContext } from './build-context.js';

/**
 * Code given as a local path, as the Python SDK allows: a script (`code`) or a directory (`sourceDir`). Inside a
 * pipeline the SDK uploads it under a content-hashed key so that a code change changes the step's cache key; cairn
 * does the same: the definition names `s3://<bucket>/<pipeline>/code/<sha256>/<script | sourcedir.tar.gz>` and the
 * pipeline lists an asset that `cairn run|plan` writes into the object store (a directory packed deterministically).
 * The hash is the SDK's own (`hash_files_or_dirs` over the paths as written), so the keys are the ones the Python SDK
 * writes for the same paths. Relative paths are resolved from the working directory, as the SDK does.
 */
export type CodeShape = 'file' | 'sourcedir';

export function codeLocation(
  kind: string, what: string, value: string, ctx: BuildContext | undefined, shape: CodeShape, hashed: readonly string[] = [value],
): string {
  if (isS3Uri(value)) return value;
  const abs = resolve(value);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new Error(`${kind}: ${what} ${JSON.stringify(value)} is neither an s3:// URI nor an existing local ${shape === 'file' ? 'file' : 'directory'} (looked at ${abs})`);
  }
  if (shape === 'sourcedir' && !isDir) throw new Error(`${kind}: ${what} ${JSON.stringify(value)} must be a directory (the code to pack into sourcedir.tar.gz)`);
  if (shape === 'file' && isDir) throw new Error(`${kind}: ${what} ${JSON.stringify(value)} must be a file (the script to run)`);
  // Validation only (no pipeline yet): a stand-in URI of the right shape.
  if (ctx === undefined) return `s3://validation/code/${shape === 'file' ? basename(abs) : 'sourcedir.tar.gz'}`;
  const hash = sdkCodeHash(hashed);
  const uri = s3PathJoin('s3://', ctx.defaultBucket, ctx.pipelineName, 'code', hash, shape === 'file' ? basename(abs) : 'sourcedir.tar.gz');
  if (!ctx.assets.some((a) => a.uri === uri)) ctx.assets.push(shape === 'file' ? { uri, file: abs } : { uri, dir: abs });
  return uri;
}

/**
 * sagemaker.workflow.utilities.hash_files_or_dirs: sha256 over, for each path in sorted order, the path as written,
 * then a file's bytes, or for a directory each entry's name (sorted) followed by its bytes or its own entries.
 */
export function sdkCodeHash(paths: readonly string[]): string {
  const h = createHash('sha256');
  const dir = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      h.update(name);
      const child = join(d, name);
      const st = statSync(child);
      if (st.isFile()) h.update(readFileSync(child));
      else if (st.isDirectory()) dir(child);
    }
  };
  for (const p of [...paths].sort()) {
    h.update(p);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) dir(p);
    else if (st?.isFile()) h.update(readFileSync(p));
  }
  return h.digest('hex');
}
