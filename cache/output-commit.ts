import path from 'node:path';
import { createHash } from 'node:crypto';
import { constants, mkdir, open, rm, stat } from 'node:fs/promises';
import { err, ok, type Result } from '../kernel/result.js';
import { stepFailure, type StepFailure } from '../contracts/step-failure.js';
import type { ManifestEntry, RecordedOutput } from '../contracts/artifacts.js';
import { moveIntoCas, placeAtomically, placeLinkAtomically, putBlob } from './cas.js';
import { firstOutsideLink, OutputChangedError, pathSeenByJob, rootLink, walkOutput, type OutputFile, type OutputTree } from './output-walk.js';
import {
  compareBytewise,
  hashFiles,
  identityOf,
  mapLimit,
  MemoryHashCache,
  sha256Handle,
  treeHash,
  type HashCache,
} from './hasher.js';
import { describeIoError } from './input-selection.js';
import { diskFullFailure } from './disk-full-failure.js';
import { checkBlob } from './blob-check.js';
import { parseUri } from './uri.js';

/**
 * Committing a finished output: the directory is read as the job saw it (cache/output-walk.ts: lstat, no link
 * followed); a symbolic link that leads outside it fails the step (`output-link`) before anything is read or moved.
 * Every file is opened with O_NOFOLLOW and must still be the inode that was walked; it is hashed, moved into the CAS,
 * then hard-linked to its place under the destination (temp file in `<home>/tmp` + rename, so each file appears
 * complete or not at all, and no temp file is ever seen in the `s3/` view). A link that stays inside the output is
 * kept as a link (its target's text is a CAS blob, so every manifest entry can be verified). Files already at the
 * destination under other names stay, as they would in S3. A failure part-way leaves the files placed so far (each
 * complete); the blobs moved into the CAS stay there (harmless: content-addressed).
 */
const PLACE_CONCURRENCY = 8;
const HASH_CONCURRENCY = 2;

interface CommitContext {
  home: string;
  /** Learns the hashes of the placed files, so hashing the destination later costs only a stat per file. */
  hashCache: HashCache;
}

type Placed = ManifestEntry & { file?: OutputFile };

export async function commitDirectory(
  ctx: CommitContext,
  name: string,
  fromDir: string,
  destUri: string,
  containerPath?: string,
): Promise<Result<RecordedOutput, StepFailure>> {
  const dest = parseUri(ctx.home, destUri);
  if (!dest.ok) return err(failure(name, destUri, undefined, dest.error));
  const destPath = dest.value.hostPath;
  try {
    const outside = await outsideLinkFailure(fromDir, name, containerPath);
    if (outside.failure !== undefined) return err(outside.failure);
    const tree = outside.tree;
    const buffers = [Buffer.allocUnsafe(HASH_BUFFER), Buffer.allocUnsafe(HASH_BUFFER)];
    const files: Placed[] = await mapLimit(tree.files, HASH_CONCURRENCY, async (file, slot) => {
      const h = await hashNoFollow(file, buffers[slot] as Buffer);
      return { path: file.rel, hash: h.hash, size: h.size, file };
    });
    const links: Placed[] = tree.links.map((l) => {
      const bytes = Buffer.from(l.target, 'utf8');
      return { path: l.rel, hash: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, link: l.target };
    });
    const blobs = new Map<Placed, string>();
    for (const e of files) {
      await dropDamagedBlob(ctx, e.hash, e.size);
      blobs.set(e, await moveIntoCas(ctx.home, (e.file as OutputFile).abs, e.hash, e.file));
    }
    for (const e of links) await putBlob(ctx.home, e.hash, Buffer.from(e.link as string, 'utf8'));
    await mkdir(destPath, { recursive: true });
    await mapLimit([...files, ...links], PLACE_CONCURRENCY, async (e) => {
      const target = path.join(destPath, ...e.path.split('/'));
      if (e.link !== undefined) return placeLinkAtomically(ctx.home, e.link, target);
      await placeAtomically(ctx.home, blobs.get(e) as string, target);
      await remember(ctx.hashCache, target, e.hash);
    });
    // The blobs too (after the links above changed their ctime), so verifying them before staging costs a stat.
    for (const [e, blob] of blobs) await remember(ctx.hashCache, blob, e.hash);
    const manifest = [...files, ...links].map(({ path: p, hash, size, link }) => ({ path: p, hash, size, ...(link === undefined ? {} : { link }) }));
    manifest.sort((a, b) => compareBytewise(a.path, b.path));
    return ok({ name, uri: destUri, hash: treeHash(manifest), isFile: false, files: manifest });
  } catch (e) {
    return err(diskFull(ctx, e, name, destUri, destPath) ?? failure(name, destUri, destPath, e instanceof OutputChangedError ? e.message : describeIoError(e)));
  }
}

/**
 * For an output that is packed rather than committed file by file (Training's model.tar.gz): the same refusal of a
 * link leading outside the directory, before anything in it is read.
 */
export async function checkOutputLinks(name: string, dir: string, containerPath: string): Promise<Result<void, StepFailure>> {
  try {
    const outside = await outsideLinkFailure(dir, name, containerPath);
    return outside.failure === undefined ? ok(undefined) : err(outside.failure);
  } catch (e) {
    return err(stepFailure('output-commit', { output: name, message: `Could not read output "${name}" in ${dir}: ${describeIoError(e)}.` }));
  }
}

/** Walks the output, unless the directory itself or a link in it leads outside it (then the failure). */
async function outsideLinkFailure(root: string, name: string, containerPath: string | undefined): Promise<{ tree: OutputTree; failure?: StepFailure }> {
  const atRoot = rootLink(root);
  const tree = atRoot === undefined ? await walkOutput(root) : { files: [], links: [] };
  const outside = atRoot ?? firstOutsideLink(tree);
  if (outside === undefined) return { tree };
  const link = pathSeenByJob(containerPath, root, outside.link);
  return { tree, failure: stepFailure('output-link', { output: name, link, target: outside.target, why: outside.why }) };
}

const HASH_BUFFER = 4 * 1024 * 1024;

/** Hashes a walked file through a descriptor opened with O_NOFOLLOW that must still be the walked inode. */
async function hashNoFollow(file: OutputFile, buffer: Buffer): Promise<{ hash: string; size: number }> {
  const fh = await open(file.abs, constants.O_RDONLY | constants.O_NOFOLLOW).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ELOOP') throw new OutputChangedError(`${file.abs} was replaced by a symbolic link while it was committed`);
    throw e;
  });
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.dev !== file.dev || st.ino !== file.ino) throw new OutputChangedError(`${file.abs} changed while it was committed`);
    return await sha256Handle(fh, { buffer, expectedSize: st.size });
  } finally {
    await fh.close();
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
    await dropDamagedBlob(ctx, h.hash, h.size);
    const blob = await moveIntoCas(ctx.home, fromFile, h.hash);
    await placeAtomically(ctx.home, blob, destPath);
    await remember(ctx.hashCache, destPath, h.hash);
    await remember(ctx.hashCache, blob, h.hash);
    const files = [{ path: path.basename(destPath), hash: h.hash, size: h.size }];
    return ok({ name, uri: destUri, hash: treeHash(files), isFile: true, files });
  } catch (e) {
    return err(diskFull(ctx, e, name, destUri, destPath) ?? failure(name, destUri, destPath, describeIoError(e)));
  }
}

/**
 * A blob already in the store under this hash is kept by `moveIntoCas`; one that no longer holds its bytes (a write
 * through a hard link of the s3/ view, say) is removed first, so the fresh bytes replace it.
 */
async function dropDamagedBlob(ctx: CommitContext, hash: string, size: number): Promise<void> {
  const s = await checkBlob(ctx.home, hash, size, ctx.hashCache);
  if (s.state === 'damaged') await rm(s.path, { recursive: true, force: true });
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
