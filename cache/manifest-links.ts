import { err, ok, type Result } from '../kernel/result.js';
import { resolveLink } from '../kernel/link-target.js';
import type { ManifestEntry } from '../contracts/artifacts.js';

/**
 * The links of an input served from a recorded output. A link of the output stays inside that output, but an input
 * may select only part of it (a sub-prefix, or the link itself by its key): a link whose target is still among the
 * selected files is staged as a link; one that would lead out of the selection is staged as the file it resolves to
 * in the whole output (what S3, which has no links, would serve). A link to a directory outside the selection, or to
 * nothing, cannot be served and is an error naming it.
 */
export interface PickedEntry {
  /** Where the input places it. */
  rel: string;
  /** The entry's path in the output. */
  key: string;
  entry: ManifestEntry;
}

export function settleLinks(picked: readonly PickedEntry[], all: readonly ManifestEntry[]): Result<{ rel: string; entry: ManifestEntry }[], string> {
  const selectedLinks = new Map(picked.flatMap((p) => (p.entry.link === undefined ? [] : [[p.rel, p.entry.link] as const])));
  const whole = outputIndex(all);
  const out: { rel: string; entry: ManifestEntry }[] = [];
  for (const p of picked) {
    const link = p.entry.link;
    if (link === undefined || resolveLink(p.rel, link, (r) => selectedLinks.get(r)).inside) {
      out.push({ rel: p.rel, entry: p.entry });
      continue;
    }
    const file = whole.fileOf(p.entry);
    if (file === undefined) return err(`the link "${p.key}" -> ${link} leads outside the selected files to no file of the output`);
    out.push({ rel: p.rel, entry: file });
  }
  return ok(out);
}

/** The file entry an entry of `all` stands for: itself, or the file its link resolves to (undefined: none). */
export function linkedFile(entry: ManifestEntry, all: readonly ManifestEntry[]): ManifestEntry | undefined {
  return outputIndex(all).fileOf(entry);
}

function outputIndex(all: readonly ManifestEntry[]): { fileOf: (e: ManifestEntry) => ManifestEntry | undefined } {
  const links = new Map(all.flatMap((e) => (e.link === undefined ? [] : [[e.path, e.link] as const])));
  const files = new Map(all.filter((e) => e.link === undefined).map((e) => [e.path, e]));
  return {
    fileOf: (e) => {
      if (e.link === undefined) return e;
      const r = resolveLink(e.path, e.link, (rel) => links.get(rel));
      return r.inside ? files.get(r.rel) : undefined;
    },
  };
}
