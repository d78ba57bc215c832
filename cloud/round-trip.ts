import type { JsonValue } from '../kernel/json.js';
import type { PromoteReport } from './promote.js';

/** Where images are named in a definition (as in cloud/promote-plan.ts). */
const IMAGE_KEYS = new Set(['ImageUri', 'TrainingImage', 'Image']);

/**
 * Maps a promoted definition back to the local one it came from: every bucket URI that replaced a local URI (the
 * report's `rewrites`, per the upload plan) becomes that local URI again, and every official image that replaced a
 * local stand-in (the report's `images`, the image map in reverse) becomes the stand-in again. The result runs
 * locally with the same fingerprints as the original definition.
 */
export function mapBackDefinition(promoted: string, report: Pick<PromoteReport, 'rewrites' | 'images'>): JsonValue {
  const uris = [...report.rewrites].sort((a, b) => b.to.length - a.to.length);
  const images = new Map(report.images.map((i) => [i.to, i.from]));
  const text = (s: string): string => {
    let out = s;
    for (const r of uris) out = out.split(r.to).join(r.from);
    return out;
  };
  const walk = (v: JsonValue, key: string | undefined): JsonValue => {
    if (typeof v === 'string') return key !== undefined && IMAGE_KEYS.has(key) ? images.get(v) ?? v : text(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, undefined));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(JSON.parse(promoted) as JsonValue, undefined);
}
