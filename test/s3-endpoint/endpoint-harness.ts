import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { Store } from '../../cache/store.js';
import { startS3Endpoint } from '../../cache/s3-endpoint/s3-endpoint.js';
import type { S3Credentials, S3Endpoint, S3Principal } from '../../contracts/s3-endpoint.js';

/** A cairn S3 endpoint over a fresh home for one test file, with a granted principal and a client signed by it. */
export interface EndpointHarness {
  home: string;
  store: Store;
  endpoint: S3Endpoint;
  principal: S3Principal;
  credentials: S3Credentials;
  client: S3Client;
  logs: string[];
  clientFor(credentials: S3Credentials): S3Client;
  close(): Promise<void>;
}

export const REGION = 'us-east-1';

export async function startHarness(principal: S3Principal = { runId: 'run-1', step: 'Preprocess', attempt: 1 }): Promise<EndpointHarness> {
  const home = mkdtempSync(path.join(tmpdir(), 'cairn-s3-endpoint-'));
  const store = Store.open(path.join(home, 'cairn.db'));
  const logs: string[] = [];
  const endpoint = await startS3Endpoint({ home, store, region: REGION, log: (l) => logs.push(l) });
  const credentials = endpoint.grant(principal);
  const clients: S3Client[] = [];
  const clientFor = (c: S3Credentials): S3Client => {
    const s3 = new S3Client({ region: REGION, endpoint: endpoint.loopbackUrl, forcePathStyle: true, credentials: c, maxAttempts: 1 });
    clients.push(s3);
    return s3;
  };
  return {
    home, store, endpoint, principal, credentials, logs, clientFor, client: clientFor(credentials),
    async close() {
      for (const c of clients) c.destroy();
      await endpoint.close();
      store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
