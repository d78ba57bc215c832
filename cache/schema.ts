/**
 * SQLite schema of the cairn store. Bump SCHEMA_VERSION and add a migration step when it changes. Store.open applies
 * every `CREATE … IF NOT EXISTS` below (so an older store gains the new tables) and then records SCHEMA_VERSION; a
 * store whose recorded version is newer than this build is refused.
 *
 * 1: runs, steps, attempts, outputs, cache entries, file hashes, locks.
 * 2: + metrics (MetricDefinitions values as time series, per step attempt).
 * 3: + callbacks (Callback step tokens and how they were completed).
 * 4: + model registry (model_package_groups, model_packages, approvals: registry/store.ts).
 * 5: + steps.decision (the cache decision: run or reuse, and why; contracts/cache-decision.ts). A new column is not
 *    a `CREATE … IF NOT EXISTS`, so it is added by `migrateV5`, which checks for the column first.
 * 6: + file_hashes.ctime_ms (the stat cache's identity includes the ctime, cache/hasher.ts), added by `migrateV6`;
 *    rows written before it have none and never match, so each such file is hashed once more.
 * 7: + side_writes, side_reads, side_deletes: what a step attempt did through the run's S3 endpoint
 *    (cache/s3-endpoint/side-effect-store.ts).
 * 8: + pulled_definitions, pulled_objects (`cairn pull`: the pipeline name recorded with a definition file, and the
 *    S3 objects fetched into the store with their ETag, size and content hash; cache/pulled-store.ts).
 */
export const SCHEMA_VERSION = 8;

export const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  pipeline TEXT NOT NULL,
  definition_file TEXT NOT NULL,
  definition TEXT NOT NULL,
  parameters TEXT NOT NULL,
  execution TEXT NOT NULL,
  options TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER
);
CREATE INDEX IF NOT EXISTS runs_started ON runs(started_at);
CREATE TABLE IF NOT EXISTS steps (
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  reused INTEGER NOT NULL DEFAULT 0,
  reused_from TEXT,
  fingerprint_key TEXT,
  fingerprint TEXT,
  properties TEXT,
  exit_code INTEGER,
  failure TEXT,
  started_at INTEGER,
  ended_at INTEGER,
  PRIMARY KEY (run_id, name)
);
CREATE TABLE IF NOT EXISTS attempts (
  run_id TEXT NOT NULL,
  step TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  exit_code INTEGER,
  failure TEXT,
  container_id TEXT,
  log_file TEXT NOT NULL,
  PRIMARY KEY (run_id, step, attempt)
);
CREATE TABLE IF NOT EXISTS outputs (
  run_id TEXT NOT NULL,
  step TEXT NOT NULL,
  name TEXT NOT NULL,
  uri TEXT NOT NULL,
  hash TEXT NOT NULL,
  is_file INTEGER NOT NULL,
  manifest TEXT NOT NULL,
  PRIMARY KEY (run_id, step, name)
);
CREATE TABLE IF NOT EXISTS cache_entries (
  key TEXT NOT NULL,
  run_id TEXT NOT NULL,
  step TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (key, run_id, step)
);
CREATE INDEX IF NOT EXISTS cache_by_key ON cache_entries(key, created_at);
CREATE TABLE IF NOT EXISTS file_hashes (
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  ino INTEGER NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS locks (
  run_id TEXT PRIMARY KEY,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  proc_start TEXT NOT NULL,
  acquired_at INTEGER NOT NULL
);
`;

/** Version 2: metric values found in a step attempt's log (seq: 0-based order of the metric's values in the attempt). */
export const SCHEMA_V2 = `
CREATE TABLE IF NOT EXISTS metrics (
  run_id TEXT NOT NULL,
  step TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  name TEXT NOT NULL,
  seq INTEGER NOT NULL,
  value REAL NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (run_id, step, attempt, name, seq)
);
`;

/**
 * Version 3: Callback step tokens (cache/callback-store.ts). `status`: waiting | succeeded | failed (set by
 * `cairn callback`); `declared`: the step's OutputParameters; `output`: the --success values; `consumed_at`: the
 * completion was used up by a failed step, so a resume mints a new token.
 */
export const SCHEMA_V3 = `
CREATE TABLE IF NOT EXISTS callbacks (
  token TEXT PRIMARY KEY,
  run_id TEXT NOT NULL,
  step TEXT NOT NULL,
  status TEXT NOT NULL,
  message TEXT NOT NULL,
  declared TEXT NOT NULL,
  output TEXT,
  failure_reason TEXT,
  created_at INTEGER NOT NULL,
  completed_at INTEGER,
  consumed_at INTEGER
);
CREATE INDEX IF NOT EXISTS callbacks_by_step ON callbacks(run_id, step, created_at);
`;

/**
 * Version 4: the local model registry (registry/store.ts). `committed` 0: a registration made by a Lambda handler
 * whose step has not succeeded yet (hidden; removed if the attempt fails). `reg_key`: run/step/attempt/index, so a
 * re-executed step does not register twice. `approvals`: every status change (from_status NULL: the registration).
 */
export const SCHEMA_V4 = `
CREATE TABLE IF NOT EXISTS model_package_groups (
  name TEXT PRIMARY KEY,
  description TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS model_packages (
  group_name TEXT NOT NULL REFERENCES model_package_groups(name),
  version INTEGER NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  description TEXT,
  customer_metadata TEXT NOT NULL,
  inference_spec TEXT NOT NULL,
  model_metrics TEXT NOT NULL,
  request TEXT NOT NULL,
  statistics_uri TEXT,
  statistics_content TEXT,
  statistics_sha256 TEXT,
  model_data_url TEXT,
  model_data_hash TEXT,
  run_id TEXT,
  step TEXT,
  attempt INTEGER,
  reg_key TEXT UNIQUE,
  committed INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (group_name, version)
);
CREATE TABLE IF NOT EXISTS approvals (
  group_name TEXT NOT NULL,
  version INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  who TEXT NOT NULL,
  at INTEGER NOT NULL,
  note TEXT,
  PRIMARY KEY (group_name, version, seq)
);
`;

/** Version 5: `steps.decision`, JSON of a CacheDecision (NULL: no decision made, or recorded by an older cairn). */
export function migrateV5(db: { prepare(sql: string): { all(): unknown[]; run(): unknown } }): void {
  const columns = db.prepare(`PRAGMA table_info(steps)`).all() as { name: string }[];
  if (!columns.some((c) => c.name === 'decision')) db.prepare(`ALTER TABLE steps ADD COLUMN decision TEXT`).run();
}

/** Version 6: `file_hashes.ctime_ms` (NULL in rows recorded before: such a row never matches a file's identity). */
export function migrateV6(db: { prepare(sql: string): { all(): unknown[]; run(): unknown } }): void {
  const columns = db.prepare(`PRAGMA table_info(file_hashes)`).all() as { name: string }[];
  if (!columns.some((c) => c.name === 'ctime_ms')) db.prepare(`ALTER TABLE file_hashes ADD COLUMN ctime_ms REAL`).run();
}

/**
 * Version 7: a step attempt's side effects through the S3 endpoint (cache/s3-endpoint/), in the order they happened
 * (rowid). `side_writes.meta`: JSON of the object's Content-Type, user metadata and checksums as written, so a
 * replayed or re-read object answers with the same headers. `side_reads.hash` NULL: the key was absent (404).
 */
export const SCHEMA_V7 = `
CREATE TABLE IF NOT EXISTS side_writes (
  run_id TEXT NOT NULL,
  step TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  hash TEXT NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  meta TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS side_writes_by_attempt ON side_writes(run_id, step, attempt);
CREATE INDEX IF NOT EXISTS side_writes_by_key ON side_writes(bucket, key, hash);
CREATE TABLE IF NOT EXISTS side_reads (
  run_id TEXT NOT NULL,
  step TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  hash TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS side_reads_by_attempt ON side_reads(run_id, step, attempt);
CREATE TABLE IF NOT EXISTS side_deletes (
  run_id TEXT NOT NULL,
  step TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS side_deletes_by_attempt ON side_deletes(run_id, step, attempt);
`;

/**
 * Version 8: what `cairn pull` fetched. `pulled_definitions`: a definition file (absolute path, sha256 of its text)
 * and the SageMaker pipeline it came from (its name; `--name` defaults to it). `pulled_objects`: one row per S3
 * object fetched into the store (`uri` s3://bucket/key), with the ETag and size S3 reported and the sha256 of the
 * bytes committed; an object whose ETag and size are unchanged, and whose bytes the store still holds, is not fetched again.
 */
export const SCHEMA_V8 = `
CREATE TABLE IF NOT EXISTS pulled_definitions (
  path TEXT PRIMARY KEY,
  text_hash TEXT NOT NULL,
  pipeline TEXT,
  region TEXT,
  source TEXT NOT NULL,
  pulled_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS pulled_definitions_by_hash ON pulled_definitions(text_hash, pulled_at);
CREATE TABLE IF NOT EXISTS pulled_objects (
  uri TEXT PRIMARY KEY,
  etag TEXT NOT NULL,
  size INTEGER NOT NULL,
  hash TEXT NOT NULL,
  pulled_at INTEGER NOT NULL
);
`;
