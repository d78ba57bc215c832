import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkBlob } from '../../cache/blob-check.js';
import { blobPath } from '../../cache/cas.js';
import { hashFiles, type HashCache } from '../../cache/hasher.js';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_VERSION, migrateV5 } from '../../cache/schema.js';
import { Store } from '../../cache/store.js';
import { makeTemp } from './temp-home.js';

/**
 * The stat cache's identity includes the ctime (schema 6): a rewrite that keeps the size and puts the mtime back
 * (`touch -d`) is hashed again, and a row recorded before the ctime was kept never matches.
 */
let tmp: ReturnType<typeof makeTemp>;
beforeEach(() => { tmp = makeTemp('cairn-ctime-'); });
afterEach(() => tmp.cleanup());

const hex = (s: string): string => createHash('sha256').update(s).digest('hex');
const storeCache = (store: Store): HashCache => ({ get: (p) => store.getFileHash(p), put: store.putFileHash.bind(store) });

/** Waits until the kernel's file-time clock has moved past `ctimeMs` (file times tick coarsely), writing a probe. */
function afterCtime(ctimeMs: number): void {
  const probe = path.join(tmp.dir, 'probe');
  for (let i = 0; i < 1_000_000; i++) {
    writeFileSync(probe, String(i));
    if (statSync(probe).ctimeMs > ctimeMs) return;
  }
  throw new Error('the file-time clock did not move');
}

describe('stat cache identity with ctime', () => {
  it('a same-size rewrite with its mtime put back (touch -d) is re-hashed: checkBlob calls the blob damaged', async () => {
    const store = Store.open(path.join(tmp.dir, 'home', 'cairn.db'));
    try {
      const home = path.join(tmp.dir, 'home');
      const bytes = 'the model weights\n';
      const blob = blobPath(home, hex(bytes));
      mkdirSync(path.dirname(blob), { recursive: true });
      writeFileSync(blob, bytes);
      expect(await checkBlob(home, hex(bytes), bytes.length, storeCache(store))).toEqual({ state: 'ok' });
      const before = statSync(blob);
      expect(store.getFileHash(blob)).toMatchObject({ ctimeMs: before.ctimeMs, hash: hex(bytes) });

      const ref = path.join(tmp.dir, 'times');
      execFileSync('touch', ['-r', blob, ref]);
      afterCtime(before.ctimeMs);
      writeFileSync(blob, 'THE MODEL WEIGHTS\n');
      execFileSync('touch', ['-r', ref, blob]); // the rewrite's mtime put back, to the nanosecond
      const after = statSync(blob);
      expect([after.size, after.mtimeMs, after.ino]).toEqual([before.size, before.mtimeMs, before.ino]);
      expect(await checkBlob(home, hex(bytes), bytes.length, storeCache(store)))
        .toEqual({ state: 'damaged', path: blob, detail: { kind: 'content', actualHash: hex('THE MODEL WEIGHTS\n') } });
    } finally {
      store.close();
    }
  });

  it('a store of schema 5 gains file_hashes.ctime_ms; its rows never match, so each file is hashed once more', async () => {
    const db = path.join(tmp.dir, 'v5.db');
    const file = path.join(tmp.dir, 'data.csv');
    writeFileSync(file, '1,2,3\n');
    const st = statSync(file);
    const old = new Database(db);
    for (const s of [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4]) old.exec(s);
    migrateV5(old);
    old.prepare(`INSERT INTO meta (key, value) VALUES ('schema', '5')`).run();
    old.prepare(`INSERT INTO file_hashes (path, size, mtime_ms, ino, hash) VALUES (?, ?, ?, ?, ?)`).run(file, st.size, st.mtimeMs, st.ino, hex('1,2,3\n'));
    old.close();

    const store = Store.open(db);
    try {
      expect(store.getFileHash(file)?.ctimeMs).toBeNaN();
      expect((await hashFiles([{ path: file }], storeCache(store)))[0]).toMatchObject({ hash: hex('1,2,3\n'), computed: true });
      expect((await hashFiles([{ path: file }], storeCache(store)))[0]).toMatchObject({ hash: hex('1,2,3\n'), computed: false });
      expect(store.db.prepare(`SELECT value FROM meta WHERE key = 'schema'`).get()).toEqual({ value: String(SCHEMA_VERSION) });
    } finally {
      store.close();
    }
  });
});
