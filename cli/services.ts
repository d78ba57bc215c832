import { LocalArtifactStore } from '../cache/artifact-store.js';
import { Store } from '../cache/store.js';
import { DockerImageResolver } from '../containers/docker-image-resolver.js';
import { DockerRuntime } from '../containers/docker-runtime.js';
import { loadImageMap } from '../containers/image-map.js';
import { resolveHome, type Home } from '../contracts/home.js';
import { err, ok, type Result } from '../kernel/result.js';
import { dockerDownText } from './render-refusal.js';
import type { Services } from '../engine/run/run-context.js';
import { createExecutors } from '../steps/executor-registry.js';
import { loadLambdaMap } from '../steps/lambda-config.js';

/** Opens the store under the home (no Docker needed): for `runs`, `show`, `logs`, `explain`. */
export function openStore(home: Home = resolveHome()): Store {
  return Store.open(home.db);
}

/** Everything a run or a plan needs: the store, the Docker engine, the image map of ./cairn.json, the object store. */
export async function openServices(cwd: string = process.cwd()): Promise<Result<Services, string>> {
  const home = resolveHome(process.env, cwd);
  const map = await loadImageMap(cwd);
  if (!map.ok) return err(map.error);
  const lambdas = await loadLambdaMap(cwd);
  if (!lambdas.ok) return err(lambdas.error);
  const runtime = new DockerRuntime();
  const ping = await runtime.ping();
  if (!ping.ok) {
    return err(dockerDownText(ping.error));
  }
  const store = Store.open(home.db);
  const hashCache = { get: (p: string) => store.getFileHash(p), put: store.putFileHash.bind(store) };
  return ok({
    home,
    store,
    runtime,
    images: new DockerImageResolver(runtime, map.value),
    artifacts: new LocalArtifactStore(home.root, hashCache),
    executors: createExecutors({ lambdas: lambdas.value, store }),
  });
}
