import path from 'node:path';
import { diskFullCode, freeBytes, NEARLY_FULL } from './disk-space.js';

/**
 * Why cairn's database (or the disk under it) could not be used, as data: cli/store-fault-words.ts words every kind
 * (the file, SQLite's own reason, what to do). Thrown as a `StoreFault` by cache/store-open.ts and the store's writes,
 * and made from any other SQLite or ENOSPC error that reaches the CLI's top level (`storeFaultOf`).
 */
export type StoreProblem =
  /** SQLITE_FULL, or an I/O error on a disk with (next to) no free space: `freeBytes` on the database's filesystem. */
  | { kind: 'full'; file: string; freeBytes?: number; sqliteCode: string; sqliteText: string }
  /** SQLITE_CORRUPT / SQLITE_NOTADB: "database disk image is malformed", "file is not a database". */
  | { kind: 'damaged'; file: string; sqliteCode: string; sqliteText: string }
  /** Any other SQLite error of the file: cannot open, read-only, disk I/O error, locked. */
  | { kind: 'unusable'; file: string; sqliteCode: string; sqliteText: string }
  /** The file or its directory could not be reached at all (a node:fs error such as EACCES or ENOTDIR: `code`, `text`). */
  | { kind: 'inaccessible'; file: string; code: string; text: string }
  /** The database was written by a newer cairn (its schema version is above this build's). */
  | { kind: 'newer-schema'; file: string; version: string; supported: number }
  /** A file write outside SQLite failed for lack of space (e.g. a run's own log): `path`, and the free bytes there. */
  | { kind: 'disk-full'; path: string; code: 'ENOSPC' | 'EDQUOT'; freeBytes?: number };

export class StoreFault extends Error {
  constructor(readonly problem: StoreProblem) {
    super(briefOf(problem));
    this.name = 'StoreFault';
  }
}

/** A one-line technical summary (logs, stack traces); the words shown to users are cli/store-fault-words.ts's. */
function briefOf(p: StoreProblem): string {
  switch (p.kind) {
    case 'newer-schema':
      return `${p.file} was written by a newer cairn (schema ${p.version}, this build reads ${p.supported})`;
    case 'disk-full':
      return `${p.code} writing ${p.path}`;
    case 'inaccessible':
      return `${p.file}: ${p.text}`;
    default:
      return `${p.kind} database ${p.file}: ${p.sqliteCode} ${p.sqliteText}`;
  }
}


/** The SQLite result code of an error thrown by better-sqlite3 (`SQLITE_…`), if it is one. */
export function sqliteCode(e: unknown): string | undefined {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** True for SQLite's full-disk result, or an I/O error where the database's disk is (nearly) full. */
export function isFull(e: unknown, file: string): boolean {
  const code = sqliteCode(e);
  if (code === 'SQLITE_FULL') return true;
  if (code === undefined || !code.startsWith('SQLITE_IOERR')) return false;
  const free = freeBytes(path.dirname(file));
  return free !== undefined && free < NEARLY_FULL;
}

/**
 * The typed fault of an error met while using the database `file`: a `StoreFault` as it is; an SQLite error by its
 * code; a node:fs ENOSPC/EDQUOT as `disk-full` at its own path. Anything else (a bug): undefined.
 */
export function storeFaultOf(e: unknown, file: string): StoreFault | undefined {
  if (e instanceof StoreFault) return e;
  const code = sqliteCode(e);
  if (code !== undefined) {
    const sqliteText = e instanceof Error ? e.message : String(e);
    if (isFull(e, file)) {
      const free = freeBytes(path.dirname(file));
      return new StoreFault({ kind: 'full', file, sqliteCode: code, sqliteText, ...(free !== undefined ? { freeBytes: free } : {}) });
    }
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return new StoreFault({ kind: 'damaged', file, sqliteCode: code, sqliteText });
    return new StoreFault({ kind: 'unusable', file, sqliteCode: code, sqliteText });
  }
  const full = diskFullCode(e);
  if (full !== undefined) {
    const at = (e as NodeJS.ErrnoException).path ?? path.dirname(file);
    const free = freeBytes(at);
    return new StoreFault({ kind: 'disk-full', path: at, code: full, ...(free !== undefined ? { freeBytes: free } : {}) });
  }
  return undefined;
}
