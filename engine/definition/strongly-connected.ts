/**
 * Tarjan's strongly connected components over a graph given as successor lists by node index, with an explicit
 * stack: the depth of a chain of steps never becomes the depth of the JavaScript call stack (graphlib's recursive
 * `alg.tarjan` overflowed it at a few thousand steps). Components come out in Tarjan's order (each after every
 * component it reaches); within one, the nodes are in the order they leave the stack.
 */
export function stronglyConnected(successors: readonly (readonly number[])[]): number[][] {
  const n = successors.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: number[][] = [];
  // The call stack of the recursive formulation: a node and the position of its next edge to follow.
  const frames: number[] = [];
  const nextEdge: number[] = [];
  let counter = 0;
  const visit = (v: number): void => {
    index[v] = counter;
    low[v] = counter;
    counter += 1;
    stack.push(v);
    onStack[v] = 1;
    frames.push(v);
    nextEdge.push(0);
  };
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    visit(root);
    while (frames.length > 0) {
      const top = frames.length - 1;
      const v = frames[top] as number;
      const edges = successors[v] ?? [];
      const k = nextEdge[top] as number;
      if (k < edges.length) {
        nextEdge[top] = k + 1;
        const w = edges[k] as number;
        if (index[w] === -1) visit(w);
        else if (onStack[w] === 1) low[v] = Math.min(low[v] as number, index[w] as number);
        continue;
      }
      frames.pop();
      nextEdge.pop();
      const caller = frames[frames.length - 1];
      if (caller !== undefined) low[caller] = Math.min(low[caller] as number, low[v] as number);
      if (low[v] !== index[v]) continue;
      const component: number[] = [];
      for (;;) {
        const w = stack.pop() as number;
        onStack[w] = 0;
        component.push(w);
        if (w === v) break;
      }
      components.push(component);
    }
  }
  return components;
}
