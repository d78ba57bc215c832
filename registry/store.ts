import type Database from 'better-sqlite3';
import type { JsonObject } from '../kernel/json.js';
import { modelPackageArn, type PackageRequest } from './request.js';
import type { Approval, ApprovalStatus, GroupSummary, ModelPackage } from './types.js';

type Row = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Everything about one registration that is written in its transaction. */
export interface NewPackage {
  request: PackageRequest;
  statistics?: { uri: string; sha256: string; content: string };
  modelData?: { url: string; hash: string };
  runId?: string;
  step?: string;
  attempt?: number;
  /** Unique per registration of a run's step (run/step/attempt/index): a second insert with it returns the first. */
  key?: string;
  /** False: hidden until its step succeeds (commitPending). */
  committed: boolean;
  who: string;
  at: number;
}

/**
 * SQL of the model registry (tables of SCHEMA_V4). Callers wrap writes in one transaction (Registry does). Queries
 * see committed packages only.
 */
export class RegistryTables {
  constructor(readonly db: Database.Database) {}

  /** Inserts the group if new, the package with the next version of its group, and its first approval row. */
  insertPackage(p: NewPackage): { version: number; arn: string; existing: boolean } {
    if (p.key !== undefined) {
      const r = this.db.prepare(`SELECT version, arn FROM model_packages WHERE reg_key = ?`).get(p.key) as Row | undefined;
      if (r !== undefined) return { version: Number(r.version), arn: String(r.arn), existing: true };
    }
    const g = p.request.group;
    this.db.prepare(`INSERT OR IGNORE INTO model_package_groups (name, created_at) VALUES (?, ?)`).run(g, p.at);
    const n = this.db.prepare(`SELECT COALESCE(MAX(version), 0) AS n FROM model_packages WHERE group_name = ?`).get(g) as Row;
    const version = Number(n.n) + 1;
    const arn = modelPackageArn(g, version);
    const r = p.request;
    this.db.prepare(`INSERT INTO model_packages (group_name, version, arn, status, description, customer_metadata,
      inference_spec, model_metrics, request, statistics_uri, statistics_content, statistics_sha256, model_data_url,
      model_data_hash, run_id, step, attempt, reg_key, committed, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      g, version, arn, r.status, r.description ?? null, JSON.stringify(r.customerMetadata),
      JSON.stringify(r.inferenceSpecification), JSON.stringify(r.modelMetrics), JSON.stringify(r.request),
      p.statistics?.uri ?? null, p.statistics?.content ?? null, p.statistics?.sha256 ?? null,
      p.modelData?.url ?? null, p.modelData?.hash ?? null, p.runId ?? null, p.step ?? null, p.attempt ?? null,
      p.key ?? null, p.committed ? 1 : 0, p.at);
    this.insertApproval(g, version, undefined, r.status, p.who, p.at, 'registered');
    return { version, arn, existing: false };
  }

  insertApproval(group: string, version: number, from: ApprovalStatus | undefined, to: ApprovalStatus, who: string, at: number, note?: string): void {
    const n = this.db.prepare(`SELECT COALESCE(MAX(seq), 0) AS n FROM approvals WHERE group_name = ? AND version = ?`).get(group, version) as Row;
    this.db.prepare(`INSERT INTO approvals (group_name, version, seq, from_status, to_status, who, at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(group, version, Number(n.n) + 1, from ?? null, to, who, at, note ?? null);
  }

  setStatus(group: string, version: number, status: ApprovalStatus): void {
    this.db.prepare(`UPDATE model_packages SET status = ? WHERE group_name = ? AND version = ?`).run(status, group, version);
  }

  /** Makes the pending registrations of a step attempt visible. */
  commitPending(runId: string, step: string, attempt: number): number {
    return this.db.prepare(`UPDATE model_packages SET committed = 1 WHERE run_id = ? AND step = ? AND attempt = ? AND committed = 0`)
      .run(runId, step, attempt).changes;
  }

  /** Removes a step's pending registrations (its attempt failed, or an earlier attempt was interrupted). */
  discardPending(runId: string, step: string): number {
    const rows = this.db.prepare(`SELECT group_name, version FROM model_packages WHERE run_id = ? AND step = ? AND committed = 0`).all(runId, step) as Row[];
    for (const r of rows) this.db.prepare(`DELETE FROM approvals WHERE group_name = ? AND version = ?`).run(r.group_name, r.version);
    return this.db.prepare(`DELETE FROM model_packages WHERE run_id = ? AND step = ? AND committed = 0`).run(runId, step).changes;
  }

  groups(): GroupSummary[] {
    const rows = this.db.prepare(`SELECT g.name, g.created_at, p.status, COUNT(p.version) AS n, MAX(p.version) AS latest
      FROM model_package_groups g LEFT JOIN model_packages p ON p.group_name = g.name AND p.committed = 1
      GROUP BY g.name, p.status ORDER BY g.name`).all() as Row[];
    const out = new Map<string, GroupSummary>();
    for (const r of rows) {
      const name = String(r.name);
      const g = out.get(name) ?? { name, versions: 0, latestVersion: 0, byStatus: { PendingManualApproval: 0, Approved: 0, Rejected: 0 }, createdAt: Number(r.created_at) };
      if (typeof r.status === 'string') {
        g.byStatus[r.status as ApprovalStatus] = Number(r.n);
        g.versions += Number(r.n);
        g.latestVersion = Math.max(g.latestVersion, Number(r.latest));
      }
      out.set(name, g);
    }
    return [...out.values()].filter((g) => g.versions > 0);
  }

  hasGroup(group: string): boolean {
    return this.db.prepare(`SELECT 1 FROM model_packages WHERE group_name = ? AND committed = 1 LIMIT 1`).get(group) !== undefined;
  }

  list(group: string): ModelPackage[] {
    const rows = this.db.prepare(`SELECT * FROM model_packages WHERE group_name = ? AND committed = 1 ORDER BY version`).all(group) as Row[];
    return rows.map((r) => this.toPackage(r));
  }

  get(group: string, version: number): ModelPackage | undefined {
    const r = this.db.prepare(`SELECT * FROM model_packages WHERE group_name = ? AND version = ? AND committed = 1`).get(group, version) as Row | undefined;
    return r === undefined ? undefined : this.toPackage(r);
  }

  versions(group: string): number[] {
    return (this.db.prepare(`SELECT version FROM model_packages WHERE group_name = ? AND committed = 1 ORDER BY version`).all(group) as Row[]).map((r) => Number(r.version));
  }

  private approvals(group: string, version: number): Approval[] {
    const rows = this.db.prepare(`SELECT * FROM approvals WHERE group_name = ? AND version = ? ORDER BY seq`).all(group, version) as Row[];
    return rows.map((r) => {
      const a: Approval = { to: String(r.to_status) as ApprovalStatus, who: String(r.who), at: Number(r.at) };
      if (typeof r.from_status === 'string') a.from = r.from_status as ApprovalStatus;
      if (typeof r.note === 'string') a.note = r.note;
      return a;
    });
  }

  private toPackage(r: Row): ModelPackage {
    const group = String(r.group_name);
    const version = Number(r.version);
    const p: ModelPackage = {
      group, version, arn: String(r.arn), status: String(r.status) as ApprovalStatus,
      customerMetadata: JSON.parse(String(r.customer_metadata)) as Record<string, string>,
      inferenceSpecification: JSON.parse(String(r.inference_spec)) as JsonObject,
      modelMetrics: JSON.parse(String(r.model_metrics)) as JsonObject,
      request: JSON.parse(String(r.request)) as JsonObject,
      createdAt: Number(r.created_at), approvals: this.approvals(group, version),
    };
    const d = str(r.description); if (d !== undefined) p.description = d;
    const su = str(r.statistics_uri); const sh = str(r.statistics_sha256);
    if (su !== undefined && sh !== undefined) p.statistics = { uri: su, sha256: sh, content: str(r.statistics_content) ?? '' };
    const mu = str(r.model_data_url); const mh = str(r.model_data_hash);
    if (mu !== undefined && mh !== undefined) p.modelData = { url: mu, hash: mh };
    const run = str(r.run_id); if (run !== undefined) p.runId = run;
    const step = str(r.step); if (step !== undefined) p.step = step;
    return p;
  }
}
