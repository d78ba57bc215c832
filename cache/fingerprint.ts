import { createHash } from 'node:crypto';
import type { BuiltFingerprint, Fingerprint, FingerprintChange, FingerprintParts } from '../contracts/fingerprint.js';
import { canonicalJson, isJsonObject, type JsonValue } from '../kernel/json.js';

/** Bump when the container contract cairn implements changes in a way that can change results. */
export const CONTRACT_VERSION = 1;

export function buildFingerprint(stepType: string, parts: FingerprintParts): BuiltFingerprint {
  const fingerprint: Fingerprint = { cairn: CONTRACT_VERSION, stepType, ...parts };
  const canonical = canonicalJson(fingerprint as unknown as JsonValue);
  const key = `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
  return { fingerprint, canonical, key } as BuiltFingerprint;
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
