/**
 * A binary min-heap of array indices (non-negative integers): the graph code keeps "ready" steps in one so that the
 * step first in file order comes out first, in O(log n) per push or pop instead of re-sorting the ready list.
 */
export class IndexHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const a = this.items;
    let i = a.length;
    a.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent] as number;
      if (p <= value) break;
      a[i] = p;
      i = parent;
    }
    a[i] = value;
  }

  /** The smallest index, removed; undefined when empty. */
  pop(): number | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const c = r < a.length && (a[r] as number) < (a[l] as number) ? r : l;
      const child = a[c] as number;
      if (child >= last) break;
      a[i] = child;
      i = c;
    }
    a[i] = last;
    return top;
  }
}
