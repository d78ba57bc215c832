import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDirsWithoutRecord } from '../../cache/run-dirs-without-record.js';
import { StoreFault } from '../../cache/store-fault.js';
import { Store } from '../../cache/store.js';
import { SCHEMA_VERSION } from '../../cache/schema.js';
import { resolveHome } from '../../contracts/home.js';
import type { RunRecord } from '../../contracts/records.js';
import { storeFaultText } from '../../cli/store-fault-words.js';
import { makeTemp } from './temp-home.js';

const tmp = makeTemp('cairn-damaged-');
afterAll(() => tmp.cleanup());
const CLI = resolve(import.meta.dirname, '../../dist/cli/main.js');
const STORE_JS = resolve(import.meta.dirname, '../../dist/cache/store.js');

const run = (runId: string, startedAt = 1): RunRecord => ({
  runId, pipeline: 'p', definitionFile: 'p.json', definition: 'x'.repeat(3000), parameters: {}, execution: {}, options: { noCache: false, rerun: [] },
  status: 'succeeded', startedAt,
});

/** A home whose cairn.db holds `n` runs (closed cleanly: everything is in the database file). */
function homeWithRuns(name: string, n: number): ReturnType<typeof resolveHome> {
  const home = resolveHome({ CAIRN_HOME: join(tmp.dir, name) }, tmp.dir);
  const s = Store.open(home.db);
  for (let i = 0; i < n; i++) s.createRun(run(`r${i}`, i), [{ name: 'A', type: 'Processing' }]);
  s.close();
  return home;
}

function faultOf(fn: () => unknown): StoreFault {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreFault) return e;
    throw e;
  }
  throw new Error('expected a StoreFault');
}

function cli(home: string, args: string[]): { code: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, CAIRN_HOME: home }, encoding: 'utf8', cwd: tmp.dir });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

const READ_COMMANDS = [['runs'], ['show', 'r1'], ['explain', 'r1', 'A'], ['metrics', 'r1'], ['logs', 'r1', 'A'],
  ['experiments'], ['models', 'groups'], ['compare', 'r1', 'r2']];

describe('a damaged cairn.db is a typed fault naming the file and SQLite\'s reason', () => {
  it('garbage in place of the database: SQLITE_NOTADB at open', () => {
    const home = homeWithRuns('garbage', 3);
    writeFileSync(home.db, Buffer.from('this is not an SQLite database, only some text that replaced it. '.repeat(80)));
    const f = faultOf(() => Store.open(home.db));
    expect(f.problem).toEqual({ kind: 'damaged', file: home.db, sqliteCode: 'SQLITE_NOTADB', sqliteText: 'file is not a database' });
  });

  it('a truncated database: SQLITE_CORRUPT when its pages are read', () => {
    const home = homeWithRuns('truncated', 60);
    truncateSync(home.db, 40_000);
    const f = faultOf(() => { const s = Store.open(home.db); try { return s.listRuns(); } finally { s.close(); } });
    expect(f.problem).toMatchObject({ kind: 'damaged', file: home.db, sqliteCode: 'SQLITE_CORRUPT', sqliteText: 'database disk image is malformed' });
  });

  it('every read-only command says so in one message (file, reason, what to do) and exits 1, never "internal error"', () => {
    const home = homeWithRuns('cli', 3);
    writeFileSync(home.db, Buffer.alloc(8192, 7));
    for (const args of READ_COMMANDS) {
      const r = cli(home.root, args);
      expect({ args, code: r.code }).toEqual({ args, code: 1 });
      expect(r.stderr).not.toMatch(/internal error|SqliteError|at .*\.js:\d+/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`the database ${home.db} is damaged (SQLite: file is not a database, SQLITE_NOTADB)`);
      expect(r.stderr).toContain('`cairn doctor`');
      expect(r.stderr).toContain(`mv ${home.db} ${home.db}.damaged`);
    }
  });

  it('a truncated database through the CLI: the malformed-image message, exit 1', () => {
    const home = homeWithRuns('cli-truncated', 60);
    truncateSync(home.db, 40_000);
    const r = cli(home.root, ['runs']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the database ${home.db} is damaged (SQLite: database disk image is malformed, SQLITE_CORRUPT)`);
  });

  it('a home that cannot be made (a file in its place): inaccessible, naming the file and the error', () => {
    const blocker = join(tmp.dir, 'blocker');
    writeFileSync(blocker, 'a file, not a directory');
    const db = join(blocker, 'home', 'cairn.db');
    expect(faultOf(() => Store.open(db)).problem).toMatchObject({ kind: 'inaccessible', file: db, code: 'ENOTDIR' });
    // run, resume and plan open it whether it exists or not (the other commands first look for the file).
    expect(storeFaultText(faultOf(() => Store.open(db)).problem)).toMatch(
      new RegExp(`^cairn: cannot reach the database ${db} \\(ENOTDIR: not a directory, mkdir '${join(blocker, 'home')}'\\)\\. Check that CAIRN_HOME`));
  });

  it('a database written by a newer cairn: its own message, exit 1', () => {
    const home = homeWithRuns('newer', 1);
    const s = Store.open(home.db);
    s.db.prepare(`UPDATE meta SET value = '99' WHERE key = 'schema'`).run();
    s.close();
    expect(faultOf(() => Store.open(home.db)).problem).toEqual({ kind: 'newer-schema', file: home.db, version: '99', supported: SCHEMA_VERSION });
    const r = cli(home.root, ['runs']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`cairn: ${home.db} was written by a newer cairn (schema 99; this cairn reads up to ${SCHEMA_VERSION}); upgrade cairn to read it.`);
  });
});

/** A process that records runs `kept` and checkpoints, then records `lost`, makes their directories, and dies (kill -9). */
async function crashAfterWrites(home: ReturnType<typeof resolveHome>, kept: string[], lost: string[], checkpoint: boolean): Promise<void> {
  const script = `
    import { mkdirSync } from 'node:fs';
    const { Store } = await import(${JSON.stringify(STORE_JS)});
    const s = Store.open(${JSON.stringify(home.db)});
    const run = (id, i) => ({ runId: id, pipeline: 'p', definitionFile: 'p.json', definition: 'd', parameters: {}, execution: {}, options: { noCache: false, rerun: [] }, status: 'running', startedAt: i });
    ${JSON.stringify(kept)}.forEach((id, i) => { s.createRun(run(id, i), []); mkdirSync(${JSON.stringify(home.runsDir)} + '/' + id, { recursive: true }); });
    if (${String(checkpoint)}) s.checkpoint();
    ${JSON.stringify(lost)}.forEach((id, i) => { s.createRun(run(id, 100 + i), []); mkdirSync(${JSON.stringify(home.runsDir)} + '/' + id, { recursive: true }); });
    process.kill(process.pid, 'SIGKILL');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'inherit', 'inherit'] });
  const signal = await new Promise((r) => child.on('close', (_code, sig) => r(sig)));
  expect(signal).toBe('SIGKILL');
}

describe('a -wal file lost after a crash', () => {
  it('loses what it held; a checkpoint keeps what came before it; the orphaned run directories are found', async () => {
    const home = resolveHome({ CAIRN_HOME: join(tmp.dir, 'wal') }, tmp.dir);
    mkdirSync(home.root, { recursive: true });
    await crashAfterWrites(home, ['kept1', 'kept2'], ['lost1'], true);
    expect(existsSync(`${home.db}-wal`)).toBe(true);
    rmSync(`${home.db}-wal`);
    const s = Store.open(home.db);
    try {
      expect(s.listRuns().map((r) => r.runId).sort()).toEqual(['kept1', 'kept2']);
      expect(runDirsWithoutRecord(home, s)).toEqual(['lost1']);
    } finally {
      s.close();
    }
    const r = cli(home.root, ['runs']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kept1');
    expect(r.stderr).toContain(`note: 1 run directory under ${home.runsDir} has no record in ${home.db}: lost1.`);
  });

  it('without the checkpoint every run the -wal held is gone, and each of their directories is listed', async () => {
    const home = resolveHome({ CAIRN_HOME: join(tmp.dir, 'wal-none') }, tmp.dir);
    mkdirSync(home.root, { recursive: true });
    await crashAfterWrites(home, ['a1', 'a2'], ['b1'], false);
    rmSync(`${home.db}-wal`);
    const s = Store.open(home.db);
    try {
      expect(s.listRuns()).toEqual([]);
      expect(runDirsWithoutRecord(home, s)).toEqual(['a1', 'a2', 'b1']);
    } finally {
      s.close();
    }
  });

  it('a damaged -wal (garbage) is ignored by SQLite like a deleted one; a damaged -shm is rebuilt', async () => {
    const home = resolveHome({ CAIRN_HOME: join(tmp.dir, 'wal-garbage') }, tmp.dir);
    mkdirSync(home.root, { recursive: true });
    await crashAfterWrites(home, ['k'], ['g'], true);
    writeFileSync(`${home.db}-wal`, Buffer.alloc(70_000, 0x5a));
    writeFileSync(`${home.db}-shm`, Buffer.alloc(32_768, 0x33));
    const s = Store.open(home.db);
    try {
      expect(s.listRuns().map((r) => r.runId)).toEqual(['k']);
      expect(runDirsWithoutRecord(home, s)).toEqual(['g']);
    } finally {
      s.close();
    }
  });

  it('no runs directory: nothing to report', () => {
    const home = homeWithRuns('no-runs-dir', 1);
    const s = Store.open(home.db);
    try {
      expect(runDirsWithoutRecord(home, s)).toEqual([]);
    } finally {
      s.close();
    }
  });
});
