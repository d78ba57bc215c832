import { list, x as extractTar, type ReadEntry } from 'tar';
import { resolveLink } from '../kernel/link-target.js';

/**
 * Extraction on the host of an archive a job or a user handed in (a sourcedir.tar.gz, a model.tar.gz). The archive is
 * read once first and refused before anything is written when a member is absolute, climbs out with `..`, is a link
 * (symbolic or hard) leading outside the extraction directory, or is a device or FIFO. Members are then extracted with
 * their permission bits only: a setuid, setgid or sticky bit in the archive never reaches the host.
 */
export class ArchiveRefusal extends Error {}

const PLAIN = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'GNUDumpDir']);
const PERMISSION_BITS = 0o777;

export async function extractArchive(file: string, cwd: string): Promise<void> {
  await checkMembers(file);
  await extractTar({
    file,
    cwd,
    strict: true,
    filter: (_path, entry) => {
      if (typeof entry.mode === 'number') entry.mode &= PERMISSION_BITS;
      return true;
    },
  });
}

interface Member {
  path: string;
  type: string;
  linkpath?: string;
}

async function checkMembers(file: string): Promise<void> {
  const members: Member[] = [];
  await list({
    file,
    strict: true,
    onReadEntry: (e: ReadEntry) => {
      members.push({ path: e.path, type: e.type, ...(e.linkpath !== undefined ? { linkpath: e.linkpath } : {}) });
    },
  });
  const links = new Map(members.filter((m) => m.type === 'SymbolicLink').map((m) => [clean(m.path), m.linkpath ?? '']));
  for (const m of members) {
    const problem = memberProblem(m, links);
    if (problem !== undefined) throw new ArchiveRefusal(`member "${m.path}" ${problem}; nothing was extracted`);
  }
}

function memberProblem(m: Member, links: Map<string, string>): string | undefined {
  if (m.path.startsWith('/')) return 'has an absolute path';
  if (m.path.split('/').includes('..')) return 'climbs out of the archive with ".."';
  if (m.type === 'SymbolicLink') {
    const r = resolveLink(clean(m.path), m.linkpath ?? '', (rel) => links.get(rel));
    return r.inside ? undefined : `is a symbolic link to ${m.linkpath ?? ''}, outside the archive`;
  }
  if (m.type === 'Link') {
    const target = m.linkpath ?? '';
    // a hard link names another member, from the archive's root
    return resolveLink('', target, () => undefined).inside ? undefined : `is a hard link to ${target}, outside the archive`;
  }
  return PLAIN.has(m.type) ? undefined : `is a ${m.type}, which cannot be extracted`;
}

/** `./a//b/` → `a/b`. */
function clean(p: string): string {
  return p.split('/').filter((c) => c !== '' && c !== '.').join('/');
}
