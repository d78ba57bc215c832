import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { blobPath, placeAtomically, putBlob } from '../../cache/cas.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { s3ObjectHash } from '../../cache/s3-object-hash.js';
import type { RunS3Services } from '../../contracts/run-s3.js';
import type { S3Credentials, S3Endpoint, S3Principal, SideEffects } from '../../contracts/s3-endpoint.js';

const empty = (): SideEffects => ({ writes: [], reads: [], deletes: [] });

/**
 * An in-memory stand-in for the run's S3 endpoint (engine tests without the server): a fake container's job calls
 * `put` / `get` with the access key from its environment, as boto3 would sign with it; writes land in the content
 * store and the `s3/` view, and writes and reads are recorded against the granted attempt.
 */
export class FakeS3Endpoint implements S3Endpoint {
  readonly loopbackUrl = 'http://127.0.0.1:4566';
  readonly listened: string[] = [];
  closed = false;
  readonly grants = new Map<string, { principal: S3Principal; revoked: boolean }>();

  constructor(private readonly home: string, private readonly records: Map<string, SideEffects>, private readonly id: number) {}

  listenOn(address: string): Promise<string> {
    this.listened.push(address);
    return Promise.resolve(`http://${address}:4566`);
  }

  grant(principal: S3Principal): S3Credentials {
    const accessKeyId = `AKFAKE${this.id}X${this.grants.size + 1}`;
    this.grants.set(accessKeyId, { principal, revoked: false });
    return { accessKeyId, secretAccessKey: `secret-${accessKeyId}`, sessionToken: `token-${accessKeyId}` };
  }

  revoke(accessKeyId: string): SideEffects {
    const g = this.grants.get(accessKeyId);
    if (g === undefined) throw new Error(`no grant ${accessKeyId}`);
    g.revoked = true;
    return this.effects(g.principal);
  }

  close(): Promise<void> {
    this.closed = true;
    for (const g of this.grants.values()) g.revoked = true;
    return Promise.resolve();
  }

  owns(accessKeyId: string | undefined): boolean {
    return accessKeyId !== undefined && this.grants.has(accessKeyId);
  }

  async put(accessKeyId: string, bucket: string, key: string, bytes: Buffer): Promise<void> {
    const principal = this.principal(accessKeyId);
    const hash = createHash('sha256').update(bytes).digest('hex');
    await putBlob(this.home, hash, bytes);
    const target = join(this.home, 's3', bucket, ...key.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    await placeAtomically(this.home, blobPath(this.home, hash), target);
    this.effects(principal).writes.push({ bucket, key, hash, size: bytes.length, etag: `"${createHash('md5').update(bytes).digest('hex')}"` });
  }

  get(accessKeyId: string, bucket: string, key: string): Buffer | undefined {
    const principal = this.principal(accessKeyId);
    let bytes: Buffer | undefined;
    try {
      bytes = readFileSync(join(this.home, 's3', bucket, ...key.split('/')));
    } catch {
      bytes = undefined;
    }
    const hash = bytes === undefined ? null : createHash('sha256').update(bytes).digest('hex');
    this.effects(principal).reads.push({ bucket, key, hash });
    return bytes;
  }

  private principal(accessKeyId: string): S3Principal {
    const g = this.grants.get(accessKeyId);
    if (g === undefined || g.revoked) throw new Error(`403: access key ${accessKeyId} is not granted`);
    return g.principal;
  }

  private effects(p: S3Principal): SideEffects {
    const k = `${p.runId}/${p.step}/${p.attempt}`;
    let e = this.records.get(k);
    if (e === undefined) this.records.set(k, (e = empty()));
    return e;
  }
}

/** RunS3Services over fake endpoints (one per run started), with the real `s3ObjectHash` of the home's view. */
export function fakeRunS3(home: string): RunS3Services & { endpoints: FakeS3Endpoint[]; endpointFor(accessKeyId: string | undefined): FakeS3Endpoint } {
  const records = new Map<string, SideEffects>();
  const endpoints: FakeS3Endpoint[] = [];
  const cache = new MemoryHashCache();
  return {
    region: 'eu-west-1',
    endpoints,
    start: () => {
      const e = new FakeS3Endpoint(home, records, endpoints.length + 1);
      endpoints.push(e);
      return Promise.resolve(e);
    },
    sideEffects: (runId, step, attempt) => records.get(`${runId}/${step}/${attempt}`) ?? empty(),
    objectHash: (bucket, key) => s3ObjectHash(home, bucket, key, cache),
    endpointFor(accessKeyId) {
      const e = endpoints.find((x) => x.owns(accessKeyId));
      if (e === undefined) throw new Error(`no endpoint granted ${String(accessKeyId)}`);
      return e;
    },
  };
}
