import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { Store } from '../../cache/store.js';
import { DockerImageResolver } from '../../containers/docker-image-resolver.js';
import { ImageMap } from '../../containers/image-map.js';
import { resolveHome } from '../../contracts/home.js';
import type { Services } from '../../engine/run/run-context.js';
import { createExecutors } from '../../steps/executor-registry.js';
import { ok } from '../../kernel/result.js';
import { makeTemp } from '../cache/temp-home.js';
import { FakeRuntime } from './fake-runtime.js';

/** Services for an engine test on a temporary home: the real store, artifact store and executors, a FakeRuntime. */
export function fakeServices(runtime = new FakeRuntime()): { services: Services; runtime: FakeRuntime; close: () => void } {
  const tmp = makeTemp('cairn-engine-');
  const home = resolveHome({ CAIRN_HOME: tmp.dir });
  const store = Store.open(home.db);
  const hashCache = { get: (p: string) => store.getFileHash(p), put: store.putFileHash.bind(store) };
  const services: Services = {
    home, store, runtime,
    images: new DockerImageResolver(runtime, new ImageMap({}), { auth: () => Promise.resolve(ok(undefined)) }),
    artifacts: new LocalArtifactStore(home.root, hashCache),
    executors: createExecutors({ store }),
  };
  return { services, runtime, close: () => { store.close(); tmp.cleanup(); } };
}
