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
import type { RunS3Services } from '../contracts/run-s3.js';
import { runS3Services } from './run-s3-services.js';

/** Everything a run or a plan needs: the store, the Docker engine, the image map of ./cairn.json, the object store. */
export async function openServices(cwd: string = process.cwd(), opts: { readOnly?: boolean } = {}): Promise<Result<Services, string>> {
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
  const s3 = (store: Store): RunS3Services => runS3Services(home, store);
  return ok(buildServices({ home, runtime, config: config.value, s3, ...(opts.readOnly === true ? { readOnly: true } : {}) }));
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
    artifacts: new LocalArtifactStore(home.root, hashCache),
    executors: (parts.executors ?? createExecutors)({ lambdas: new LambdaMap(config.lambdas, config.file), store }),
    ...(parts.s3 !== undefined ? { s3: parts.s3(store) } : {}),
  };
}
