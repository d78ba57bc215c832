import { err, ok, type Result } from '../engine/result.js';
import type { ImageMap } from './image-map.js';
import { IMAGE_MAP_FILE } from './image-map.js';
import type { ImageProblem, ImageResolver, ResolvedImage } from './image-resolver.js';
import type { ContainerRuntime, PullProgress } from './runtime.js';

/** Local stand-in images that only `containers/images/build-test-images.sh` produces; no registry has them. */
const LOCAL_STANDIN_PREFIX = 'cairn-local/';
const BUILD_SCRIPT = 'containers/images/build-test-images.sh';

type Resolution = ResolvedImage | { uri: string; local: string; pullable: true };

/** Applies the image map, then asks the local engine, then (plan time) the registry or (run time) pulls. */
export class DockerImageResolver implements ImageResolver {
  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly map: ImageMap,
  ) {}

  async resolve(
    uri: string,
    opts: { pull: boolean; onProgress?: (p: PullProgress) => void; signal?: AbortSignal },
  ): Promise<Result<Resolution, ImageProblem>> {
    const mapped = this.map.lookup(uri);
    const local = mapped?.target ?? uri;
    const present = await this.runtime.inspectImage(local);
    if (present) return ok({ uri, local, id: present.id, via: mapped ? 'mapped' : 'present' });

    if (local.startsWith(LOCAL_STANDIN_PREFIX)) {
      const message = mapped
        ? mappedMissing(uri, local, this.map.file, `build it with ${BUILD_SCRIPT}`)
        : `image "${uri}" is not present locally; build it with ${BUILD_SCRIPT}`;
      return err({ uri, local, message });
    }
    if (!opts.pull) {
      const can = await this.runtime.canPull(local);
      if (can.ok) return ok({ uri, local, pullable: true });
      return err({ uri, local, message: this.problem(uri, local, mapped !== undefined, 'cannot be pulled', can.error) });
    }
    const pulled = await this.runtime.pullImage(local, opts.onProgress, opts.signal);
    if (pulled.ok) return ok({ uri, local, id: pulled.value.id, via: 'pulled' });
    return err({ uri, local, message: this.problem(uri, local, mapped !== undefined, 'could not be pulled', pulled.error) });
  }

  private problem(uri: string, local: string, mapped: boolean, what: string, cause: string): string {
    if (mapped) return mappedMissing(uri, local, this.map.file, `it ${what} (${cause}); pull or build "${local}", or change the mapping`);
    return (
      `image "${uri}" is not present locally and ${what} (${cause}); ` +
      `map it to a local image in ${IMAGE_MAP_FILE}: {"images": {${JSON.stringify(uri)}: "<local image>"}}`
    );
  }
}

function mappedMissing(uri: string, local: string, file: string | undefined, fix: string): string {
  return `image "${uri}" is mapped to "${local}" in ${file ?? IMAGE_MAP_FILE}, but the mapped image "${local}" is not present locally; ${fix}`;
}
