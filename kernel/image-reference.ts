import { err, ok, type Result } from './result.js';

/**
 * Docker's image reference grammar (github.com/distribution/reference, as the engine normalizes names):
 *
 *   reference  := name [":" tag] ["@" digest]
 *   name       := [domain "/"] path-component ["/" path-component]*      (at most 255 characters)
 *   domain     := host [":" port]; host is a dotted name of [A-Za-z0-9-] labels, or [IPv6]; port is digits
 *   path-component := [a-z0-9]+ (("." | "_" | "__" | "-"+) [a-z0-9]+)*
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := algorithm ":" hex, algorithm [A-Za-z][A-Za-z0-9]* joined by [+._-], hex [0-9a-fA-F]{32,}
 *
 * The first component is the registry host only when it holds "." or ":" or is "localhost" (so `python:3.11` is
 * Docker Hub's `python`). A bare image id (`sha256:<64 hex>` or 64 hex digits) is accepted too: the engine takes it.
 * Checked before any call to the engine, which otherwise answers HTTP 400 "invalid reference format".
 */
export interface ImageReference {
  domain?: string;
  path: string;
  tag?: string;
  digest?: string;
}

const NAME_MAX = 255;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_LABEL = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6 = /^\[[0-9a-fA-F:.]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IMAGE_ID = /^(?:sha256:)?[0-9a-f]{64}$/;

/** Parses `ref` by Docker's grammar; the error says which part is wrong and why. */
export function parseImageReference(ref: string): Result<ImageReference, string> {
  if (ref === '') return err('it is empty');
  if (IMAGE_ID.test(ref)) return ok({ path: ref });
  const at = ref.indexOf('@');
  const digest = at < 0 ? undefined : ref.slice(at + 1);
  const nameTag = at < 0 ? ref : ref.slice(0, at);
  if (digest !== undefined && !DIGEST.test(digest)) {
    return err(`the digest "${shown(digest)}" is not "<algorithm>:<hex>" (e.g. "sha256:" and at least 32 hex digits)${odd(digest)}`);
  }
  const colon = nameTag.lastIndexOf(':');
  const hasTag = colon > nameTag.lastIndexOf('/');
  const name = hasTag ? nameTag.slice(0, colon) : nameTag;
  const tag = hasTag ? nameTag.slice(colon + 1) : undefined;
  if (tag !== undefined && !TAG.test(tag)) {
    return err(`the tag "${shown(tag)}" is not 1 to 128 letters, digits, "_", "." or "-" starting with a letter, digit or "_"${odd(tag)}`);
  }
  const named = parseName(name);
  if (!named.ok) return named;
  return ok({ ...named.value, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) });
}

function parseName(name: string): Result<{ domain?: string; path: string }, string> {
  if (name === '') return err('the repository name is empty');
  if (name.length > NAME_MAX) return err(`the repository name is ${name.length} characters long (at most ${NAME_MAX})`);
  const slash = name.indexOf('/');
  const first = slash < 0 ? name : name.slice(0, slash);
  const isDomain = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const domain = isDomain ? first : undefined;
  const path = isDomain ? name.slice(slash + 1) : name;
  if (domain !== undefined) {
    const bad = checkDomain(domain);
    if (bad !== undefined) return err(bad);
  }
  for (const component of path.split('/')) {
    if (component === '') return err(`the repository name "${shown(name)}" has an empty path component`);
    if (!PATH_COMPONENT.test(component)) {
      const upper = /[A-Z]/.test(component) ? ' (the repository name must be lowercase)' : '';
      return err(`the path component "${shown(component)}" is not lowercase letters and digits joined by ".", "_", "__" or "-"${upper}${odd(component)}`);
    }
  }
  return ok({ ...(domain !== undefined ? { domain } : {}), path });
}

function checkDomain(domain: string): string | undefined {
  const portAt = domain.startsWith('[') ? domain.indexOf(':', domain.indexOf(']')) : domain.indexOf(':');
  const host = portAt < 0 ? domain : domain.slice(0, portAt);
  const port = portAt < 0 ? undefined : domain.slice(portAt + 1);
  if (port !== undefined && !PORT.test(port)) return `the registry port "${shown(port)}" is not a number${odd(port)}`;
  if (IPV6.test(host)) return undefined;
  if (!host.split('.').every((label) => DOMAIN_LABEL.test(label))) {
    return `the registry host "${shown(host)}" is not a host name (labels of letters, digits and inner "-", joined by ".")${odd(host)}`;
  }
  return undefined;
}

/** A part as quoted in a message: a hostile reference may be megabytes long. */
function shown(part: string): string {
  return part.length > 80 ? `${part.slice(0, 80)}…` : part;
}

/** `; it holds "é" (U+00E9)` for the first character outside printable ASCII, or nothing. */
function odd(part: string): string {
  const c = [...part].find((ch) => !/^[!-~]$/.test(ch));
  if (c === undefined) return '';
  const code = c.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code <= 0x20 || code === 0x7f || /\s/.test(c) ? `; it holds the character ${hex}` : `; it holds "${c}" (${hex})`;
}
