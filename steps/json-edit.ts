import { isJsonObject, type JsonValue } from '../kernel/json.js';

/** Small edits on a deep copy of resolved Arguments, used to build fingerprints. Missing paths are left alone. */
export function cloneJson<T extends JsonValue>(v: T): T {
  return structuredClone(v);
}

type Key = string | number;

function parentOf(root: JsonValue, path: readonly Key[]): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const key of path.slice(0, -1)) {
    if (typeof key === 'number') cur = Array.isArray(cur) ? cur[key] : undefined;
    else cur = isJsonObject(cur) ? cur[key] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

export function setAt(root: JsonValue, path: readonly Key[], value: JsonValue): void {
  const parent = parentOf(root, path);
  const key = path[path.length - 1];
  if (typeof key === 'number' && Array.isArray(parent) && key < parent.length) parent[key] = value;
  else if (typeof key === 'string' && isJsonObject(parent) && key in parent) parent[key] = value;
}

export function deleteAt(root: JsonValue, path: readonly Key[]): void {
  const parent = parentOf(root, path);
  const key = path[path.length - 1];
  if (typeof key === 'string' && isJsonObject(parent)) delete parent[key];
}
