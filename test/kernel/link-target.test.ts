import { describe, expect, it } from 'vitest';
import { resolveLink } from '../../kernel/link-target.js';

const none = (): string | undefined => undefined;

describe('resolveLink', () => {
  it('resolves relative targets from the link\'s directory, lexically through names the tree does not hold', () => {
    expect(resolveLink('a/b/l', '../c', none)).toEqual({ inside: true, rel: 'a/c' });
    expect(resolveLink('l', './x/./y', none)).toEqual({ inside: true, rel: 'x/y' });
    expect(resolveLink('a/l', 'missing/../../x', none)).toEqual({ inside: true, rel: 'x' });
    expect(resolveLink('a/l', '..', none)).toEqual({ inside: true, rel: '' });
  });

  it('refuses absolute targets, ".." above the root and loops', () => {
    expect(resolveLink('l', '/etc/shadow', none)).toEqual({ inside: false, why: 'absolute' });
    expect(resolveLink('a/l', '../../x', none)).toEqual({ inside: false, why: 'escapes' });
    const loop = new Map([['a', 'b'], ['b', 'a']]);
    expect(resolveLink('a', 'b', (r) => loop.get(r))).toEqual({ inside: false, why: 'loop' });
  });

  it('follows links met on the way as the kernel does (".." after a linked directory leaves its target)', () => {
    const links = new Map([['deep', 'x/y/z'], ['up', '..'], ['abs', '/etc']]);
    const of = (r: string) => links.get(r);
    expect(resolveLink('l', 'deep/../../w', of)).toEqual({ inside: true, rel: 'x/w' });
    expect(resolveLink('sub/l', '../up/x', of)).toEqual({ inside: false, why: 'escapes' });
    expect(resolveLink('l', 'abs/passwd', of)).toEqual({ inside: false, why: 'absolute' });
  });
});
