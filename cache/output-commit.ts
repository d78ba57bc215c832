import path from 'node:path';
import { mkdir, stat } from 'node:fs/promises';
import { err, ok, type Result } from '../kernel/result.js';
import { stepFailure, type StepFailure } from '../contracts/step-failure.js';
import type { ManifestEntry, RecordedOutput } from '../contracts/artifacts.js';
import { moveIntoCas, placeAtomically } from './cas.js';
import { walkFiles, WalkError, type WalkedFile } from './file-walk.js';
import {
  compareBytewise,
  hashFiles,
  identityOf,
  mapLimit,
  MemoryHashCache,
  treeHash,
  type HashCache,
} from './hasher.js';
import { describeIoError } from './input-selection.js';
import { diskFullFailure } from './disk-full-failure.js';
import { parseUri } from './uri.js';

/**
 * Committing a finished output: hash every file, move it into the CAS, then hard-link each blob to its place under
 * the destination (temp name + rename, so each file appears complete or not at all). Files already at the
 * destination under other names stay, as they would in S3. A failure part-way leaves the files placed so far (each
 * complete) and no temp file; the blobs moved into the CAS stay there (harmless: content-addressed).
 */
const PLACE_CONCURRENCY = 8;

interface CommitContext {
  home: string;
  /** Learns the hashes of the placed files, so hashing the destination later costs only a stat per file. */
  hashCache: HashCache;
}

export async function commitDirectory(
  ctx: CommitContext,
  name: string,
  fromDir: string,
  destUri: string,
): Promise<Result<RecordedOutput, StepFailure>> {
  const dest = parseUri(ctx.home, destUri);
  if (!dest.ok) return err(failure(name, destUri, undefined, dest.error));
  const destPath = dest.value.hostPath;
  try {
    const walked = await walkFiles(fromDir);
    // Links first: their targets may be files of this output that are about to be moved away.
    const files = [...walked.files].sort((a, b) => Number(b.isLink) - Number(a.isLink));
    const hashed = await hashFiles(files.map((f) => ({ path: f.abs })), new MemoryHashCache());
    const entries: (ManifestEntry & { file: WalkedFile })[] = files.map((file, i) => {
      const h = hashed[i];
      if (h === undefined) throw new Error('hashFiles returned fewer results than requests');
      return { path: file.rel, hash: h.hash, size: h.size, file };
    });
    const blobs: string[] = [];
    for (const e of entries) blobs.push(await moveIntoCas(ctx.home, e.file.abs, e.hash, e.file.isLink));
    await mkdir(destPath, { recursive: true });
    await mapLimit(entries, PLACE_CONCURRENCY, async (e, _slot, i) => {
      const target = path.join(destPath, ...e.path.split('/'));
      await placeAtomically(blobs[i] as string, target);
      await remember(ctx.hashCache, target, e.hash);
    });
    const manifest = entries.map(({ path: p, hash, size }) => ({ path: p, hash, size }));
    manifest.sort((a, b) => compareBytewise(a.path, b.path));
    return ok({ name, uri: destUri, hash: treeHash(manifest), isFile: false, files: manifest });
  } catch (e) {
    return err(diskFull(ctx, e, name, destUri, destPath) ?? failure(name, destUri, destPath, e instanceof WalkError ? e.message : describeIoError(e)));
  }
}

export async function commitFile(
  ctx: CommitContext,
  name: string,
  fromFile: string,
  destUri: string,
): Promise<Result<RecordedOutput, StepFailure>> {
  const dest = parseUri(ctx.home, destUri);
  if (!dest.ok) return err(failure(name, destUri, undefined, dest.error));
  const destPath = dest.value.hostPath;
  if (dest.value.trailingSlash) return err(failure(name, destUri, destPath, 'a file destination cannot end in "/"'));
  try {
    const st = await stat(fromFile);
    if (!st.isFile()) return err(failure(name, destUri, destPath, `${fromFile} is not a regular file`));
    const [h] = await hashFiles([{ path: fromFile, identity: identityOf(st) }], new MemoryHashCache());
    if (h === undefined) throw new Error('hashFiles returned no result');
    const blob = await moveIntoCas(ctx.home, fromFile, h.hash);
    await placeAtomically(blob, destPath);
    await remember(ctx.hashCache, destPath, h.hash);
    const files = [{ path: path.basename(destPath), hash: h.hash, size: h.size }];
    return ok({ name, uri: destUri, hash: treeHash(files), isFile: true, files });
  } catch (e) {
    return err(diskFull(ctx, e, name, destUri, destPath) ?? failure(name, destUri, destPath, describeIoError(e)));
  }
}

async function remember(cache: HashCache, target: string, hash: string): Promise<void> {
  cache.put(target, { ...identityOf(await stat(target)), hash });
}

/** An ENOSPC/EDQUOT is a typed `disk-full` failure naming the output, its destination and the free space. */
function diskFull(ctx: CommitContext, e: unknown, name: string, uri: string, destPath: string): StepFailure | undefined {
  return diskFullFailure(e, { during: 'output-commit', path: destPath, output: name, uri }, ctx.home);
}

function failure(name: string, destUri: string, destPath: string | undefined, cause: string): StepFailure {
  const where = destPath === undefined ? destUri : `${destUri} (${destPath})`;
  return stepFailure('output-commit', { output: name, message: `Could not commit output "${name}" to ${where}: ${cause}.` });
}
