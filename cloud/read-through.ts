import type { ReadThroughResult, S3ReadThrough } from '../contracts/s3-read-through.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { CloudClients } from './clients.js';
import { fetchObject, objectState, remoteObjects, type PullSink } from './pull-fetch.js';

/**
 * The S3 read-through of a run (contracts/s3-read-through.ts): the same listing, ETag check and commit as `cairn pull`
 * (cloud/pull-fetch.ts). One fetch per URI at a time: steps reading the same input concurrently wait for one fetch.
 * `onFetched` sees each object fetched (the run's log names it).
 */
export class S3ReadThroughFetcher implements S3ReadThrough {
  private readonly inFlight = new Map<string, Promise<Result<ReadThroughResult, string>>>();

  constructor(
    private readonly clients: CloudClients,
    private readonly sink: PullSink,
    readonly dryRun: boolean,
    private readonly onFetched: (o: { uri: string; size: number }) => void = () => undefined,
  ) {}

  readThrough(uri: string): Promise<Result<ReadThroughResult, string>> {
    let p = this.inFlight.get(uri);
    if (p === undefined) {
      p = this.fetch(uri).finally(() => this.inFlight.delete(uri));
      this.inFlight.set(uri, p);
    }
    return p;
  }

  private async fetch(uri: string): Promise<Result<ReadThroughResult, string>> {
    const listed = await remoteObjects(this.clients.s3, uri, 'auto');
    if (!listed.ok) return err(`reading ${listed.error} through from S3 (${this.clients.region}) failed`);
    const fetched: ReadThroughResult['fetched'] = [];
    for (const o of listed.value) {
      const state = await objectState(this.sink, o);
      if (!state.ok) return err(state.error);
      if (state.value === 'present') continue;
      if (!this.dryRun) {
        const r = await fetchObject(this.clients.s3, this.sink, o, () => undefined);
        if (!r.ok) return err(`reading ${o.uri} through from S3 failed: ${r.error.kind === 's3' ? r.error.message : 'it could not be committed to the store'}`);
        this.onFetched({ uri: o.uri, size: o.size });
      }
      fetched.push({ uri: o.uri, size: o.size });
    }
    return ok({ fetched });
  }
}
