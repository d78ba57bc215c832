import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseUri } from '../cache/uri.js';
import type { ImageMap } from '../containers/image-map.js';
import { STAND_INS } from '../containers/stand-ins.js';
import type { JsonValue } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';

/** One local file to put into the bucket under a content-addressed key. */
export interface UploadFile {
  localPath: string;
  key: string;
  size: number;
  sha256: string;
}

/** A URI in the definition (or a `--param` value) that only exists locally, and what it becomes. */
export interface UploadSource {
  uri: string;
  rewritten: string;
  kind: 'file' | 'prefix';
  files: UploadFile[];
}

export interface ImageRewrite {
  from: string;
  to: string;
}

export interface RewriteResult {
  /** The definition with local URIs and stand-in images replaced. */
  definition: JsonValue;
  sources: UploadSource[];
  images: ImageRewrite[];
}

/**
 * Where step outputs go: URIs under these keys are destinations a step writes (left as they are, even when a local
 * run already filled them), never inputs to upload.
 */
export const OUTPUT_KEYS: ReadonlySet<string> = new Set([
  'ProcessingOutputConfig', 'OutputDataConfig', 'TransformOutput', 'CheckpointConfig', 'DebugHookConfig',
  'ProfilerConfig', 'TensorBoardOutputConfig', 'DataCaptureConfig', 'OutputConfig',
]);
/** Where images are named: AppSpecification.ImageUri, AlgorithmSpecification.TrainingImage, PrimaryContainer.Image … */
const IMAGE_KEYS = new Set(['ImageUri', 'TrainingImage', 'Image']);
const URI_IN_TEXT = /(?:s3|file):\/\/[^\s"'<>,;]+/g;

/** Rewrites what only exists locally in a definition for the bucket; `home` is the cairn home (its `s3/` store). */
export class LocalRewriter {
  private readonly byUri = new Map<string, UploadSource | null>();
  private readonly images: ImageRewrite[] = [];
  private readonly problems: string[] = [];

  constructor(private readonly home: string, private readonly bucket: string, private readonly region: string, private readonly imageMap: ImageMap) {}

  async rewriteDefinition(def: JsonValue): Promise<Result<RewriteResult, string[]>> {
    const definition = await this.walk(def, false, undefined);
    if (this.problems.length > 0) return err([...new Set(this.problems)]);
    return ok({ definition, sources: this.sources(), images: this.images });
  }

  /** A `--param` value: local URIs in it are uploaded and rewritten like the definition's. */
  async rewriteValue(value: string): Promise<Result<string, string>> {
    const r = await this.rewriteText(value);
    return this.problems.length > 0 ? err(this.problems.join('\n')) : ok(r);
  }

  sources(): UploadSource[] {
    return [...this.byUri.values()].filter((s): s is UploadSource => s !== null);
  }

  private async walk(v: JsonValue, inOutput: boolean, key: string | undefined): Promise<JsonValue> {
    if (typeof v === 'string') {
      if (key !== undefined && IMAGE_KEYS.has(key)) return this.image(v);
      return inOutput ? v : this.rewriteText(v);
    }
    if (Array.isArray(v)) {
      const out: JsonValue[] = [];
      for (const x of v) out.push(await this.walk(x, inOutput, undefined));
      return out;
    }
    if (v !== null && typeof v === 'object') {
      const out: Record<string, JsonValue> = {};
      for (const [k, x] of Object.entries(v)) out[k] = await this.walk(x, inOutput || OUTPUT_KEYS.has(k), k);
      return out;
    }
    return v;
  }

  private async rewriteText(text: string): Promise<string> {
    const uris = [...new Set(text.match(URI_IN_TEXT) ?? [])];
    let out = text;
    for (const uri of uris) {
      const src = await this.source(uri);
      if (src !== null) out = out.split(uri).join(src.rewritten);
    }
    return out;
  }

  private async source(uri: string): Promise<UploadSource | null> {
    const known = this.byUri.get(uri);
    if (known !== undefined) return known;
    const src = await this.localSource(uri);
    this.byUri.set(uri, src);
    return src;
  }

  private async localSource(uri: string): Promise<UploadSource | null> {
    const parsed = parseUri(this.home, uri);
    if (!parsed.ok) {
      if (uri.startsWith('file:')) this.problems.push(parsed.error);
      return null;
    }
    const st = await stat(parsed.value.hostPath).catch(() => undefined);
    if (st === undefined) {
      if (parsed.value.scheme === 'file') this.problems.push(`The file URI "${uri}" names ${parsed.value.hostPath}, which does not exist.`);
      return null;
    }
    const base = `s3://${this.bucket}/`;
    if (st.isFile() && !parsed.value.trailingSlash) {
      const sha256 = await hashFile(parsed.value.hostPath);
      const key = `cairn/${sha256}/${basename(parsed.value.hostPath)}`;
      return { uri, rewritten: base + key, kind: 'file', files: [{ localPath: parsed.value.hostPath, key, size: st.size, sha256 }] };
    }
    if (!st.isDirectory()) return null;
    const rels = await listFiles(parsed.value.hostPath);
    if (rels.length === 0) return null;
    const hashed: { rel: string; path: string; size: number; sha256: string }[] = [];
    for (const rel of rels) {
      const p = join(parsed.value.hostPath, ...rel.split('/'));
      hashed.push({ rel, path: p, size: (await stat(p)).size, sha256: await hashFile(p) });
    }
    const tree = createHash('sha256').update(hashed.map((h) => `${h.rel}\t${h.sha256}\n`).join('')).digest('hex');
    const files = hashed.map((h) => ({ localPath: h.path, key: `cairn/${tree}/${h.rel}`, size: h.size, sha256: h.sha256 }));
    return { uri, rewritten: `${base}cairn/${tree}${uri.endsWith('/') ? '/' : ''}`, kind: 'prefix', files };
  }

  private image(uri: string): string {
    if (!uri.startsWith('cairn-local/')) {
      const official = this.reverseMapped(uri);
      if (official !== undefined) this.note(uri, official);
      return official ?? uri;
    }
    const official = this.reverseMapped(uri) ?? this.standInOfficial(uri);
    if (official === undefined) {
      this.problems.push(`The image "${uri}" is a local stand-in with no official SageMaker image for it; ` +
        'name the official image URI in the definition (and map it to the stand-in in cairn.json).');
      return uri;
    }
    this.note(uri, official);
    return official;
  }

  private note(from: string, to: string): void {
    if (!this.images.some((i) => i.from === from)) this.images.push({ from, to });
  }

  /** An exact cairn.json key (an official URI) mapped to this local image; patterns cannot be reversed. */
  private reverseMapped(local: string): string | undefined {
    const keys = this.imageMap.exactKeysFor(local).filter((k) => k.includes('.dkr.ecr.'));
    return keys[0]?.replace(/\.dkr\.ecr\.[a-z0-9-]+\./, `.dkr.ecr.${this.region}.`);
  }

  private standInOfficial(local: string): string | undefined {
    const s = STAND_INS.find((x) => x.image === local);
    if (s === undefined || !/\.dkr\.ecr\./.test(s.standsFor)) return undefined;
    return s.standsFor.replace('<region>', this.region);
  }
}

export function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path).on('error', reject).on('data', (d) => h.update(d)).on('end', () => resolve(h.digest('hex')));
  });
}

/** Files under a directory, as sorted `/`-separated relative paths. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}
