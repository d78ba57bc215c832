/**
 * What `cairn doctor` found in a cairn home, as data (`cairn doctor --json` prints a DoctorReport; cli/doctor-words.ts
 * words each finding with an exhaustive switch, so a new kind without words is a compile error).
 */

import type { BlobDamage } from './blob-damage.js';

/** One recorded file of an output whose blob is gone or damaged. */
export interface LostFile {
  path: string;
  hash: string;
  state: 'missing' | 'damaged';
}

export type DoctorFinding =
  /** cairn.db cannot be opened or read (SQLite's message as it came). */
  | { kind: 'database-unreadable'; file: string; message: string; code?: string }
  /** `PRAGMA integrity_check` answered something other than `ok` (its rows, at most 20). */
  | { kind: 'database-damaged'; file: string; problems: string[] }
  /** A CAS blob whose bytes do not match its name. Repair: moved into `<home>/quarantine/`. */
  | { kind: 'blob-damaged'; hash: string; path: string; damage: BlobDamage }
  /**
   * A recorded output lists files whose blob is missing or damaged: the next run that needs it re-creates it. Repair:
   * a missing blob is put back from the output's own file in the `s3/` view when that still hashes to it.
   */
  | { kind: 'output-lost'; runId: string; step: string; output: string; uri: string; isFile: boolean; files: LostFile[] }
  /**
   * A file of the `s3/` view (or a file:// destination) recorded by the newest output that placed it holds other
   * bytes, or is gone. Repair: re-linked from the CAS, when its blob is intact (`blobIntact`).
   */
  | {
    kind: 'view-differs'; path: string; runId: string; step: string; output: string; hash: string;
    found: 'missing' | 'not-a-file' | 'other-bytes'; blobIntact: boolean;
  }
  /** A `.cairn-tmp-*` file in the `s3/` view or the CAS, or an entry of `<home>/tmp/`. Repair: removed. */
  | { kind: 'temp-leftover'; path: string; where: 's3' | 'cas' | 'tmp' }
  /** A container labelled with this home whose run has no live owner. Repair: removed. */
  | { kind: 'orphaned-container'; id: string; runId?: string; state: string }
  /** A run network (`cairn-<runId>`, engine/run/run-s3.ts) whose run has no live owner. */
  | { kind: 'orphaned-network'; id: string; name: string; runId?: string }
  /** `<home>/runs/<id>` exists but the store has no run `<id>` (e.g. a lost WAL). Repair: moved into quarantine. */
  | { kind: 'run-dir-unrecorded'; runId: string; path: string }
  /** A run marked `running` whose owner process is gone. Repair: marked stopped (its steps stopped, attempts interrupted). */
  | { kind: 'run-dead'; runId: string };

export type DoctorFindingKind = DoctorFinding['kind'];

/** A check that could not be made, and why (not a problem of the store by itself). */
export type SkippedCheck =
  | { check: 'containers'; reason: 'engine-unreachable'; engineText: string }
  | { check: 'temp-leftovers'; reason: 'run-live'; runIds: string[] }
  | { check: 'records'; reason: 'database-unreadable' };

export interface RepairOutcome {
  finding: DoctorFinding;
  /** `repaired`: done; `not-repairable`: nothing cairn can derive fixes it; `failed`: the repair threw (`error`). */
  outcome: 'repaired' | 'not-repairable' | 'failed';
  error?: string;
}

export const DOCTOR_REPORT_VERSION = 1;

export interface DoctorReport {
  version: typeof DOCTOR_REPORT_VERSION;
  /** The home checked (absolute). */
  home: string;
  /** `missing`: there is no cairn home at `home` (nothing else was checked). */
  state: 'checked' | 'missing';
  /** What the first check found. */
  findings: DoctorFinding[];
  /** With --repair: what was done about each finding (in the order of `findings`); otherwise empty. */
  repairs: RepairOutcome[];
  /** What a check after the repairs still finds (without --repair: the same as `findings`). */
  remaining: DoctorFinding[];
  skipped: SkippedCheck[];
  /** True when nothing remains (exit code 0). */
  clean: boolean;
}
