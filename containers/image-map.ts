import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isJsonObject } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';

export const IMAGE_MAP_FILE = 'cairn.json';

export interface ImageMapMatch {
  /** The key of cairn.json's `images` that matched (exact URI or `*` pattern). */
  pattern: string;
  /** The local image to run instead. */
  target: string;
}

/**
 * `{"images": {"<uri as written in the definition>": "<local image>"}}` from cairn.json. Keys may hold `*`, matching
 * any run of characters (including none). An exact key beats every pattern; among patterns the longer one wins
 * (ties: the one that sorts first).
 */
export class ImageMap {
  private readonly exact = new Map<string, string>();
  private readonly patterns: { pattern: string; regex: RegExp; target: string }[] = [];

  /** `file` is where the map came from (for messages), undefined when there was no cairn.json. */
  constructor(entries: Record<string, string>, readonly file?: string) {
    for (const [pattern, target] of Object.entries(entries)) {
      if (pattern.includes('*')) this.patterns.push({ pattern, regex: wildcardRegex(pattern), target });
      else this.exact.set(pattern, target);
    }
    this.patterns.sort((a, b) => b.pattern.length - a.pattern.length || (a.pattern < b.pattern ? -1 : 1));
  }

  static empty(): ImageMap {
    return new ImageMap({});
  }

  get size(): number {
    return this.exact.size + this.patterns.length;
  }

  /** The exact (wildcard-free) keys mapped to a local image, for mapping a local image back to the URI it stands for. */
  exactKeysFor(target: string): string[] {
    return [...this.exact].filter(([, t]) => t === target).map(([k]) => k).sort();
  }

  lookup(uri: string): ImageMapMatch | undefined {
    const target = this.exact.get(uri);
    if (target !== undefined) return { pattern: uri, target };
    const hit = this.patterns.find((p) => p.regex.test(uri));
    return hit ? { pattern: hit.pattern, target: hit.target } : undefined;
  }
}

function wildcardRegex(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

/** Reads `<dir>/cairn.json`; a missing file is an empty map, a malformed one an error naming the file and the fix. */
export async function loadImageMap(dir: string): Promise<Result<ImageMap, string>> {
  const file = join(dir, IMAGE_MAP_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok(ImageMap.empty());
    return err(`${file} could not be read (${(e as Error).message}); check its permissions.`);
  }
  return parseImageMap(text, file);
}

export function parseImageMap(text: string, file: string): Result<ImageMap, string> {
  const example = 'e.g. {"images": {"<image uri>": "<local image>"}}';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return err(`${file} is not valid JSON (${(e as Error).message}); fix the syntax, ${example}.`);
  }
  if (!isJsonObject(doc)) return err(`${file} must hold a JSON object, ${example}.`);
  const images = doc.images;
  if (images === undefined) return ok(new ImageMap({}, file));
  if (!isJsonObject(images)) return err(`${file}: "images" must be an object mapping image URIs to local images, ${example}.`);
  const entries: Record<string, string> = {};
  for (const [key, value] of Object.entries(images)) {
    if (key.trim() === '') return err(`${file}: "images" has an empty key; write the image URI exactly as the pipeline definition does.`);
    if (typeof value !== 'string' || value.trim() === '') {
      return err(`${file}: images["${key}"] must be a non-empty string naming a local image (for example "cairn-local/python:3.11-numpy"), not ${JSON.stringify(value)}.`);
    }
    entries[key] = value.trim();
  }
  return ok(new ImageMap(entries, file));
}
