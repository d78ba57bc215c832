import type { JsonValue } from '../kernel/json.js';

/**
 * Everything that determines a step's result, built in one place. Stored whole (canonical JSON) so that a cache miss
 * can be explained field by field; its sha256 is the cache key. Output destinations are deliberately absent:
 * SageMaker's own cache key leaves them out, and SDK-generated output URIs contain the execution id.
 */
export interface FingerprintParts {
  image: { uri: string; id: string };
  /** Resolved arguments; input URIs replaced by `content:<hash>`, output destinations removed. */
  arguments: JsonValue;
  /** Input name → content hash of the data it points to. */
  inputs: Record<string, string>;
  /** Environment the container gets from the definition. */
  environment: Record<string, string>;
}

export interface Fingerprint extends FingerprintParts {
  cairn: number;
  stepType: string;
}

/** Brand of a fingerprint made by cache/fingerprint.ts `buildFingerprint` (as wireit's Fingerprint: only compute() makes one). */
declare const built: unique symbol;

/** A fingerprint and its key, made only by `buildFingerprint`: a cache decision cannot be fed a hand-made key. */
export interface BuiltFingerprint {
  readonly [built]: true;
  fingerprint: Fingerprint;
  canonical: string;
  /** `sha256:<hex>` of the canonical form. */
  key: string;
}

export interface FingerprintChange {
  /** Path inside the fingerprint, e.g. `inputs.train` or `arguments.AppSpecification.ContainerArguments[1]`. */
  path: string;
  before?: JsonValue;
  after?: JsonValue;
}
