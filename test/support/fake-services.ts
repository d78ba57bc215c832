import { buildServices } from '../../cli/services.js';
import { resolveHome } from '../../contracts/home.js';
import type { Services } from '../../engine/run/run-context.js';
import { makeTemp } from '../cache/temp-home.js';
import { FakeRuntime } from './fake-runtime.js';

/** Services for an engine test on a temporary home: the real store, artifact store and executors, a FakeRuntime. */
export function fakeServices(runtime = new FakeRuntime()): { services: Services; runtime: FakeRuntime; close: () => void } {
  const tmp = makeTemp('cairn-engine-');
  const services = buildServices({ home: resolveHome({ CAIRN_HOME: tmp.dir }), runtime });
  return { services, runtime, close: () => { services.store.close(); tmp.cleanup(); } };
}
