import type { Result } from '../kernel/result.js';

/**
 * `cairn run --s3-read-through`: an input the store lacks (nothing at its `s3://` URI, and no upstream output covers
 * it) is fetched from real S3 when a step first reads it, then read from the store like any other. The artifact store
 * (cache/artifact-store.ts) asks this; the fetching lives in cloud/read-through.ts (AWS clients, credentials from the
 * standard chain, never stored) and commits through the same path as `cairn pull`.
 */
export interface S3ReadThrough {
  /**
   * Brings into the store what S3 holds at `uri` (the object, else every object under the prefix). `fetched`: the
   * URIs fetched now (empty: S3 holds nothing there, or everything was already in the store). In a plan (`dryRun`)
   * nothing is fetched and `fetched` lists what a run would fetch. An error is one sentence naming the URI.
   */
  readThrough(uri: string): Promise<Result<ReadThroughResult, string>>;
  readonly dryRun: boolean;
}

export interface ReadThroughResult {
  fetched: { uri: string; size: number }[];
}
