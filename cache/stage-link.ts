import { symlink } from 'node:fs/promises';

/**
 * Staging of a symbolic link kept in an output (a small function of its own, beside the staging of files): the
 * link is recreated as the job wrote it. cache/manifest-links.ts has already made sure that it stays among the
 * staged files.
 */
export async function stageLink(linkTarget: string, target: string): Promise<void> {
  await symlink(linkTarget, target);
}

/** `{ link }` of a selected blob that is a link, for its manifest entry (`{}` otherwise). */
export function linkOf(source: { link?: string }): { link?: string } {
  return source.link === undefined ? {} : { link: source.link };
}
