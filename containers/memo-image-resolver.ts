import type { Result } from '../kernel/result.js';
import type { ImageProblem, ImageResolver, ResolvedImage } from '../contracts/image-resolver.js';
import type { PullProgress } from '../contracts/container-runtime.js';

type Resolution = Result<ResolvedImage | { uri: string; local: string; pullable: true }, ImageProblem>;

/**
 * Remembers what an inner resolver found for each URI, for the life of one run: a run of many steps on one image
 * asks the Docker engine once, not once per step. Only resolutions to a local image id are kept; a problem or a
 * "pullable" answer is asked again next time. Concurrent asks for one URI share the one request.
 */
export class MemoImageResolver implements ImageResolver {
  private readonly known = new Map<string, Promise<Resolution>>();

  constructor(private readonly inner: ImageResolver) {}

  resolve(uri: string, opts: { pull: boolean; onProgress?: (p: PullProgress) => void; signal?: AbortSignal }): Promise<Resolution> {
    const key = `${opts.pull ? 'pull' : 'plan'}\0${uri}`;
    const known = this.known.get(key);
    if (known !== undefined) return known;
    const p = this.inner.resolve(uri, opts);
    this.known.set(key, p);
    p.then(
      (r) => { if (!r.ok || 'pullable' in r.value) this.known.delete(key); },
      () => this.known.delete(key),
    );
    return p;
  }
}
