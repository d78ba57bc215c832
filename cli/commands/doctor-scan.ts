import { StoreFault } from '../../cache/store-fault.js';
import { existsSync } from 'node:fs';
import { scanCas, scanTempLeftovers } from '../../cache/cas-scan.js';
import { MemoryHashCache, type HashCache } from '../../cache/hasher.js';
import { runIsLive } from '../../cache/run-lock.js';
import { Store } from '../../cache/store.js';
import { repairFile } from '../../cache/store-repair.js';
import {
  integrityProblems, lostOutputs, manifestSizes, recordedOutputs, unrecordedRunDirs, viewProblems, type OutputRow,
} from '../../cache/store-scan.js';
import { LABEL_RUN } from '../../containers/labels.js';
import type { ContainerRuntime } from '../../contracts/container-runtime.js';
import {
  DOCTOR_REPORT_VERSION, type DoctorFinding, type DoctorReport, type RepairOutcome, type SkippedCheck,
} from '../../contracts/doctor-report.js';
import type { Home } from '../../contracts/home.js';
import { findDeadRuns, markInterrupted, orphanedContainers, orphanedNetworks } from '../../engine/run/reconcile.js';

/**
 * `cairn doctor`: every check of a cairn home, in one pass that only reads; with `repair`, each finding that can be
 * derived is mended and a second pass says what remains. The Docker engine is optional: without it (`runtime`
 * undefined or unreachable) the container check is skipped and says why.
 */
export async function doctor(home: Home, runtime: ContainerRuntime | undefined, repair: boolean): Promise<DoctorReport> {
  const report: DoctorReport = {
    version: DOCTOR_REPORT_VERSION, home: home.root, state: 'checked', findings: [], repairs: [], remaining: [], skipped: [], clean: true,
  };
  if (!existsSync(home.root)) return { ...report, state: 'missing', clean: false };
  const first = await scan(home, runtime);
  report.findings = first.findings;
  report.skipped = first.skipped;
  report.remaining = first.findings;
  if (repair && first.findings.length > 0) {
    report.repairs = await repairAll(home, runtime, first.findings);
    const second = await scan(home, runtime);
    report.remaining = second.findings;
    report.skipped = second.skipped;
  }
  report.clean = report.remaining.length === 0;
  return report;
}

interface Scan {
  findings: DoctorFinding[];
  skipped: SkippedCheck[];
}

async function scan(home: Home, runtime: ContainerRuntime | undefined): Promise<Scan> {
  const findings: DoctorFinding[] = [];
  const skipped: SkippedCheck[] = [];
  const opened = openForCheck(home.db);
  if (!opened.ok) findings.push(opened.finding);
  const store = opened.ok ? opened.store : undefined;
  try {
    const hashCache = cacheOf(store);
    let outputs: OutputRow[] = [];
    let liveRuns: string[] = [];
    if (store !== undefined) {
      outputs = recordedOutputs(store);
      liveRuns = store.listRuns().filter((r) => runIsLive(store, r.runId)).map((r) => r.runId);
      for (const runId of findDeadRuns(store)) findings.push({ kind: 'run-dead', runId });
      findings.push(...await containerFindings(store, runtime, home.root, skipped));
    } else if (existsSync(home.db)) {
      skipped.push({ check: 'records', reason: 'database-unreadable' });
    }
    const cas = await scanCas(home.root, manifestSizes(outputs), hashCache);
    findings.push(...cas.damaged, ...lostOutputs(outputs, cas.blobs));
    findings.push(...await viewProblems(home.root, outputs, cas.blobs, hashCache));
    // A live run may be committing right now: its temp files are not leftovers.
    if (liveRuns.length > 0) skipped.push({ check: 'temp-leftovers', reason: 'run-live', runIds: liveRuns });
    else if (opened.ok || !existsSync(home.db)) findings.push(...await scanTempLeftovers(home.root));
    if (store !== undefined) findings.push(...await unrecordedRunDirs(home.runsDir, store));
  } finally {
    store?.close();
  }
  return { findings, skipped };
}

/**
 * The store's stat cache of file hashes (as the run services use it); a memory one when there is no store. Failing to
 * remember a hash (a full disk, a read-only home) loses nothing: the check goes on.
 */
function cacheOf(store: Store | undefined): HashCache {
  if (store === undefined) return new MemoryHashCache();
  return {
    get: (p) => store.getFileHash(p),
    put: (p, e) => { try { store.putFileHash(p, e); } catch { /* only a cache */ } },
  };
}

type Opened = { ok: true; store: Store | undefined } | { ok: false; finding: DoctorFinding };

/**
 * Opens cairn.db (none yet: no records to check) and runs `PRAGMA integrity_check`. A file SQLite cannot open or
 * read, or one whose check is not `ok`, is a finding: the records are then not read (they cannot be trusted).
 */
function openForCheck(file: string): Opened {
  if (!existsSync(file)) return { ok: true, store: undefined };
  let store: Store | undefined;
  try {
    store = Store.open(file);
    const problems = integrityProblems(store);
    if (problems.length === 0) return { ok: true, store };
    store.close();
    return { ok: false, finding: { kind: 'database-damaged', file, problems } };
  } catch (e) {
    try { store?.close(); } catch { /* already unusable */ }
    return { ok: false, finding: { kind: 'database-unreadable', file, ...unreadableWhy(e) } };
  }
}

async function containerFindings(store: Store, runtime: ContainerRuntime | undefined, root: string, skipped: SkippedCheck[]): Promise<DoctorFinding[]> {
  if (runtime === undefined) return [];
  try {
    const ping = await runtime.ping();
    if (!ping.ok) {
      skipped.push({ check: 'containers', reason: 'engine-unreachable', engineText: ping.error });
      return [];
    }
    const containers = (await orphanedContainers(store, runtime, root)).map((c) => {
      const runId = c.labels[LABEL_RUN];
      return { kind: 'orphaned-container' as const, id: c.id, state: c.state, ...(runId === undefined ? {} : { runId }) };
    });
    const networks = (await orphanedNetworks(store, runtime, root)).map((n) => {
      const runId = n.labels[LABEL_RUN];
      return { kind: 'orphaned-network' as const, id: n.id, name: n.name, ...(runId === undefined ? {} : { runId }) };
    });
    return [...containers, ...networks];
  } catch (e) {
    skipped.push({ check: 'containers', reason: 'engine-unreachable', engineText: e instanceof Error ? e.message : String(e) });
    return [];
  }
}

async function repairAll(home: Home, runtime: ContainerRuntime | undefined, findings: DoctorFinding[]): Promise<RepairOutcome[]> {
  const out: RepairOutcome[] = [];
  let store: Store | undefined;
  const needsStore = findings.some((f) => f.kind === 'run-dead' || f.kind === 'view-differs');
  if (needsStore) store = Store.open(home.db);
  const hashCache = cacheOf(store);
  try {
    for (const finding of findings) {
      try {
        const done = await repairOne(home, runtime, store, hashCache, finding);
        out.push({ finding, outcome: done ? 'repaired' : 'not-repairable' });
      } catch (e) {
        out.push({ finding, outcome: 'failed', error: e instanceof Error ? e.message : String(e) });
      }
    }
  } finally {
    store?.close();
  }
  return out;
}

async function repairOne(
  home: Home, runtime: ContainerRuntime | undefined, store: Store | undefined, cache: HashCache, f: DoctorFinding,
): Promise<boolean> {
  switch (f.kind) {
    case 'database-unreadable':
    case 'database-damaged':
      return false;
    case 'run-dead':
      if (store === undefined) return false;
      markInterrupted(store, f.runId);
      return true;
    case 'orphaned-container':
      if (runtime === undefined) return false;
      await runtime.removeContainer(f.id);
      return true;
    case 'orphaned-network':
      if (runtime === undefined) return false;
      await runtime.removeNetwork(f.id);
      return true;
    case 'temp-leftover':
    case 'blob-damaged':
    case 'output-lost':
    case 'view-differs':
    case 'run-dir-unrecorded':
      return repairFile(home.root, f, cache);
  }
}

/** SQLite's own code and words for a database that cannot be opened (a StoreFault from cache/store-open.ts, or any error). */
function unreadableWhy(e: unknown): { message: string; code?: string } {
  if (e instanceof StoreFault) {
    const p = e.problem;
    if ('sqliteCode' in p) return { message: p.sqliteText, code: p.sqliteCode };
    if (p.kind === 'inaccessible') return { message: p.text, code: p.code };
  }
  const code = (e as { code?: unknown }).code;
  return { message: e instanceof Error ? e.message : String(e), ...(typeof code === 'string' ? { code } : {}) };
}
