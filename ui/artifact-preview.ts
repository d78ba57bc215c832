import { closeSync, openSync, readSync } from 'node:fs';
import { checkBlob, describeBlobState } from '../cache/blob-check.js';
import { blobPath } from '../cache/cas.js';
import type { Store } from '../cache/store.js';
import { HttpError } from './http-error.js';
import { getRunOr404 } from './run-view.js';

export type Preview =
  | { kind: 'table'; delimiter: string; rows: string[][]; truncated: boolean }
  | { kind: 'json'; text: string }
  | { kind: 'text'; text: string; truncated: boolean }
  | { kind: 'binary' };

export interface ArtifactPreview {
  runId: string;
  step: string;
  output: string;
  path: string;
  hash: string;
  size: number;
  preview: Preview;
}

const HEAD = 64 * 1024;

/**
 * A preview of one file of a recorded output. The file is found by name in the output's manifest (the store's record)
 * and read from the content store by its recorded hash: a path in the request only selects a manifest entry, it is
 * never joined to a directory. A blob that is missing or altered is refused, with what is wrong.
 */
export async function artifactPreview(store: Store, home: string, runId: string, step: string, output: string, path: string | null): Promise<ArtifactPreview> {
  getRunOr404(store, runId);
  const out = store.getOutputs(runId, step).find((o) => o.name === output);
  if (out === undefined) throw new HttpError(404, `step "${step.slice(0, 80)}" of run ${runId} recorded no output "${output.slice(0, 80)}"`);
  const entry = path === null ? (out.files.length === 1 ? out.files[0] : undefined) : out.files.find((f) => f.path === path);
  if (entry === undefined) {
    throw new HttpError(404, path === null ? `output "${output}" holds ${out.files.length} files: choose one with ?path=` : `output "${output}" recorded no file "${path.slice(0, 120)}"`);
  }
  const hex = entry.hash.replace(/^sha256:/, '');
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new HttpError(404, `file "${entry.path}" has no content hash in the store`);
  const state = await checkBlob(home, hex, entry.size, { get: (p) => store.getFileHash(p), put: () => undefined });
  if (state.state !== 'ok') throw new HttpError(410, `file "${entry.path}" of output "${output}": ${describeBlobState(state)}`);
  const buf = Buffer.alloc(Math.min(entry.size, HEAD));
  const fd = openSync(blobPath(home, hex), 'r');
  try { readSync(fd, buf, 0, buf.length, 0); } finally { closeSync(fd); }
  return { runId, step, output, path: entry.path, hash: entry.hash, size: entry.size, preview: previewOf(entry.path, buf, entry.size > HEAD) };
}

export function previewOf(path: string, buf: Buffer, truncated: boolean): Preview {
  if (buf.includes(0)) return { kind: 'binary' };
  const text = buf.toString('utf8');
  if (/\.json$/i.test(path) && !truncated) {
    try { return { kind: 'json', text: JSON.stringify(JSON.parse(text), null, 2) }; } catch { /* shown as text */ }
  }
  const delimiter = /\.tsv$/i.test(path) ? '\t' : /\.csv$/i.test(path) ? ',' : undefined;
  if (delimiter !== undefined) {
    const lines = text.split(/\r?\n/).filter((l) => l !== '');
    const rows = lines.slice(0, 50).map((l) => l.split(delimiter));
    return { kind: 'table', delimiter, rows, truncated: truncated || lines.length > 50 };
  }
  return { kind: 'text', text, truncated };
}
