import { spawnSync } from 'node:child_process';
import { rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../contracts/doctor-report.js';
import { CLI } from '../e2e/harness.js';
import { DoctorHome } from './doctor-home.js';

/** `cairn doctor` through the built CLI (npm run build first): exit codes, --json, --home, --repair. */
function cairn(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let h: DoctorHome;
beforeEach(async () => {
  h = new DoctorHome();
  await h.run('r1', { A: { 'x.txt': 'xxxx' } });
});
afterEach(() => h.dispose());

describe('cairn doctor (CLI)', () => {
  it('exit 0 on a clean home, with a JSON report; the container check says the engine is unreachable (unit tests have none)', () => {
    const r = cairn(['doctor', '--json'], { CAIRN_HOME: h.home.root });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as DoctorReport;
    expect(j).toMatchObject({ version: 1, home: h.home.root, state: 'checked', findings: [], remaining: [], clean: true });
    expect(j.skipped.map((s) => s.check)).toEqual(['containers']);
  });

  it('exit 1 while problems remain; --repair mends what it can (exit 0 after); --home overrides CAIRN_HOME', () => {
    writeFileSync(path.join(h.home.root, 's3/bucket/r1/A/out/.cairn-tmp-000000000000-x.txt'), 'partial');
    const found = cairn(['doctor', '--home', h.home.root], { CAIRN_HOME: '/nonexistent' });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain(`problem: leftover temporary file ${h.home.root}/s3/bucket/r1/A/out/.cairn-tmp-000000000000-x.txt (repair removes it)`);
    expect(found.stdout).toContain('1 problem found (`cairn doctor --repair` fixes what can be derived)');
    const fixed = cairn(['doctor', '--repair', '--home', h.home.root]);
    expect(fixed.stdout).toContain('repaired: leftover temporary file');
    expect(fixed.stdout).toContain('clean after 1 repair');
    expect(fixed.code).toBe(0);
  });

  it('exit 1 on a damaged blob that repair cannot restore; exit 2 on a missing home; a non-database cairn.db is no crash', () => {
    truncateSync(path.join(h.home.root, 's3/bucket/r1/A/out/x.txt'), 2);
    expect(cairn(['doctor', '--repair', '--home', h.home.root]).code).toBe(1);
    const missing = cairn(['doctor', '--home', path.join(h.tmp.dir, 'nope')]);
    expect([missing.code, missing.stdout.trim()]).toEqual([2, `no cairn home at ${path.join(h.tmp.dir, 'nope')} (set CAIRN_HOME or pass --home)`]);
    for (const f of ['', '-wal', '-shm']) rmSync(h.home.db + f, { force: true });
    writeFileSync(h.home.db, 'garbage'.repeat(1000));
    const bad = cairn(['doctor', '--home', h.home.root]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('cannot be read: file is not a database (SQLITE_NOTADB)');
    expect(bad.stderr).not.toContain('internal error');
  });

  it('--help documents the exit codes', () => {
    const r = cairn(['doctor', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes: 0 clean (nothing remains), 1 problems remain, 2 invalid input or no cairn home there.');
  });
});
