import { describe, expect, it } from 'vitest';
import { PatternMap } from '../../kernel/pattern-map.js';

describe('PatternMap', () => {
  it('an exact key beats every pattern, even one listed first', () => {
    const map = new PatternMap({ 'a*': 'pattern', '*': 'any', abc: 'exact' });
    expect(map.lookup('abc')).toEqual({ pattern: 'abc', value: 'exact' });
    expect(map.lookup('abd')).toEqual({ pattern: 'a*', value: 'pattern' });
  });

  it('the most specific (longest) pattern wins; equally long ones in sort order', () => {
    const map = new PatternMap({ '*': 1, 'arn:*': 2, 'arn:aws:*:fn': 3 });
    expect(map.lookup('arn:aws:x:fn')).toEqual({ pattern: 'arn:aws:*:fn', value: 3 });
    expect(map.lookup('arn:gcp')).toEqual({ pattern: 'arn:*', value: 2 });
    expect(map.lookup('zzz')).toEqual({ pattern: '*', value: 1 });
    expect(new PatternMap({ 'b*': 'B', '*b': 'A' }).lookup('bb')?.value).toBe('A');
  });

  it('no match is undefined; * matches any run (none included); other characters stand for themselves', () => {
    const map = new PatternMap({ 'a.c': 'dot', 'x*y': 'star', '(q)+': 'parens' });
    expect(map.lookup('abc')).toBeUndefined();
    expect(map.lookup('a.c')?.value).toBe('dot');
    expect(map.lookup('xy')?.value).toBe('star');
    expect(map.lookup('x\n-\ny')?.value).toBe('star');
    expect(map.lookup('xya')).toBeUndefined();
    expect(map.lookup('qq')).toBeUndefined();
    expect(map.lookup('(q)+')?.value).toBe('parens');
    expect(new PatternMap({}).lookup('')).toBeUndefined();
  });

  it('counts every key and lists the exact ones', () => {
    const map = new PatternMap({ b: 2, 'a*': 1, a: 3 });
    expect(map.size).toBe(3);
    expect(map.exactEntries()).toEqual([['b', 2], ['a', 3]]);
  });
});
