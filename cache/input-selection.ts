import path from 'node:path';
import { readdir, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { err, ok, type Result } from '../kernel/result.js';
import { stepFailure, type StepFailure } from '../contracts/step-failure.js';
import type { ManifestEntry, RecordedOutput } from '../contracts/artifacts.js';
import { settleLinks } from './manifest-links.js';
import { walkFiles, WalkError } from './file-walk.js';
import { normalizeUri, parseUri, type ParsedUri } from './uri.js';

/**
 * Which files an input URI brings, and at which relative paths (S3Prefix semantics, as the SageMaker SDK's local
 * mode implements them in `sagemaker.utils.download_folder`; AWS documents S3Prefix as "all objects with the
 * specified key name prefix"):
 *
 * 1. A URI not ending in `/` that names exactly one file (object) brings that file under its own base name.
 * 2. Otherwise every file whose key starts with the prefix *string* is brought, at `key[prefix.length:]` with leading
 *    slashes removed. For a directory `…/train` this is "everything under it, relative to it"; for a partial prefix
 *    `…/tr` it also brings `…/train.csv` as `ain.csv` and `…/train/x.csv` as `x.csv` — exactly what SageMaker does.
 *    Two keys mapping to the same relative path is an error (SageMaker would silently keep one of them).
 * 3. Nothing matching is `input-missing`. An existing but empty directory (e.g. an upstream's empty output) brings an
 *    empty input rather than failing: cairn creates empty output directories, so downstream steps must accept them.
 *
 * An input equal to or under an upstream step's recorded output is answered from that output's manifest (CAS blobs),
 * never from the files currently at its URI.
 */
export type SelectedSource =
  | { kind: 'host'; path: string; isLink: boolean }
  /** `link`: a symbolic link kept in the output, staged as a link (cache/manifest-links.ts). */
  | { kind: 'blob'; hash: string; size: number; link?: string };

export interface SelectedFile {
  rel: string;
  source: SelectedSource;
}

export interface InputSelection {
  uri: string;
  /** Host path the URI maps to (named in failure messages). */
  hostPath: string;
  files: SelectedFile[];
  /** Set when one host directory holds exactly the input's files with no symlinks: bind-mountable as it is. */
  wholeDir?: string;
  /** The recorded output the input was served from, if any. */
  upstream?: RecordedOutput;
}

export async function selectInput(
  home: string,
  uri: string,
  upstream: readonly RecordedOutput[],
): Promise<Result<InputSelection, StepFailure>> {
  const parsed = parseUri(home, uri);
  if (!parsed.ok) return err(stepFailure('invalid-arguments', { message: parsed.error, field: 'S3Uri' }));
  const recorded = findUpstream(uri, upstream);
  if (recorded !== undefined) return selectFromManifest(uri, parsed.value, recorded);
  try {
    return await selectOnDisk(uri, parsed.value);
  } catch (e) {
    const cause = e instanceof WalkError ? e.message : describeIoError(e);
    return err(missing(uri, `Input ${uri} (host path ${parsed.value.hostPath}) could not be read: ${cause}.`));
  }
}

/** The most specific recorded output whose URI equals `uri` or is a prefix directory of it. */
export function findUpstream(uri: string, upstream: readonly RecordedOutput[]): RecordedOutput | undefined {
  const u = normalizeUri(uri);
  let best: RecordedOutput | undefined;
  for (const out of upstream) {
    const o = normalizeUri(out.uri);
    const matches = u === o || (!out.isFile && u.startsWith(`${o}/`));
    if (matches && (best === undefined || o.length > normalizeUri(best.uri).length)) best = out;
  }
  return best;
}

function selectFromManifest(
  uri: string,
  parsed: ParsedUri,
  out: RecordedOutput,
): Result<InputSelection, StepFailure> {
  const base: InputSelection = { uri, hostPath: parsed.hostPath, files: [], upstream: out };
  const blob = (e: ManifestEntry): SelectedSource => ({ kind: 'blob', hash: e.hash, size: e.size, ...(e.link === undefined ? {} : { link: e.link }) });
  if (out.isFile) {
    return ok({ ...base, files: out.files.map((e) => ({ rel: path.posix.basename(e.path), source: blob(e) })) });
  }
  const o = normalizeUri(out.uri);
  const prefix = uri.slice(o.length).replace(/^\/+/, '');
  const picked = applyPrefix(out.files.map((e) => ({ key: e.path, item: e })), prefix, parsed.trailingSlash);
  if (!picked.ok) return err(collision(uri, picked.error));
  if (picked.value.length === 0 && prefix !== '') {
    return err(missing(uri, `Input ${uri} matches no file of the output "${out.name}" recorded at ${out.uri}.`));
  }
  const settled = settleLinks(picked.value.map(({ rel, item }) => ({ rel, key: item.path, entry: item })), out.files);
  if (!settled.ok) return err(missing(uri, `Input ${uri} cannot be served from the output "${out.name}" recorded at ${out.uri}: ${settled.error}.`));
  return ok({ ...base, files: settled.value.map(({ rel, entry }) => ({ rel, source: blob(entry) })) });
}

/** Rule 1 and 2 above over keys relative to a common root. */
export function applyPrefix<T>(
  keys: readonly { key: string; item: T }[],
  prefix: string,
  trailingSlash: boolean,
): Result<{ rel: string; item: T }[], string> {
  if (!trailingSlash && prefix !== '') {
    const exact = keys.find((k) => k.key === prefix);
    if (exact !== undefined) return ok([{ rel: path.posix.basename(prefix), item: exact.item }]);
  }
  const out: { rel: string; item: T }[] = [];
  const seen = new Map<string, string>();
  for (const k of keys) {
    if (!k.key.startsWith(prefix)) continue;
    const rel = k.key.slice(prefix.length).replace(/^\/+/, '');
    if (rel === '') continue;
    const other = seen.get(rel);
    if (other !== undefined) return err(`"${other}" and "${k.key}" would both be placed at "${rel}"`);
    seen.set(rel, k.key);
    out.push({ rel, item: k.item });
  }
  return ok(out);
}

async function selectOnDisk(uri: string, parsed: ParsedUri): Promise<Result<InputSelection, StepFailure>> {
  const p = parsed.hostPath;
  const base: InputSelection = { uri, hostPath: p, files: [] };
  const st = await stat(p).catch(ignoreMissing);
  if (st?.isFile() === true && !parsed.trailingSlash) {
    return ok({ ...base, files: [{ rel: path.basename(p), source: { kind: 'host', path: p, isLink: false } }] });
  }
  if (parsed.trailingSlash || p === path.parse(p).root) {
    if (st?.isDirectory() !== true) return err(missing(uri, `Input ${uri} matches nothing: ${p} is not a directory.`));
    const walked = await walkFiles(p);
    const files = walked.files.map((f) => ({ rel: f.rel, source: host(f.abs, f.isLink) }));
    return ok({ ...base, files, ...(walked.sawSymlink ? {} : { wholeDir: p }) });
  }
  // A prefix string: every entry of the parent directory whose name starts with the last segment.
  const parent = path.dirname(p);
  const stem = path.basename(p);
  const entries: Dirent[] = await readdir(parent, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return [];
    throw e;
  });
  const matching = entries.filter((e) => e.name.startsWith(stem));
  const keys: { key: string; item: SelectedSource }[] = [];
  let sawSymlink = false;
  for (const entry of matching) {
    const abs = path.join(parent, entry.name);
    const est = entry.isSymbolicLink() ? await stat(abs) : entry;
    if (entry.isSymbolicLink()) sawSymlink = true;
    if (est.isFile()) keys.push({ key: entry.name, item: host(abs, entry.isSymbolicLink()) });
    else if (est.isDirectory()) {
      const walked = await walkFiles(abs);
      sawSymlink ||= walked.sawSymlink;
      for (const f of walked.files) keys.push({ key: `${entry.name}/${f.rel}`, item: host(f.abs, f.isLink) });
    }
  }
  const picked = applyPrefix(keys, stem, false);
  if (!picked.ok) return err(collision(uri, picked.error));
  const onlyTheDir = matching.length === 1 && matching[0]?.name === stem && st?.isDirectory() === true;
  if (picked.value.length === 0 && !onlyTheDir) {
    return err(missing(uri, `Input ${uri} matches nothing: no file at or under ${p}, nor any starting with "${p}".`));
  }
  const files = picked.value.map(({ rel, item }) => ({ rel, source: item }));
  return ok({ ...base, files, ...(onlyTheDir && !sawSymlink ? { wholeDir: p } : {}) });
}

function host(p: string, isLink: boolean): SelectedSource {
  return { kind: 'host', path: p, isLink };
}

function ignoreMissing(e: NodeJS.ErrnoException): undefined {
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
  throw e;
}

/** `input` is left empty: the store does not know the input's name; the step executor fills it in. */
export function missing(uri: string, message: string): StepFailure {
  return stepFailure('input-missing', { message, input: '', uri });
}

function collision(uri: string, detail: string): StepFailure {
  return missing(uri, `Input ${uri} cannot be placed: ${detail} (S3Prefix places keys relative to the prefix).`);
}

/** "no space left on device" rather than "ENOSPC: no space left on device, write". */
export function describeIoError(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    const m = /^[A-Z]+: ([^,]+)(?:, (.*))?$/.exec(e.message);
    if (code !== undefined && m?.[1] !== undefined) return m[2] !== undefined ? `${m[1]} (${m[2]})` : m[1];
    return e.message;
  }
  return String(e);
}
