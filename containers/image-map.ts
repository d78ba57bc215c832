import { loadCairnConfig } from '../contracts/cairn-config-file.js';
import { CAIRN_CONFIG_FILE, parseCairnConfig } from '../contracts/cairn-config.js';
import { PatternMap } from '../kernel/pattern-map.js';
import { ok, type Result } from '../kernel/result.js';

export const IMAGE_MAP_FILE = CAIRN_CONFIG_FILE;

export interface ImageMapMatch {
  /** The key of cairn.json's `images` that matched (exact URI or `*` pattern). */
  pattern: string;
  /** The local image to run instead. */
  target: string;
}

/**
 * `{"images": {"<uri as written in the definition>": "<local image>"}}` from cairn.json, looked up through the kernel's
 * PatternMap: keys may hold `*`; an exact key beats every pattern; among patterns the longer one wins (ties: the one
 * that sorts first).
 */
export class ImageMap {
  private readonly map: PatternMap<string>;

  /** `file` is where the map came from (for messages), undefined when there was no cairn.json. */
  constructor(entries: Readonly<Record<string, string>>, readonly file?: string) {
    this.map = new PatternMap(entries);
  }

  static empty(): ImageMap {
    return new ImageMap({});
  }

  get size(): number {
    return this.map.size;
  }

  /** The exact (wildcard-free) keys mapped to a local image, for mapping a local image back to the URI it stands for. */
  exactKeysFor(target: string): string[] {
    return this.map.exactEntries().filter(([, t]) => t === target).map(([k]) => k).sort();
  }

  lookup(uri: string): ImageMapMatch | undefined {
    const hit = this.map.lookup(uri);
    return hit ? { pattern: hit.pattern, target: hit.value } : undefined;
  }
}

/** The `images` of `<dir>/cairn.json` (contracts/cairn-config-file.ts); a missing file is an empty map. */
export async function loadImageMap(dir: string): Promise<Result<ImageMap, string>> {
  const config = await loadCairnConfig(dir);
  return config.ok ? ok(new ImageMap(config.value.images, config.value.file)) : config;
}

/** The `images` of cairn.json's text (the whole file is checked: contracts/cairn-config.ts). */
export function parseImageMap(text: string, file: string): Result<ImageMap, string> {
  const config = parseCairnConfig(text, file);
  return config.ok ? ok(new ImageMap(config.value.images, file)) : config;
}
