import type { Result } from '../kernel/result.js';
import type { PullProgress } from './container-runtime.js';

/** How an image URI written in a definition maps to an image the local engine can run. */
export interface ResolvedImage {
  /** The URI as written in the definition. */
  uri: string;
  /** The local reference actually run (the image map's target, or `uri` itself). */
  local: string;
  /** Image id (`sha256:…`): what the fingerprint records, never the tag. */
  id: string;
  via: 'present' | 'mapped' | 'pulled';
}

/**
 * Why an image cannot be had, as data (cli/render-refusal.ts names the fix: the image map entry, or the command that
 * builds a stand-in). `uri`: as written; `local`: the reference tried (after the image map); `mappedIn`: the image map
 * file, when `uri` was mapped.
 */
export type ImageProblem = { uri: string; local: string; mappedIn?: string } & (
  /** A cairn-local/* image is absent: `standIn` names the stand-in that builds it, if one does. */
  | { kind: 'local-absent'; standIn?: string }
  /**
   * Absent and not pullable. `cause`: the registry's or Docker's text; `pull`: whether a pull was tried (run time).
   * `standIn`: a stand-in that could replace the image, the image map key to map, and whether it is built.
   */
  | { kind: 'unpullable'; pull: boolean; cause: string; imageMapFile: string; standIn?: { name: string; image: string; mapKey: string; note?: string; present: boolean } }
  /**
   * `reference` (the URI as written, or the image map's target for it) breaks Docker's reference grammar
   * (kernel/image-reference.ts); `grammar`: which part and why. Found before any call to the engine.
   */
  | { kind: 'invalid-reference'; reference: string; grammar: string }
);

export interface ImageResolver {
  /** Plan time (pull=false): present or mapped-and-present, else pullable (registry answers), else a problem. Run time (pull=true) pulls when needed. */
  resolve(
    uri: string,
    opts: { pull: boolean; onProgress?: (p: PullProgress) => void; signal?: AbortSignal },
  ): Promise<Result<ResolvedImage | { uri: string; local: string; pullable: true }, ImageProblem>>;
}
