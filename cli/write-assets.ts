import { existsSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { placeVia } from '../cache/cas.js';
import { uriToHostPath } from '../cache/uri.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { Asset } from '../sdk/build-context.js';
import { packDirectoryDeterministic } from '../steps/deterministic-tar.js';

/**
 * Puts a pipeline module's assets (local code, generated runproc.sh) into the object store at the content-hashed
 * keys its definition names, as the SDK uploads them to S3. A key that exists already holds the same content and is
 * kept; a new one is written aside and renamed into place, so an interrupted write leaves nothing under the key.
 */
export async function writeAssets(home: string, assets: readonly Asset[]): Promise<Result<number, string>> {
  let written = 0;
  for (const asset of assets) {
    const target = uriToHostPath(home, asset.uri);
    if (!target.ok) return err(`cannot place ${asset.uri}: ${target.error}`);
    if (existsSync(target.value)) continue;
    try {
      // written in <home>/tmp and renamed into place: an interrupted write leaves no temp file in the s3/ view
      await placeVia(home, target.value, async (tmp) => {
        if ('body' in asset) await writeFile(tmp, asset.body);
        else if ('file' in asset) await copyFile(asset.file, tmp);
        else await packDirectoryDeterministic(asset.dir, tmp);
      });
      written += 1;
    } catch (e) {
      const from = 'file' in asset ? asset.file : 'dir' in asset ? asset.dir : 'generated text';
      return err(`cannot write ${asset.uri} (from ${from}) into the object store: ${(e as Error).message}`);
    }
  }
  return ok(written);
}
