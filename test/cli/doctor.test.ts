import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobPath } from '../../cache/cas.js';
import { acquireRunLock, currentOwner } from '../../cache/run-lock.js';
import { LABEL_HOME, LABEL_RUN, homeLabel, networkLabels } from '../../containers/labels.js';
import type { DoctorFinding } from '../../contracts/doctor-report.js';
import { doctor } from '../../cli/commands/doctor-scan.js';
import { doctorText, findingText } from '../../cli/doctor-words.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { DoctorHome } from './doctor-home.js';

const hex = (s: string): string => createHash('sha256').update(s).digest('hex');
const kinds = (fs: DoctorFinding[]): string[] => fs.map((f) => f.kind);

let h: DoctorHome;
let runtime: FakeRuntime;
beforeEach(async () => {
  h = new DoctorHome();
  runtime = new FakeRuntime();
  await h.run('r1', { A: { 'x.txt': 'xxxx', 'sub/y.txt': 'yy' }, B: { 'b.txt': 'bbb' } });
});
afterEach(() => h.dispose());

describe('cairn doctor on a sound home', () => {
  it('finds nothing, skips nothing, is clean, and repair does nothing', async () => {
    const r = await doctor(h.home, runtime, false);
    expect(r).toEqual({ version: 1, home: h.home.root, state: 'checked', findings: [], repairs: [], remaining: [], skipped: [], clean: true });
    expect(await doctor(h.home, runtime, true)).toEqual(r);
    expect(doctorText(r, false)).toEqual([`cairn doctor: ${h.home.root}`, 'clean: no problems found']);
  });

  it('reports a missing home as such (not clean), without creating it', async () => {
    h.dispose();
    const r = await doctor(h.home, runtime, true);
    expect(r).toMatchObject({ state: 'missing', clean: false, findings: [] });
    expect(existsSync(h.home.root)).toBe(false);
    expect(doctorText(r, true)).toEqual([`no cairn home at ${h.home.root} (set CAIRN_HOME or pass --home)`]);
  });

  it('skips the container check when the engine is unreachable, and says so', async () => {
    runtime.ping = () => Promise.resolve({ ok: false as const, error: 'connect ENOENT /nowhere.sock' });
    const r = await doctor(h.home, runtime, false);
    expect(r.skipped).toEqual([{ check: 'containers', reason: 'engine-unreachable', engineText: 'connect ENOENT /nowhere.sock' }]);
    expect(r.clean).toBe(true);
  });
});

describe('CAS blobs and recorded outputs', () => {
  it('a blob truncated through the s3/ view (same inode): damaged, its output lost; repair quarantines it', async () => {
    truncateSync(h.s3('bucket/r1/A/out/x.txt'), 1);
    const r = await doctor(h.home, runtime, false);
    const blob = blobPath(h.home.root, hex('xxxx'));
    expect(r.findings).toEqual([
      { kind: 'blob-damaged', hash: hex('xxxx'), path: blob, damage: { kind: 'size', expected: 4, actual: 1 } },
      { kind: 'output-lost', runId: 'r1', step: 'A', output: 'out', uri: 's3://bucket/r1/A/out', isFile: false, files: [{ path: 'x.txt', hash: hex('xxxx'), state: 'damaged' }] },
    ]);
    expect(r.clean).toBe(false);
    const fixed = await doctor(h.home, runtime, true);
    expect(fixed.repairs.map((x) => [x.finding.kind, x.outcome])).toEqual([['blob-damaged', 'repaired'], ['output-lost', 'not-repairable']]);
    expect(existsSync(blob)).toBe(false);
    expect(readFileSync(path.join(h.home.root, 'quarantine/blobs', hex('xxxx')), 'utf8')).toBe('x');
    // The blob is now missing (the next run re-runs A), and the view file holds the bad bytes with no blob to restore.
    expect(fixed.remaining).toEqual([
      { kind: 'output-lost', runId: 'r1', step: 'A', output: 'out', uri: 's3://bucket/r1/A/out', isFile: false, files: [{ path: 'x.txt', hash: hex('xxxx'), state: 'missing' }] },
      { kind: 'view-differs', path: h.s3('bucket/r1/A/out/x.txt'), runId: 'r1', step: 'A', output: 'out', hash: hex('xxxx'), found: 'other-bytes', blobIntact: false },
    ]);
    expect(fixed.clean).toBe(false);
  });

  it('a blob whose content changed at the same size is damaged (content hash)', async () => {
    const blob = blobPath(h.home.root, hex('bbb'));
    chmodSync(blob, 0o644);
    writeFileSync(blob, 'BBB');
    const r = await doctor(h.home, runtime, false);
    expect(r.findings[0]).toEqual({ kind: 'blob-damaged', hash: hex('bbb'), path: blob, damage: { kind: 'content', actualHash: hex('BBB') } });
    expect(findingText(r.findings[0]!)).toBe(`damaged blob: ${blob} hashes to ${hex('BBB')} (repair moves it into quarantine; the step that produced it re-runs when next needed)`);
  });

  it('a deleted blob: its output is lost; repair puts the blob back from the view copy, which still hashes right', async () => {
    const blob = blobPath(h.home.root, hex('yy'));
    unlinkSync(blob);
    const r = await doctor(h.home, runtime, true);
    expect(r.findings).toEqual([
      { kind: 'output-lost', runId: 'r1', step: 'A', output: 'out', uri: 's3://bucket/r1/A/out', isFile: false, files: [{ path: 'sub/y.txt', hash: hex('yy'), state: 'missing' }] },
    ]);
    expect(r.repairs.map((x) => x.outcome)).toEqual(['repaired']);
    expect(r).toMatchObject({ remaining: [], clean: true });
    expect(readFileSync(blob, 'utf8')).toBe('yy');
    expect(statSync(blob).mode & 0o777).toBe(0o444);
    expect(readdirSync(path.dirname(blob)).filter((n) => n.startsWith('.cairn-tmp-'))).toEqual([]);
  });

  it('a deleted blob whose view copy is gone or holds other bytes: not repairable, the next run re-creates it', async () => {
    unlinkSync(blobPath(h.home.root, hex('yy')));
    unlinkSync(blobPath(h.home.root, hex('bbb')));
    unlinkSync(h.s3('bucket/r1/A/out/sub/y.txt'));
    const b = h.s3('bucket/r1/B/out/b.txt');
    unlinkSync(b);
    writeFileSync(b, 'bbB');
    const r = await doctor(h.home, runtime, true);
    expect(r.repairs.map((x) => [x.finding.kind, x.outcome])).toEqual([
      ['output-lost', 'not-repairable'], ['output-lost', 'not-repairable'], ['view-differs', 'not-repairable'], ['view-differs', 'not-repairable'],
    ]);
    expect(kinds(r.remaining)).toEqual(['output-lost', 'output-lost', 'view-differs', 'view-differs']);
    expect(existsSync(blobPath(h.home.root, hex('bbB')))).toBe(false);
  });
});

describe('the s3/ view', () => {
  it('a view file replaced by other bytes (another inode) is re-linked from its intact blob', async () => {
    const p = h.s3('bucket/r1/B/out/b.txt');
    unlinkSync(p);
    writeFileSync(p, 'not b');
    const r = await doctor(h.home, runtime, true);
    expect(r.findings).toEqual([{ kind: 'view-differs', path: p, runId: 'r1', step: 'B', output: 'out', hash: hex('bbb'), found: 'other-bytes', blobIntact: true }]);
    expect(r.repairs.map((x) => x.outcome)).toEqual(['repaired']);
    expect(r).toMatchObject({ remaining: [], clean: true });
    expect(readFileSync(p, 'utf8')).toBe('bbb');
  });

  it('a deleted view file, or a directory in its place, is put back', async () => {
    const y = h.s3('bucket/r1/A/out/sub/y.txt');
    const x = h.s3('bucket/r1/A/out/x.txt');
    rmSync(h.s3('bucket/r1/A/out/sub'), { recursive: true });
    unlinkSync(x);
    mkdirSync(x);
    const r = await doctor(h.home, runtime, true);
    expect(r.findings.map((f) => f.kind === 'view-differs' && [f.path, f.found])).toEqual([[y, 'missing'], [x, 'not-a-file']]);
    expect(r.clean).toBe(true);
    expect([readFileSync(x, 'utf8'), readFileSync(y, 'utf8')]).toEqual(['xxxx', 'yy']);
  });

  it('only the newest executed output at a path counts: a later run that overwrote it, or a reused record, is no problem', async () => {
    const [old] = await h.run('r0', { C: { 'c.txt': 'first' } });
    await h.run('r2', {});
    // Something wrote other bytes at r0's URI; r4 records r0's output again as reused (a reuse places nothing).
    await h.reusedRun('r4', 'C', old!);
    rmSync(h.s3('bucket/r0/C/out/c.txt'));
    writeFileSync(h.s3('bucket/r0/C/out/c.txt'), 'second');
    const first = await doctor(h.home, runtime, false);
    expect(kinds(first.findings)).toEqual(['view-differs']);
    // Now record a newer execution of the same URI holding "second": the view matches the newest record.
    h.withStore((s) => {
      s.db.prepare(`UPDATE outputs SET hash = ?, manifest = ? WHERE run_id = 'r4'`).run('sha256:x', JSON.stringify([{ path: 'c.txt', hash: hex('second'), size: 6 }]));
      s.db.prepare(`UPDATE steps SET reused = 0 WHERE run_id = 'r4'`).run();
    });
    const second = await doctor(h.home, runtime, false);
    expect(second.findings.map((f) => f.kind === 'output-lost' && f.files[0]?.hash)).toEqual([hex('second')]);
  });
});

describe('leftovers, containers and runs', () => {
  it('temp files in the s3/ view and the CAS, and <home>/tmp dirs of dead processes: found and removed', async () => {
    const inView = h.write('s3/bucket/r1/A/out/.cairn-tmp-0a1b2c3d4e5f-x.txt', 'partial');
    const inCas = h.write(`cas/sha256/${hex('xxxx').slice(0, 2)}/.cairn-tmp-aaaaaaaaaaaa-${hex('xxxx').slice(2)}`, 'partial');
    const dead = `p999999999-1-${hostname()}`;
    const inTmp = h.write(`tmp/${dead}/part`, 'partial');
    const me = currentOwner();
    const mine = h.write(`tmp/p${me.pid}-${me.procStart}-${me.host}/part`, 'this process is alive');
    const r = await doctor(h.home, runtime, false);
    expect(r.findings).toEqual([
      { kind: 'temp-leftover', path: inCas, where: 'cas' },
      { kind: 'temp-leftover', path: inView, where: 's3' },
      { kind: 'temp-leftover', path: path.join(h.home.root, 'tmp', dead), where: 'tmp' },
    ].sort((a, b) => (a.path < b.path ? -1 : 1)));
    const fixed = await doctor(h.home, runtime, true);
    expect(fixed.clean).toBe(true);
    expect([inView, inCas, inTmp, mine].map(existsSync)).toEqual([false, false, false, true]);
  });

  it('temp files are not judged while a run is live (its commit may be in progress)', async () => {
    h.write('s3/bucket/r1/A/out/.cairn-tmp-0a1b2c3d4e5f-x.txt', 'partial');
    h.withStore((s) => { s.setRunStatus('r1', 'running'); acquireRunLock(s, 'r1', currentOwner()); });
    const r = await doctor(h.home, runtime, true);
    expect(r).toMatchObject({ findings: [], skipped: [{ check: 'temp-leftovers', reason: 'run-live', runIds: ['r1'] }], clean: true });
    expect(existsSync(h.s3('bucket/r1/A/out/.cairn-tmp-0a1b2c3d4e5f-x.txt'))).toBe(true);
  });

  it('containers of this home whose run is not live are orphaned and removed; those of a live run and of other homes stay', async () => {
    const orphan = runtime.leaveContainer({ [LABEL_HOME]: homeLabel(h.home.root), [LABEL_RUN]: 'r1' });
    h.withStore((s) => s.createRun({ runId: 'live', pipeline: 'p', definitionFile: 'p.json', definition: '{}', parameters: {}, execution: {}, options: { noCache: false, rerun: [] }, status: 'succeeded', startedAt: 1 }, []));
    h.withStore((s) => acquireRunLock(s, 'live', currentOwner()));
    mkdirSync(h.home.runDir('live'));
    const busy = runtime.leaveContainer({ [LABEL_HOME]: homeLabel(h.home.root), [LABEL_RUN]: 'live' }, 'running');
    const other = runtime.leaveContainer({ [LABEL_HOME]: homeLabel('/elsewhere'), [LABEL_RUN]: 'r1' });
    const r = await doctor(h.home, runtime, true);
    expect(r.findings).toEqual([{ kind: 'orphaned-container', id: orphan, runId: 'r1', state: 'exited' }]);
    expect(r.clean).toBe(true);
    expect((await runtime.listContainers({})).map((c) => c.id).sort()).toEqual([busy, other].sort());
  });

  it('a run network of this home whose run is not live is orphaned and removed; a live run\'s and another home\'s stay', async () => {
    const dead = await runtime.createNetwork({ name: 'cairn-r1', labels: networkLabels({ home: h.home.root, runId: 'r1', pid: 999999 }) });
    h.withStore((s) => s.createRun({ runId: 'live', pipeline: 'p', definitionFile: 'p.json', definition: '{}', parameters: {}, execution: {}, options: { noCache: false, rerun: [] }, status: 'succeeded', startedAt: 1 }, []));
    h.withStore((s) => acquireRunLock(s, 'live', currentOwner()));
    mkdirSync(h.home.runDir('live'));
    await runtime.createNetwork({ name: 'cairn-live', labels: networkLabels({ home: h.home.root, runId: 'live' }) });
    await runtime.createNetwork({ name: 'cairn-other', labels: networkLabels({ home: '/elsewhere', runId: 'r1' }) });
    const r = await doctor(h.home, runtime, true);
    expect(r.findings).toEqual([{ kind: 'orphaned-network', id: dead.ok ? dead.value.id : '?', name: 'cairn-r1', runId: 'r1' }]);
    expect(findingText(r.findings[0]!)).toBe('network cairn-r1 of run r1 has no live owner (repair removes it)');
    expect(r.clean).toBe(true);
    expect((await runtime.listNetworks({})).map((n) => n.name).sort()).toEqual(['cairn-live', 'cairn-other']);
  });

  it('a run marked running with no live owner is dead; repair marks it stopped (steps stopped)', async () => {
    await h.run('r9', {}, { status: 'running' });
    h.withStore((s) => {
      s.createRun({ runId: 'r8', pipeline: 'p', definitionFile: 'p.json', definition: '{}', parameters: {}, execution: {}, options: { noCache: false, rerun: [] }, status: 'running', startedAt: 5 }, [{ name: 'S', type: 'Processing' }]);
      s.setStepStatus('r8', 'S', 'running', { startedAt: 5 });
    });
    mkdirSync(h.home.runDir('r8'));
    const r = await doctor(h.home, runtime, true);
    expect(r.findings).toEqual([{ kind: 'run-dead', runId: 'r9' }, { kind: 'run-dead', runId: 'r8' }]);
    expect(r.clean).toBe(true);
    expect(h.withStore((s) => [s.getRun('r8')?.status, s.getStep('r8', 'S')?.status])).toEqual(['stopped', 'stopped']);
  });

  it('a run directory without a record is moved into quarantine', async () => {
    h.write('runs/ghost1234567/cairn.log', '{}\n');
    const r = await doctor(h.home, runtime, true);
    expect(r.findings).toEqual([{ kind: 'run-dir-unrecorded', runId: 'ghost1234567', path: h.home.runDir('ghost1234567') }]);
    expect(r.clean).toBe(true);
    expect(readdirSync(path.join(h.home.root, 'quarantine/runs'))).toEqual(['ghost1234567']);
    expect(existsSync(h.home.runDir('ghost1234567'))).toBe(false);
  });
});

describe('a damaged database', () => {
  it('a cairn.db that is not a database: reported with SQLite\'s words, the CAS still checked, nothing repaired', async () => {
    writeFileSync(h.home.db, 'this is not sqlite '.repeat(400));
    for (const f of ['-wal', '-shm']) rmSync(h.home.db + f, { force: true });
    truncateSync(h.s3('bucket/r1/B/out/b.txt'), 0);
    const r = await doctor(h.home, runtime, true);
    expect(kinds(r.findings)).toEqual(['database-unreadable', 'blob-damaged']);
    expect(r.findings[0]).toMatchObject({ file: h.home.db, message: 'file is not a database', code: 'SQLITE_NOTADB' });
    expect(r.skipped).toEqual([{ check: 'records', reason: 'database-unreadable' }]);
    expect(r.repairs.map((x) => x.outcome)).toEqual(['not-repairable', 'repaired']);
    expect(kinds(r.remaining)).toEqual(['database-unreadable']);
    expect(findingText(r.remaining[0]!)).toContain('file is not a database (SQLITE_NOTADB). Move it aside');
  });

  it('a damaged page: SQLite refuses the file (database disk image is malformed)', async () => {
    h.withStore((s) => s.db.pragma('wal_checkpoint(TRUNCATE)'));
    const bytes = readFileSync(h.home.db);
    const pageSize = bytes.readUInt16BE(16);
    // Page 2 onwards: every b-tree page header is overwritten with garbage.
    for (let page = 1; page * pageSize < bytes.length; page++) bytes.fill(0xa5, page * pageSize, page * pageSize + 16);
    writeFileSync(h.home.db, bytes);
    const r = await doctor(h.home, runtime, false);
    expect(r.findings[0]).toEqual({ kind: 'database-unreadable', file: h.home.db, message: 'database disk image is malformed', code: 'SQLITE_CORRUPT' });
    expect(r.clean).toBe(false);
  });

  it('an index that disagrees with its table: PRAGMA integrity_check\'s rows are reported, records not trusted', async () => {
    h.withStore((s) => {
      s.db.unsafeMode(true);
      s.db.pragma('writable_schema = ON');
      s.db.prepare(`UPDATE sqlite_master SET sql = 'CREATE INDEX runs_started ON runs(pipeline)' WHERE name = 'runs_started'`).run();
    });
    const r = await doctor(h.home, runtime, true);
    expect(r.findings).toEqual([{ kind: 'database-damaged', file: h.home.db, problems: ['row 1 missing from index runs_started'] }]);
    expect(r.skipped).toEqual([{ check: 'records', reason: 'database-unreadable' }]);
    expect(r.repairs.map((x) => x.outcome)).toEqual(['not-repairable']);
    expect(findingText(r.findings[0]!)).toBe(
      `${h.home.db} fails SQLite's integrity check: row 1 missing from index runs_started. Restore it from a backup or try \`sqlite3 ${h.home.db} .recover\`; cairn cannot rebuild it`);
  });
});
