import type { StoreProblem } from '../cache/store-fault.js';
import { byteSize } from '../kernel/byte-size.js';
import { unreachable } from '../kernel/unreachable.js';

const free = (n: number | undefined): string => (n === undefined ? '' : ` (${byteSize(n)} free)`);

/**
 * The words for a database or disk that cairn could not use (cache/store-fault.ts): what happened, to which file,
 * SQLite's own reason, and what to do. The CLI prints them instead of "internal error" and exits with code 1.
 */
export function storeFaultText(p: StoreProblem): string {
  switch (p.kind) {
    case 'full':
      return `cairn: the disk holding ${p.file} is full${free(p.freeBytes)}, so cairn could not record its state ` +
        `(SQLite: ${p.sqliteText}). Free space on that disk (or set CAIRN_HOME to a larger one); a run that was ` +
        'cut short is then marked interrupted, and `cairn resume <run>` continues it.';
    case 'disk-full':
      return `cairn: the disk is full${free(p.freeBytes)}: ${p.path} could not be written (${p.code}). ` +
        'Free space on that disk (or set CAIRN_HOME to a larger one), then `cairn resume <run>` continues a run that was cut short.';
    case 'damaged':
      return `cairn: the database ${p.file} is damaged (SQLite: ${p.sqliteText}, ${p.sqliteCode}). ` +
        'Run `cairn doctor` to check it. To start afresh, move it aside with its -wal and -shm files ' +
        `(mv ${p.file} ${p.file}.damaged): cairn then makes a new, empty one, and the runs and cache entries ` +
        'recorded in the old one are no longer known. Or restore it from a backup.';
    case 'unusable':
      return `cairn: cannot use the database ${p.file} (SQLite: ${p.sqliteText}, ${p.sqliteCode}). Check that the file ` +
        'and its directory exist and that this user may read and write them, and that the disk is healthy; `cairn doctor` checks the store.';
    case 'inaccessible':
      return `cairn: cannot reach the database ${p.file} (${p.text}). Check that CAIRN_HOME points at a directory this ` +
        'user may create, read and write.';
    case 'newer-schema':
      return `cairn: ${p.file} was written by a newer cairn (schema ${p.version}; this cairn reads up to ${p.supported}); upgrade cairn to read it.`;
    default:
      return unreachable(p);
  }
}
