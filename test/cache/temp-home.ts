import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A scratch directory per test, removed afterwards (blobs are 0444, so permissions are restored first). */
export function makeTemp(prefix = 'cairn-cache-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes files given as relative path → content under `root`. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/** Relative paths of every regular file under `root`, sorted. */
export function listTree(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, rel))) {
    const r = rel === '' ? name : `${rel}/${name}`;
    if (statSync(path.join(root, r)).isDirectory()) out.push(...listTree(root, r));
    else out.push(r);
  }
  return out.sort();
}

