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
 * Relative paths are resolved from the working directory, as the SDK does.
 */
export type CodeShape = 'file' | 'sourcedir';

export function codeLocation(kind: string, what: string, value: string, ctx: BuildContext | undefined, shape: CodeShape): string {
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
  const hash = shape === 'file' ? sha256(readFileSync(abs)) : treeHash(abs);
  const uri = s3PathJoin('s3://', ctx.defaultBucket, ctx.pipelineName, 'code', hash, shape === 'file' ? basename(abs) : 'sourcedir.tar.gz');
  if (!ctx.assets.some((a) => a.uri === uri)) ctx.assets.push(shape === 'file' ? { uri, file: abs } : { uri, dir: abs });
  return uri;
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 over `<file sha256> <relative path>` lines of every file under `dir`, sorted by path. */
function treeHash(dir: string): string {
  const lines: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const child = rel === '' ? name : `${rel}/${name}`;
      const st = statSync(join(dir, child));
      if (st.isDirectory()) walk(child);
      else if (st.isFile()) lines.push(`${sha256(readFileSync(join(dir, child)))} ${child}`);
    }
  };
  walk('');
  return sha256(lines.join('\n'));
}
