import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type Database from 'better-sqlite3';
import type { ArtifactStore, RecordedOutput } from '../contracts/artifacts.js';
import type { JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import { readPackageRequest, type PackageRequest } from './request.js';
import { RegistryTables, type NewPackage } from './store.js';
import type { ApprovalStatus, GroupSummary, ModelPackage, Registered } from './types.js';

/** Where a registration comes from, and how to read the files it names. */
export interface RegistrationContext {
  artifacts: Pick<ArtifactStore, 'hostPath' | 'hashInput'>;
  /** Outputs of the run's upstream steps: a URI under one of them is hashed from what that step recorded. */
  upstream?: RecordedOutput[];
  runId?: string;
  step?: string;
  attempt?: number;
  /** True: hidden until the step succeeds (Lambda handlers; see RegistryTables.commitPending). */
  pending?: boolean;
  who?: string;
}

/** Status changes `models approve|reject` may make. */
const TRANSITIONS: Record<ApprovalStatus, readonly ApprovalStatus[]> = {
  PendingManualApproval: ['Approved', 'Rejected'],
  Approved: ['Rejected'],
  Rejected: ['Approved'],
};

/** The OS user, as approvals record it. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** `sha256:<hex>` of a file's bytes. */
export function sha256Text(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * The local model registry: CreateModelPackage (groups created on first use, versions counting up per group), and
 * list / get / approve / reject. Every write is one SQLite transaction; the statistics file and the model data a
 * request names are read from the local store and hashed before it, and approval re-checks them.
 */
export class Registry {
  readonly tables: RegistryTables;

  constructor(readonly db: Database.Database) {
    this.tables = new RegistryTables(db);
  }

  /** Registers one model package version. */
  async createModelPackage(request: JsonValue, ctx: RegistrationContext): Promise<Result<Registered, string>> {
    const r = await this.createModelPackages([request], ctx);
    return r.ok ? ok(r.value[0] as Registered) : r;
  }

  /** Registers several versions in one transaction: all of them, or (on any error) none. */
  async createModelPackages(requests: readonly JsonValue[], ctx: RegistrationContext): Promise<Result<Registered[], string>> {
    const rows: NewPackage[] = [];
    const at = Date.now();
    for (const [i, raw] of requests.entries()) {
      const label = requests.length === 1 ? 'CreateModelPackage' : `CreateModelPackage request ${i + 1}`;
      const req = readPackageRequest(raw, label);
      if (!req.ok) return req;
      const row = await this.readFiles(req.value, ctx);
      if (!row.ok) return err(`${label}: ${row.error}`);
      rows.push({ ...row.value, committed: ctx.pending !== true, who: ctx.who ?? currentUser(), at, ...runFields(ctx) });
    }
    // A step's registrations are keyed by run and step: a RegisterModel step executed again in its run (after a crash
    // between registering and recording its success) gets back what it registered. A handler's pending ones are keyed
    // by attempt and counted on, as it may call createModelPackage several times.
    const base = ctx.runId === undefined || ctx.step === undefined ? undefined
      : ctx.pending === true ? `${ctx.runId}/${ctx.step}/${ctx.attempt ?? 1}` : `${ctx.runId}/${ctx.step}`;
    const start = base === undefined || ctx.pending !== true ? 0 : this.registeredBy(base);
    return ok(this.db.transaction(() => rows.map((row, i) => {
      const key = base === undefined ? undefined : `${base}/${start + i}`;
      const done = this.tables.insertPackage({ ...row, ...(key === undefined ? {} : { key }) });
      return { arn: done.arn, version: done.version, group: row.request.group };
    })).immediate());
  }

  groups(): GroupSummary[] {
    return this.tables.groups();
  }

  list(group: string): Result<ModelPackage[], string> {
    const all = this.tables.list(group);
    return all.length === 0 ? err(this.noGroup(group)) : ok(all);
  }

  get(group: string, version: number): Result<ModelPackage, string> {
    const p = this.tables.get(group, version);
    if (p !== undefined) return ok(p);
    if (!this.tables.hasGroup(group)) return err(this.noGroup(group));
    return err(`model package group "${group}" has no version ${version} (versions: ${this.tables.versions(group).join(', ')}).`);
  }

  /** Approves a version after checking that its statistics file and model data are still what was registered. */
  async approve(group: string, version: number, opts: { artifacts: Pick<ArtifactStore, 'hostPath' | 'hashInput'>; note?: string; who?: string }): Promise<Result<ModelPackage, string>> {
    const p = this.get(group, version);
    if (!p.ok) return p;
    const check = await verifyPackage(p.value, opts.artifacts);
    if (!check.ok) return err(`cannot approve ${group} version ${version}: ${check.error}`);
    return this.transition(group, version, 'Approved', opts);
  }

  reject(group: string, version: number, opts: { note?: string; who?: string } = {}): Result<ModelPackage, string> {
    return this.transition(group, version, 'Rejected', opts);
  }

  private transition(group: string, version: number, to: ApprovalStatus, opts: { note?: string; who?: string }): Result<ModelPackage, string> {
    return this.db.transaction((): Result<ModelPackage, string> => {
      const p = this.get(group, version);
      if (!p.ok) return p;
      const from = p.value.status;
      if (!TRANSITIONS[from].includes(to)) {
        return err(`${group} version ${version} is ${from}; it cannot become ${to} (allowed from ${from}: ${TRANSITIONS[from].join(', ')}).`);
      }
      this.tables.setStatus(group, version, to);
      this.tables.insertApproval(group, version, from, to, opts.who ?? currentUser(), Date.now(), opts.note);
      return this.get(group, version);
    }).immediate();
  }

  private noGroup(group: string): string {
    const known = this.tables.groups().map((g) => g.name);
    return `no model package group "${group}" (${known.length === 0 ? 'the registry is empty' : `groups: ${known.join(', ')}`}).`;
  }

  /** How many registrations a step attempt made already (a handler may call createModelPackage several times). */
  private registeredBy(base: string): number {
    const r = this.db.prepare(`SELECT COUNT(*) AS n FROM model_packages WHERE reg_key LIKE ? ESCAPE '\\'`)
      .get(`${base.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`) as { n: number };
    return Number(r.n);
  }

  private async readFiles(req: PackageRequest, ctx: RegistrationContext): Promise<Result<Omit<NewPackage, 'committed' | 'who' | 'at'>, string>> {
    const row: Omit<NewPackage, 'committed' | 'who' | 'at'> = { request: req };
    if (req.statisticsUri !== undefined) {
      const s = await readStatistics(req.statisticsUri, ctx.artifacts);
      if (!s.ok) return s;
      row.statistics = { uri: req.statisticsUri, ...s.value };
    }
    if (req.modelDataUrl !== undefined) {
      const h = await ctx.artifacts.hashInput(req.modelDataUrl, ctx.upstream ?? []);
      if (!h.ok) return err(`the model data ${req.modelDataUrl} cannot be read: ${'message' in h.error ? h.error.message : h.error.reason}`);
      row.modelData = { url: req.modelDataUrl, hash: h.value.hash };
    }
    return ok(row);
  }
}

function runFields(ctx: RegistrationContext): Pick<NewPackage, 'runId' | 'step' | 'attempt'> {
  const out: Pick<NewPackage, 'runId' | 'step' | 'attempt'> = {};
  if (ctx.runId !== undefined) out.runId = ctx.runId;
  if (ctx.step !== undefined) out.step = ctx.step;
  if (ctx.attempt !== undefined) out.attempt = ctx.attempt;
  return out;
}

/** The statistics JSON's text and sha256; it must be JSON. */
async function readStatistics(uri: string, artifacts: Pick<ArtifactStore, 'hostPath'>): Promise<Result<{ content: string; sha256: string }, string>> {
  const path = artifacts.hostPath(uri);
  if (!path.ok) return err(`the statistics file ${uri} cannot be read: ${path.error}`);
  let bytes: Buffer;
  try {
    bytes = await readFile(path.value);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(e as Error).message})`;
    return err(`the statistics file ${uri} (${path.value}) ${why}.`);
  }
  const content = bytes.toString('utf8');
  try {
    JSON.parse(content);
  } catch (e) {
    return err(`the statistics file ${uri} is not JSON (${(e as Error).message}); ModelMetrics.ModelQuality.Statistics must name a model-quality JSON file.`);
  }
  return ok({ content, sha256: sha256Text(bytes) });
}

/** Checks that a package's statistics file and model data still hash as recorded; the error names the file and both hashes. */
export async function verifyPackage(p: ModelPackage, artifacts: Pick<ArtifactStore, 'hostPath' | 'hashInput'>): Promise<Result<void, string>> {
  if (p.statistics !== undefined) {
    const path = artifacts.hostPath(p.statistics.uri);
    const bytes = path.ok ? await readFile(path.value).catch(() => undefined) : undefined;
    if (bytes === undefined) return err(`its statistics file ${p.statistics.uri} is missing (recorded ${p.statistics.sha256}, now none).`);
    const now = sha256Text(bytes);
    if (now !== p.statistics.sha256) return err(`its statistics file ${p.statistics.uri} was altered (recorded ${p.statistics.sha256}, now ${now}).`);
  }
  if (p.modelData !== undefined) {
    const h = await artifacts.hashInput(p.modelData.url, []);
    if (!h.ok) return err(`its model data ${p.modelData.url} is missing (recorded ${p.modelData.hash}, now none).`);
    if (h.value.hash !== p.modelData.hash) return err(`its model data ${p.modelData.url} was altered (recorded ${p.modelData.hash}, now ${h.value.hash}).`);
  }
  return ok(undefined);
}
