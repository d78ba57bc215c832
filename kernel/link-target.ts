/**
 * Where a symbolic link inside a tree leads, worked out from the tree's own list of links (no I/O, nothing outside the
 * tree is looked at). Paths are relative to the tree's root and `/`-separated. Resolution follows the kernel's rules:
 * `..` after a link to a directory leaves the link's target, not the link's parent, and a link met on the way (in a
 * middle component or as the last one) is replaced by its target. Names the tree does not hold are taken lexically, so
 * a link that dangles now cannot lead outside once the missing names appear.
 *
 * A link leads outside when its target (or the target of a link met on the way) is absolute, when `..` climbs above
 * the root, or when resolving it meets more than MAX_LINK_HOPS links (a loop, as the kernel's ELOOP).
 */
export type LinkResolution =
  | { inside: true; rel: string }
  | { inside: false; why: 'absolute' | 'escapes' | 'loop' };

export const MAX_LINK_HOPS = 40;

export function resolveLink(linkRel: string, target: string, linkTargetOf: (rel: string) => string | undefined): LinkResolution {
  const stack = linkRel.split('/').filter((c) => c !== '' && c !== '.');
  stack.pop(); // a target is relative to the link's directory
  if (target.startsWith('/')) return { inside: false, why: 'absolute' };
  const queue = target.split('/');
  let hops = 0;
  while (queue.length > 0) {
    const c = queue.shift() as string;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (stack.length === 0) return { inside: false, why: 'escapes' };
      stack.pop();
      continue;
    }
    stack.push(c);
    const next = linkTargetOf(stack.join('/'));
    if (next === undefined) continue;
    if (++hops > MAX_LINK_HOPS) return { inside: false, why: 'loop' };
    if (next.startsWith('/')) return { inside: false, why: 'absolute' };
    stack.pop();
    queue.unshift(...next.split('/'));
  }
  return { inside: true, rel: stack.join('/') };
}
