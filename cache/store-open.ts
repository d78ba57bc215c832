import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V7, SCHEMA_V8, SCHEMA_VERSION, migrateV5, migrateV6 } from './schema.js';
import { StoreFault, storeFaultOf } from './store-fault.js';

export interface OpenOptions {
  /**
   * For commands that only read (`runs`, `show`, `explain`…): on a full disk, where SQLite cannot even create or grow
   * the -shm file it needs to open a WAL database, read a private in-memory copy of the database file instead (when
   * the -wal file is empty or absent, the file holds every committed transaction), or open it read-only. What such a
   * command writes (a reconcile's marks) then stays in memory.
   */
  readOnly?: boolean;
}

/**
 * Opens cairn's SQLite file (WAL), applies the additive migrations and records the schema version. Every SQLite or
 * disk error on the way is a `StoreFault` naming the file (cache/store-fault.ts), never a bare SqliteError.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Database.Database {
  let db: Database.Database | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 10000');
    migrate(db, file);
    return db;
  } catch (e) {
    closeQuietly(db);
    const fault = storeFaultOf(e, file) ?? inaccessible(e, file);
    if (fault === undefined) throw e;
    if (opts.readOnly === true && fault.problem.kind === 'full') {
      const fallback = openWithoutWriting(file);
      if (fallback !== undefined) return fallback;
    }
    throw fault;
  }
}

/** A node:fs error on the way to the file (its directory cannot be made or entered): the store is inaccessible. */
function inaccessible(e: unknown, file: string): StoreFault | undefined {
  const code = typeof e === 'object' && e !== null ? (e as NodeJS.ErrnoException).code : undefined;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return undefined;
  return new StoreFault({ kind: 'inaccessible', file, code, text: (e as Error).message });
}

function migrate(db: Database.Database, file: string): void {
  db.exec(SCHEMA_V1);
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'schema'`).get() as { value: unknown } | undefined;
  if (row !== undefined && Number(row.value) > SCHEMA_VERSION) {
    throw new StoreFault({ kind: 'newer-schema', file, version: String(row.value), supported: SCHEMA_VERSION });
  }
  // Migrations are additive (new tables, one guarded new column): apply them, then record the version this build writes.
  db.exec(SCHEMA_V2);
  db.exec(SCHEMA_V3);
  db.exec(SCHEMA_V4);
  db.transaction(() => migrateV5(db)).immediate();
  db.transaction(() => migrateV6(db)).immediate();
  db.exec(SCHEMA_V7);
  db.exec(SCHEMA_V8);
  db.prepare(`INSERT INTO meta (key, value) VALUES ('schema', @v) ON CONFLICT(key) DO UPDATE SET value = @v
    WHERE CAST(meta.value AS INTEGER) < CAST(@v AS INTEGER)`).run({ v: String(SCHEMA_VERSION) });
}

/** Byte offsets 18 and 19 of an SQLite file: its write and read format versions (2: WAL, 1: rollback journal). */
const FORMAT_WRITE = 18;
const FORMAT_READ = 19;

/** A database that needs no write on disk to be read: an in-memory copy, or a read-only connection; undefined if neither works. */
function openWithoutWriting(file: string): Database.Database | undefined {
  let walBytes = 0;
  try {
    walBytes = statSync(`${file}-wal`).size;
  } catch {
    // no -wal file: the database file holds everything
  }
  try {
    if (walBytes > 0) return new Database(file, { readonly: true, fileMustExist: true });
    const bytes = readFileSync(file);
    // An in-memory database cannot be in WAL mode: mark the copy as a rollback-journal file (the pages are the same).
    if (bytes.length > FORMAT_READ) bytes[FORMAT_WRITE] = bytes[FORMAT_READ] = 1;
    const db = new Database(bytes);
    migrate(db, file);
    return db;
  } catch {
    return undefined;
  }
}

function closeQuietly(db: Database.Database | undefined): void {
  try {
    db?.close();
  } catch {
    // already failed: the fault of the open is what is reported
  }
}
