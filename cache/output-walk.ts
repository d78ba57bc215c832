import path from 'node:path';
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { resolveLink } from '../kernel/link-target.js';
import { compareBytewise } from './hasher.js';

/**
 * A directory a job wrote (an output), read as the container saw it: every entry is lstat'ed, no symbolic link is
 * ever followed. Regular files are listed with the identity they had when walked (a later open must find the same
 * inode); links are listed with their target as written; sockets, FIFOs and devices are skipped (S3 cannot hold them,
 * and opening a FIFO would block). The root itself must be a directory, not a link to one.
 */
export interface OutputFile {
  /** Relative to the root, `/`-separated. */
  rel: string;
  abs: string;
  dev: number;
  ino: number;
}

export interface OutputLink {
  rel: string;
  abs: string;
  /** What readlink(2) says, as the job wrote it. */
  target: string;
}

export interface OutputTree {
  files: OutputFile[];
  links: OutputLink[];
}

/** A link that leads outside its output tree: `link` relative to the root. */
export interface OutsideLink {
  link: string;
  target: string;
  why: 'absolute' | 'escapes' | 'loop';
}

export class OutputChangedError extends Error {}

const YIELD_EVERY = 512;

export async function walkOutput(root: string): Promise<OutputTree> {
  const tree: OutputTree = { files: [], links: [] };
  if (!lstatSync(root).isDirectory()) throw new OutputChangedError(`${root} is not a directory`);
  const pending: { dir: string; rel: string }[] = [{ dir: root, rel: '' }];
  let seen = 0;
  while (pending.length > 0) {
    const { dir, rel: relDir } = pending.pop() as { dir: string; rel: string };
    for (const name of readdirSync(dir)) {
      const abs = path.join(dir, name);
      const rel = relDir === '' ? name : `${relDir}/${name}`;
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) tree.links.push({ rel, abs, target: readlinkSync(abs) });
      else if (st.isDirectory()) pending.push({ dir: abs, rel });
      else if (st.isFile()) tree.files.push({ rel, abs, dev: st.dev, ino: st.ino });
      if (++seen % YIELD_EVERY === 0) await yieldToLoop();
    }
  }
  tree.files.sort((a, b) => compareBytewise(a.rel, b.rel));
  tree.links.sort((a, b) => compareBytewise(a.rel, b.rel));
  return tree;
}

/**
 * The output directory itself replaced by a link (a job can do that to a directory inside one of its mounts, such as
 * /opt/ml/output/data): it leads outside by definition. `link` is '' (the root).
 */
export function rootLink(root: string): OutsideLink | undefined {
  if (!lstatSync(root).isSymbolicLink()) return undefined;
  const target = readlinkSync(root);
  return { link: '', target, why: target.startsWith('/') ? 'absolute' : 'escapes' };
}

/** The first link (in path order) that leads outside the tree, if any (kernel/link-target.ts has the rules). */
export function firstOutsideLink(tree: OutputTree): OutsideLink | undefined {
  const targets = new Map(tree.links.map((l) => [l.rel, l.target]));
  for (const l of tree.links) {
    const r = resolveLink(l.rel, l.target, (rel) => targets.get(rel));
    if (!r.inside) return { link: l.rel, target: l.target, why: r.why };
  }
  return undefined;
}

/** Where a path of the output is inside the container (`/opt/ml/processing/out/x`), or on the host when unknown. */
export function pathSeenByJob(containerPath: string | undefined, hostRoot: string, rel: string): string {
  return containerPath === undefined ? path.join(hostRoot, ...rel.split('/')) : path.posix.join(containerPath, rel);
}
