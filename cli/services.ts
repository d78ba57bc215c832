import { LocalArtifactStore } from '../cache/artifact-store.js';
import { ensureReserve } from '../cache/disk-reserve.js';
import { Store } from '../cache/store.js';
import { DockerImageResolver } from '../containers/docker-image-resolver.js';
import { DockerRuntime } from '../containers/docker-runtime.js';
import { ImageMap } from '../containers/image-map.js';
import { resolveHome, type Home } from '../contracts/home.js';
import { err, ok, type Result } from '../kernel/result.js';
import { dockerDownText } from './render-refusal.js';
import type { Services } from '../engine/run/run-context.js';
import { createExecutors, type ExecutorDeps } from '../steps/executor-registry.js';
import { LambdaMap } from '../steps/lambda-config.js';
import { loadCairnConfig } from '../contracts/cairn-config-file.js';
import { emptyCairnConfig, type CairnConfig } from '../contracts/cairn-config.js';
import type { ContainerRuntime } from '../contracts/container-runtime.js';
import type { AnyStepExecutor } from '../contracts/executor.js';
import type { S3ReadThrough } from '../contracts/s3-read-through.js';
import type { PullSink } from '../cloud/pull-fetch.js';
import type { HashCache } from '../cache/hasher.js';
import type { RunS3Services } from '../contracts/run-s3.js';
import { runS3Services } from './run-s3-services.js';

/** Everything a run or a plan needs: the store, the Docker engine, the image map of ./cairn.json, the object store. */
export async function openServices(
  cwd: string = process.cwd(), opts: { readOnly?: boolean; s3ReadThrough?: 'fetch' | 'list' } = {},
): Promise<Result<Services, string>> {
  const home = resolveHome(process.env, cwd);
  const config = await loadCairnConfig(cwd);
  if (!config.ok) return err(config.error);
  const runtime = new DockerRuntime();
  const ping = await runtime.ping();
  if (!ping.ok) {
    return err(dockerDownText(ping.error));
  }
  // A run or resume keeps the disk reserve (cache/disk-reserve.ts) that lets its last records land on a full disk.
  if (opts.readOnly !== true) ensureReserve(home.root);
  let readThrough: ServiceParts['readThrough'];
  if (opts.s3ReadThrough !== undefined) {
    const rt = await s3ReadThrough(opts.s3ReadThrough === 'list');
    if (!rt.ok) return rt;
    readThrough = rt.value;
  }
  const s3 = (store: Store): RunS3Services => runS3Services(home, store);
  return ok(buildServices({
    home, runtime, config: config.value, s3, ...(opts.readOnly === true ? { readOnly: true } : {}), ...(readThrough ? { readThrough } : {}),
  }));
}

/** What the run services are built from: the CLI passes the Docker runtime, tests may pass a fake one. */
export interface ServiceParts {
  home: Home;
  runtime: ContainerRuntime;
  /** cairn.json's images and lambdas; none: empty. */
  config?: CairnConfig;
  /** Builds the executors from their dependencies; default: every step type cairn runs (steps/executor-registry.ts). */
  executors?: (deps: ExecutorDeps) => ReadonlyMap<string, AnyStepExecutor>;
  /** For `plan`: the store opens on a full disk too (cache/store-open.ts `readOnly`). */
  readOnly?: boolean;
  /** The S3 endpoint runs start for their containers; none: containers get no S3 (tests on a FakeRuntime). */
  s3?: (store: Store) => RunS3Services;
  /** `--s3-read-through`: made from the store once it is open (what it fetches is committed like an output). */
  readThrough?: (sink: PullSink) => S3ReadThrough;
}

/**
 * The read-through of `run`/`plan --s3-read-through` (cloud/read-through.ts; `list`: the plan's, which fetches
 * nothing). The AWS SDK loads only then. No region: the sentence the user can act on.
 */
async function s3ReadThrough(list: boolean): Promise<Result<(sink: PullSink) => S3ReadThrough, string>> {
  const [{ cloudClients }, { S3ReadThroughFetcher }] = await Promise.all([import('../cloud/clients.js'), import('../cloud/read-through.js')]);
  const clients = cloudClients();
  if (!clients.ok) return err(`--s3-read-through: ${clients.error}`);
  const said = (o: { uri: string; size: number }): void => { process.stderr.write(`read through from S3: ${o.uri} (${o.size} bytes)\n`); };
  return ok((sink) => new S3ReadThroughFetcher(clients.value, sink, list, said));
}

/** The one place the run services are built (CLI, bench, tests): opens the store under the home; close it when done. */
export function buildServices(parts: ServiceParts): Services {
  const { home, runtime } = parts;
  const config = parts.config ?? emptyCairnConfig();
  const store = Store.open(home.db, { readOnly: parts.readOnly === true });
  const hashCache = { get: (p: string) => store.getFileHash(p), put: store.putFileHash.bind(store) };
  return {
    home,
    store,
    runtime,
    images: new DockerImageResolver(runtime, new ImageMap(config.images, config.file)),
    artifacts: readThroughStore(home.root, hashCache, store, parts.readThrough),
    executors: (parts.executors ?? createExecutors)({ lambdas: new LambdaMap(config.lambdas, config.file), store }),
    ...(parts.s3 !== undefined ? { s3: parts.s3(store) } : {}),
  };
}

/** The artifact store; with a read-through, one whose fetches commit through a plain store of the same home. */
function readThroughStore(root: string, hashCache: HashCache, store: Store, make: ServiceParts['readThrough']): LocalArtifactStore {
  if (make === undefined) return new LocalArtifactStore(root, hashCache);
  const sink: PullSink = { home: root, db: store.db, artifacts: new LocalArtifactStore(root, hashCache), hashCache };
  return new LocalArtifactStore(root, hashCache, make(sink));
}
