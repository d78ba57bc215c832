import { createHash } from 'node:crypto';
import { canonicalJson, isJsonObject, type JsonValue } from '../engine/json.js';

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

/** Bump when the container contract cairn implements changes in a way that can change results. */
export const CONTRACT_VERSION = 1;

export interface Fingerprint extends FingerprintParts {
  cairn: number;
  stepType: string;
}

export interface BuiltFingerprint {
  fingerprint: Fingerprint;
  canonical: string;
  /** `sha256:<hex>` of the canonical form. */
  key: string;
}

export function buildFingerprint(stepType: string, parts: FingerprintParts): BuiltFingerprint {
  const fingerprint: Fingerprint = { cairn: CONTRACT_VERSION, stepType, ...parts };
  const canonical = canonicalJson(fingerprint as unknown as JsonValue);
  const key = `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
  return { fingerprint, canonical, key };
}

export interface FingerprintChange {
  /** Path inside the fingerprint, e.g. `inputs.train` or `arguments.AppSpecification.ContainerArguments[1]`. */
  path: string;
  before?: JsonValue;
  after?: JsonValue;
}

/** Leaf-level differences between two fingerprints, in sorted path order. */
export function diffFingerprints(before: Fingerprint | JsonValue, after: Fingerprint | JsonValue): FingerprintChange[] {
  const out: FingerprintChange[] = [];
  walk(before as JsonValue, after as JsonValue, '', out);
  return out;
}

function walk(a: JsonValue | undefined, b: JsonValue | undefined, path: string, out: FingerprintChange[]): void {
  if (a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b)) return;
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) walk(a[k], b[k], path === '' ? k : `${path}.${k}`, out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => walk(v, b[i], `${path}[${i}]`, out));
    return;
  }
  const change: FingerprintChange = { path };
  if (a !== undefined) change.before = a;
  if (b !== undefined) change.after = b;
  out.push(change);
}
