import path from 'node:path';
import { err, ok, type Result } from '../kernel/result.js';

/**
 * Data URIs the embedded object store understands.
 *
 * - `s3://bucket/key…` lives at `<home>/s3/bucket/key…` (the "s3 view").
 * - `file:///abs/path` (or `file://localhost/abs/path`) is the host path itself. Relative `file:` URIs are rejected:
 *   what they would point to depends on the working directory, which a cached step must not depend on.
 *
 * The key is used as written (no percent-decoding, like the SageMaker SDK's local mode); `.` and `..` segments are
 * rejected so a URI can never escape its bucket. A trailing `/` is remembered because S3Prefix semantics depend on it.
 */
export interface ParsedUri {
  scheme: 's3' | 'file';
  /** Absolute host path, without a trailing slash (except `/` itself). */
  hostPath: string;
  /** The URI ended in `/` (or named a bucket or the root): it can only mean a directory prefix. */
  trailingSlash: boolean;
  /** s3 only. */
  bucket?: string;
  /** s3 only: the key or key prefix, as written (may be empty). */
  key?: string;
}

const SUPPORTED = 'supported schemes are s3://bucket/key and file:///absolute/path';

export function parseUri(home: string, uri: string): Result<ParsedUri, string> {
  if (uri.startsWith('s3://')) return parseS3(home, uri);
  if (uri.startsWith('file:')) return parseFile(uri);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1];
  const what = scheme === undefined ? 'has no scheme' : `uses the unsupported scheme "${scheme}:"`;
  return err(`The URI "${uri}" ${what}; ${SUPPORTED}.`);
}

/** Host path for a URI (no I/O). */
export function uriToHostPath(home: string, uri: string): Result<string, string> {
  const parsed = parseUri(home, uri);
  return parsed.ok ? ok(parsed.value.hostPath) : parsed;
}

/** The s3 view's root: `<home>/s3`. */
export function s3Root(home: string): string {
  return path.join(path.resolve(home), 's3');
}

/**
 * The reverse mapping: a host path under `<home>/s3/<bucket>` becomes `s3://bucket/key`; any other absolute path
 * becomes `file://<path>`. `<home>/s3` itself has no URI (no bucket) and gives undefined.
 */
export function hostPathToUri(home: string, hostPath: string): string | undefined {
  const abs = path.resolve(hostPath);
  const rel = path.relative(s3Root(home), abs);
  if (rel === '') return undefined;
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return `s3://${rel.split(path.sep).join('/')}`;
  return `file://${abs}`;
}

/** URIs compared as prefixes: trailing slashes removed (`s3://b/x/` ≡ `s3://b/x`). */
export function normalizeUri(uri: string): string {
  let end = uri.length;
  while (end > 0 && uri[end - 1] === '/' && !uri.slice(0, end).endsWith('://')) end--;
  return uri.slice(0, end);
}

function parseS3(home: string, uri: string): Result<ParsedUri, string> {
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  if (bucket === '' || bucket === '.' || bucket === '..' || bucket.includes('\\')) {
    return err(`The URI "${uri}" has no valid bucket name; expected s3://bucket/key.`);
  }
  const segments = key.split('/');
  if (segments.some((s) => s === '.' || s === '..')) {
    return err(`The URI "${uri}" contains a "." or ".." path segment, which cairn does not allow in S3 keys.`);
  }
  if (key.includes('\0')) return err(`The URI "${uri}" contains a NUL character.`);
  const hostPath = path.join(s3Root(home), bucket, ...segments.filter((s) => s !== ''));
  return ok({ scheme: 's3', hostPath, trailingSlash: key === '' || key.endsWith('/'), bucket, key });
}

function parseFile(uri: string): Result<ParsedUri, string> {
  let rest: string;
  if (uri.startsWith('file:///')) rest = uri.slice('file://'.length);
  else if (uri.startsWith('file://localhost/')) rest = uri.slice('file://localhost'.length);
  else {
    return err(
      `The URI "${uri}" is not an absolute file URI; write file:///absolute/path (three slashes) — ` +
        `relative paths are not supported because they depend on the working directory.`,
    );
  }
  if (rest.includes('\0')) return err(`The URI "${uri}" contains a NUL character.`);
  const hostPath = path.resolve(rest);
  return ok({ scheme: 'file', hostPath, trailingSlash: rest.endsWith('/') });
}
