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

export interface ImageProblem {
  uri: string;
  /** The local reference that was tried (after the image map). */
  local: string;
  /** A complete sentence naming the image and the fix (image map entry in cairn.json, or the command that builds it). */
  message: string;
}

export interface ImageResolver {
  /** Plan time (pull=false): present or mapped-and-present, else pullable (registry answers), else a problem. Run time (pull=true) pulls when needed. */
  resolve(
    uri: string,
    opts: { pull: boolean; onProgress?: (p: PullProgress) => void; signal?: AbortSignal },
  ): Promise<Result<ResolvedImage | { uri: string; local: string; pullable: true }, ImageProblem>>;
}
