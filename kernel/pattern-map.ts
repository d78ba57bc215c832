/** The key that matched a lookup (the exact key, or the `*` pattern) and its value. */
export interface PatternMatch<V> {
  pattern: string;
  value: V;
}

/**
 * A map whose keys may hold `*`, matching any run of characters (including none; every other character stands for
 * itself). A lookup tries the exact (wildcard-free) keys first; then the patterns, the longer one first (ties: the one
 * that sorts first), so the most specific pattern wins. cairn.json's `images` and `lambdas` are looked up through it.
 */
export class PatternMap<V> {
  private readonly exact = new Map<string, PatternMatch<V>>();
  private readonly patterns: { pattern: string; regex: RegExp; value: V }[] = [];

  constructor(entries: Readonly<Record<string, V>>) {
    for (const [pattern, value] of Object.entries(entries)) {
      if (pattern.includes('*')) this.patterns.push({ pattern, regex: wildcardRegex(pattern), value });
      else this.exact.set(pattern, { pattern, value });
    }
    this.patterns.sort((a, b) => b.pattern.length - a.pattern.length || (a.pattern < b.pattern ? -1 : 1));
  }

  get size(): number {
    return this.exact.size + this.patterns.length;
  }

  /** The wildcard-free keys and their values, in insertion order. */
  exactEntries(): [string, V][] {
    return [...this.exact.values()].map((m) => [m.pattern, m.value]);
  }

  lookup(key: string): PatternMatch<V> | undefined {
    const hit = this.exact.get(key) ?? this.patterns.find((p) => p.regex.test(key));
    return hit ? { pattern: hit.pattern, value: hit.value } : undefined;
  }
}

function wildcardRegex(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}
