import { parseImageReference } from '../kernel/image-reference.js';
import { err, ok, type Result } from '../kernel/result.js';
import { ecrAuthProvider, type RegistryAuthProvider } from './ecr-auth.js';
import { standInFor } from './framework-images.js';
import type { ImageMap } from './image-map.js';
import { IMAGE_MAP_FILE } from './image-map.js';
import type { ImageProblem, ImageResolver, ResolvedImage } from '../contracts/image-resolver.js';
import type { ContainerRuntime, PullProgress } from '../contracts/container-runtime.js';
import { standInByImage } from './stand-ins.js';

/** Local stand-in images that only the scripts in containers/images/ produce; no registry has them. */
const LOCAL_STANDIN_PREFIX = 'cairn-local/';

type Resolution = ResolvedImage | { uri: string; local: string; pullable: true };

/**
 * Applies the image map, then asks the local engine, then (plan time) the registry or (run time) pulls, signed in
 * to ECR registries (see ecr-auth.ts). An official image that a local stand-in can serve names, when it cannot be
 * pulled, the stand-in and the cairn.json key that maps it (cli/render-refusal.ts says how to build and map it).
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
    const mappedIn = mapped ? { mappedIn: this.map.file ?? IMAGE_MAP_FILE } : {};
    // Docker answers a malformed reference with HTTP 400 "invalid reference format": never ask it one.
    for (const reference of mapped ? [uri, local] : [uri]) {
      const grammar = parseImageReference(reference);
      if (!grammar.ok) return err({ uri, local, ...mappedIn, kind: 'invalid-reference', reference, grammar: grammar.error });
    }
    const present = await this.runtime.inspectImage(local);
    if (present) return ok({ uri, local, id: present.id, via: mapped ? 'mapped' : 'present' });

    if (local.startsWith(LOCAL_STANDIN_PREFIX)) {
      const known = standInByImage(local);
      return err({ uri, local, ...mappedIn, kind: 'local-absent', ...(known ? { standIn: known.name } : {}) });
    }
    const problem = (cause: string): Promise<ImageProblem> => this.problem(uri, local, mappedIn, opts.pull, cause);
    const auth = await this.auth(local, opts.signal);
    if (!auth.ok) return err(await problem(auth.error));
    if (!opts.pull) {
      const can = await this.runtime.canPull(local, auth.value);
      if (can.ok) return ok({ uri, local, pullable: true });
      return err(await problem(can.error));
    }
    const pulled = await this.runtime.pullImage(local, opts.onProgress, opts.signal, auth.value);
    if (pulled.ok) return ok({ uri, local, id: pulled.value.id, via: 'pulled' });
    return err(await problem(pulled.error));
  }

  private async problem(uri: string, local: string, mappedIn: { mappedIn?: string }, pull: boolean, cause: string): Promise<ImageProblem> {
    const base = { uri, local, ...mappedIn, kind: 'unpullable' as const, pull, cause, imageMapFile: IMAGE_MAP_FILE };
    const stand = mappedIn.mappedIn === undefined ? standInFor(uri) : undefined;
    if (stand === undefined) return base;
    const present = (await this.runtime.inspectImage(stand.standIn.image).catch(() => undefined)) !== undefined;
    return { ...base, standIn: { name: stand.standIn.name, image: stand.standIn.image, mapKey: stand.mapKey, ...(stand.note !== undefined ? { note: stand.note } : {}), present } };
  }
}
