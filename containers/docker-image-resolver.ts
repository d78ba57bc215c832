import { err, ok, type Result } from '../kernel/result.js';
import { ecrAuthProvider, type RegistryAuthProvider } from './ecr-auth.js';
import { standInFor } from './framework-images.js';
import type { ImageMap } from './image-map.js';
import { IMAGE_MAP_FILE } from './image-map.js';
import type { ImageProblem, ImageResolver, ResolvedImage } from '../contracts/image-resolver.js';
import type { ContainerRuntime, PullProgress } from '../contracts/container-runtime.js';
import { buildCommand, standInByImage } from './stand-ins.js';

/** Local stand-in images that only the scripts in containers/images/ produce; no registry has them. */
const LOCAL_STANDIN_PREFIX = 'cairn-local/';
const BUILD_SCRIPT = 'containers/images/build-test-images.sh';

type Resolution = ResolvedImage | { uri: string; local: string; pullable: true };

/**
 * Applies the image map, then asks the local engine, then (plan time) the registry or (run time) pulls, signed in
 * to ECR registries (see ecr-auth.ts). An official image that a local stand-in can serve gets, when it cannot be
 * pulled, the command that builds the stand-in and the cairn.json entry that maps it.
 */
export class DockerImageResolver implements ImageResolver {
  private readonly auth: RegistryAuthProvider;

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly map: ImageMap,
    opts: { auth?: RegistryAuthProvider } = {},
  ) {
    this.auth = opts.auth ?? ecrAuthProvider();
  }

  async resolve(
    uri: string,
    opts: { pull: boolean; onProgress?: (p: PullProgress) => void; signal?: AbortSignal },
  ): Promise<Result<Resolution, ImageProblem>> {
    const mapped = this.map.lookup(uri);
    const local = mapped?.target ?? uri;
    const present = await this.runtime.inspectImage(local);
    if (present) return ok({ uri, local, id: present.id, via: mapped ? 'mapped' : 'present' });

    if (local.startsWith(LOCAL_STANDIN_PREFIX)) {
      const known = standInByImage(local);
      const how = known ? `build it with \`${buildCommand(known)}\`` : `build it with ${BUILD_SCRIPT}`;
      const message = mapped ? mappedMissing(uri, local, this.map.file, how) : `image "${uri}" is not present locally; ${how}`;
      return err({ uri, local, message });
    }
    const what = opts.pull ? 'could not be pulled' : 'cannot be pulled';
    const auth = await this.auth(local, opts.signal);
    if (!auth.ok) return err({ uri, local, message: await this.problem(uri, local, mapped !== undefined, what, auth.error) });
    if (!opts.pull) {
      const can = await this.runtime.canPull(local, auth.value);
      if (can.ok) return ok({ uri, local, pullable: true });
      return err({ uri, local, message: await this.problem(uri, local, mapped !== undefined, what, can.error) });
    }
    const pulled = await this.runtime.pullImage(local, opts.onProgress, opts.signal, auth.value);
    if (pulled.ok) return ok({ uri, local, id: pulled.value.id, via: 'pulled' });
    return err({ uri, local, message: await this.problem(uri, local, mapped !== undefined, what, pulled.error) });
  }

  private async problem(uri: string, local: string, mapped: boolean, what: string, cause: string): Promise<string> {
    if (mapped) return mappedMissing(uri, local, this.map.file, `it ${what} (${cause}); pull or build "${local}", or change the mapping`);
    const missing = `image "${uri}" is not present locally and ${what} (${cause})`;
    const stand = standInFor(uri);
    if (stand === undefined) return `${missing}; map it to a local image in ${IMAGE_MAP_FILE}: {"images": {${JSON.stringify(uri)}: "<local image>"}}`;
    const entry = `${IMAGE_MAP_FILE}: {"images": {${JSON.stringify(stand.mapKey)}: ${JSON.stringify(stand.standIn.image)}}}`;
    const note = stand.note !== undefined ? ` (${stand.note})` : '';
    if (await this.runtime.inspectImage(stand.standIn.image).catch(() => undefined)) return `${missing}; the local stand-in "${stand.standIn.image}" is present${note}: map it in ${entry}`;
    return `${missing}; build a local stand-in with \`${stand.command}\`${note} and map it in ${entry}`;
  }
}

function mappedMissing(uri: string, local: string, file: string | undefined, fix: string): string {
  return `image "${uri}" is mapped to "${local}" in ${file ?? IMAGE_MAP_FILE}, but the mapped image "${local}" is not present locally; ${fix}`;
}
