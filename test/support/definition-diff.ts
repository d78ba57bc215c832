/**
 * A structural diff of two pipeline definitions (parsed JSON): objects key by key (order ignored), arrays position by
 * position. Each difference carries its path (`Steps[2].Arguments.HyperParameters.model_dir`) and both values.
 */
export interface Difference {
  path: string;
  kind: 'value' | 'missing' | 'extra' | 'length';
  /** The Python SDK's value (undefined when cairn has a key the SDK does not). */
  sdk: unknown;
  /** cairn's value (undefined when cairn lacks a key the SDK writes). */
  cairn: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keyPath(path: string, key: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_:-]*$/.test(key);
  return plain ? (path === '' ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key)}]`;
}

export function diffDefinitions(sdk: unknown, cairn: unknown, path = ''): Difference[] {
  if (Array.isArray(sdk) && Array.isArray(cairn)) {
    const out: Difference[] = [];
    if (sdk.length !== cairn.length) out.push({ path, kind: 'length', sdk: sdk.length, cairn: cairn.length });
    for (let i = 0; i < Math.min(sdk.length, cairn.length); i++) out.push(...diffDefinitions(sdk[i], cairn[i], `${path}[${i}]`));
    return out;
  }
  if (isObject(sdk) && isObject(cairn)) {
    const out: Difference[] = [];
    for (const k of Object.keys(sdk)) {
      if (!(k in cairn)) out.push({ path: keyPath(path, k), kind: 'missing', sdk: sdk[k], cairn: undefined });
      else out.push(...diffDefinitions(sdk[k], cairn[k], keyPath(path, k)));
    }
    for (const k of Object.keys(cairn)) if (!(k in sdk)) out.push({ path: keyPath(path, k), kind: 'extra', sdk: undefined, cairn: cairn[k] });
    return out;
  }
  return Object.is(sdk, cairn) || (typeof sdk === 'number' && sdk === cairn) ? [] : [{ path, kind: 'value', sdk, cairn }];
}

export function formatDifference(d: Difference): string {
  const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));
  return `${d.path || '(root)'}: ${d.kind}: SDK ${show(d.sdk)}, cairn ${show(d.cairn)}`;
}
