import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/** A definition file `cairn pull` wrote or read, and the SageMaker pipeline it belongs to (schema 8). */
export interface PulledDefinition {
  path: string;
  textHash: string;
  /** The pipeline name (DescribePipeline's, or `--name`); undefined when none is known. */
  pipeline?: string;
  region?: string;
  /** `describe-pipeline` (fetched by name) or `file` (a local definition). */
  source: 'describe-pipeline' | 'file';
  pulledAt: number;
}

/** One S3 object fetched into the store: the ETag and size S3 reported, the sha256 of the committed bytes. */
export interface PulledObject {
  uri: string;
  etag: string;
  size: number;
  hash: string;
  pulledAt: number;
}

type Row = Record<string, unknown>;

/** The hash a definition's text is recorded under (sha256 of its UTF-8 bytes). */
export function definitionTextHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function recordPulledDefinition(db: Database.Database, d: PulledDefinition): void {
  db.prepare(`INSERT INTO pulled_definitions (path, text_hash, pipeline, region, source, pulled_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT(path) DO UPDATE SET text_hash = excluded.text_hash, pipeline = excluded.pipeline, region = excluded.region,
    source = excluded.source, pulled_at = excluded.pulled_at`)
    .run(d.path, d.textHash, d.pipeline ?? null, d.region ?? null, d.source, d.pulledAt);
}

/**
 * The pipeline name recorded for a definition: the row for this path (edited since or not), else the newest row
 * with this exact text under another path (the file was copied or moved).
 */
export function pulledPipelineName(db: Database.Database, path: string, textHash: string): string | undefined {
  const r = db.prepare(`SELECT pipeline FROM pulled_definitions WHERE pipeline IS NOT NULL AND (path = @path OR text_hash = @hash)
    ORDER BY (path = @path) DESC, pulled_at DESC LIMIT 1`).get({ path, hash: textHash }) as Row | undefined;
  return typeof r?.pipeline === 'string' ? r.pipeline : undefined;
}

export function pulledObject(db: Database.Database, uri: string): PulledObject | undefined {
  const r = db.prepare(`SELECT * FROM pulled_objects WHERE uri = ?`).get(uri) as Row | undefined;
  if (r === undefined) return undefined;
  return { uri: String(r.uri), etag: String(r.etag), size: Number(r.size), hash: String(r.hash), pulledAt: Number(r.pulled_at) };
}

export function recordPulledObject(db: Database.Database, o: PulledObject): void {
  db.prepare(`INSERT INTO pulled_objects (uri, etag, size, hash, pulled_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(uri) DO UPDATE SET etag = excluded.etag, size = excluded.size, hash = excluded.hash, pulled_at = excluded.pulled_at`)
    .run(o.uri, o.etag, o.size, o.hash, o.pulledAt);
}
