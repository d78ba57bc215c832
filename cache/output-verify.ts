import path from 'node:path';
import { lstat, readlink, rm } from 'node:fs/promises';
import { err, ok, type Result } from '../kernel/result.js';
import { stepFailure, type StepFailure } from '../contracts/step-failure.js';
import type { LostFile, ManifestEntry, RecordedOutput } from '../contracts/artifacts.js';
import { checkBlob } from './blob-check.js';
import { blobPath, placeAtomically, placeLinkAtomically } from './cas.js';
import { hashFiles, identityOf, mapLimit, type HashCache } from './hasher.js';
import { describeIoError } from './input-selection.js';
import { parseUri } from './uri.js';

/**
 * Recorded outputs checked before they are served again (a cache hit, a step a resume keeps): every manifest file's
 * blob through `checkBlob` (size, then the hash through the stat cache), and the destination (the `s3/` view, or a
 * file:// path) put back from the content store where a file is missing or holds other bytes.
 */
const CHECK_CONCURRENCY = 4;

interface VerifyContext {
  home: string;
  hashCache: HashCache;
}

/** The files of `outputs` whose blob is missing or damaged, in output and manifest order; none when all are intact. */
export async function verifyOutputs(ctx: VerifyContext, outputs: readonly RecordedOutput[]): Promise<LostFile[]> {
  const files = outputs.flatMap((o) => o.files.map((f) => ({ output: o.name, entry: f })));
  const states = await mapLimit(files, CHECK_CONCURRENCY, (f) => checkBlob(ctx.home, f.entry.hash, f.entry.size, ctx.hashCache));
  return files.flatMap((f, i) => {
    const s = states[i];
    if (s === undefined || s.state === 'ok') return [];
    return [{ output: f.output, file: f.entry.path, hash: f.entry.hash, state: s.state }];
  });
}

/**
 * Removes the blobs of `lost` that are still damaged (checked again), so that the producing step's commit stores its
 * bytes under their hash anew (a commit keeps a blob that exists). A missing blob needs nothing.
 */
export async function discardDamaged(ctx: VerifyContext, lost: readonly LostFile[]): Promise<void> {
  for (const l of lost) {
    if (l.state !== 'damaged') continue;
    const s = await checkBlob(ctx.home, l.hash, undefined, ctx.hashCache);
    if (s.state === 'damaged') await rm(s.path, { force: true });
  }
}

/**
 * Puts back, from the content store, every file of `outputs` whose place at the output's destination is missing,
 * not a regular file, or neither the blob itself (same inode) nor a file with the recorded hash. The blobs must have
 * verified (`verifyOutputs`). Returns the host paths re-placed; an I/O failure names the output and the path.
 */
export async function restoreDestinations(ctx: VerifyContext, outputs: readonly RecordedOutput[]): Promise<Result<string[], StepFailure>> {
  const restored: string[] = [];
  for (const o of outputs) {
    const dest = parseUri(ctx.home, o.uri);
    if (!dest.ok) return err(restoreFailure(o.name, o.uri, dest.error));
    for (const entry of o.files) {
      const target = o.isFile ? dest.value.hostPath : path.join(dest.value.hostPath, ...entry.path.split('/'));
      try {
        if (entry.link !== undefined) {
          if (await holdsLink(target, entry.link)) continue;
          await placeLinkAtomically(ctx.home, entry.link, target);
          restored.push(target);
          continue;
        }
        if (await holdsEntry(ctx, target, entry)) continue;
        await placeAtomically(ctx.home, blobPath(ctx.home, entry.hash), target);
        const st = await lstat(target);
        ctx.hashCache.put(target, { ...identityOf(st), hash: entry.hash });
      } catch (e) {
        return err(restoreFailure(o.name, `${o.uri} (${target})`, describeIoError(e)));
      }
      restored.push(target);
    }
  }
  return ok(restored);
}

/** A symbolic link kept in an output (a manifest entry with `link`): its place must hold that very link. */
async function holdsLink(target: string, link: string): Promise<boolean> {
  return readlink(target).then((t) => t === link, () => false);
}

async function holdsEntry(ctx: VerifyContext, target: string, entry: ManifestEntry): Promise<boolean> {
  let st;
  try {
    st = await lstat(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  if (!st.isFile()) return false;
  const blob = await lstat(blobPath(ctx.home, entry.hash));
  if (st.ino === blob.ino && st.dev === blob.dev) return true;
  if (st.size !== entry.size) return false;
  const [h] = await hashFiles([{ path: target, identity: identityOf(st) }], ctx.hashCache);
  return h?.hash === entry.hash;
}

function restoreFailure(name: string, where: string, cause: string): StepFailure {
  return stepFailure('output-commit', { output: name, message: `Could not restore output "${name}" at ${where} from the content store: ${cause}.` });
}
