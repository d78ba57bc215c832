import type { S3Error } from './s3-error.js';

/**
 * S3's XML bodies: a small builder (elements in the order given, text escaped) and the few reads cairn needs from
 * request bodies (DeleteObjects, CompleteMultipartUpload), which are flat lists of simple elements.
 */
export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Children in order; a `Repeat` value repeats the element once per item; undefined leaves it out. */
export type XmlNode = [string, XmlValue][];
export type XmlValue = string | number | boolean | undefined | XmlNode | Repeat;

export class Repeat {
  constructor(readonly items: readonly XmlNode[]) {}
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

function render(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (value instanceof Repeat) return value.items.map((v) => render(name, v)).join('');
  if (Array.isArray(value)) return `<${name}>${value.map(([n, v]) => render(n, v)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A whole document: the declaration, then `root` in S3's namespace. */
export function xmlDocument(root: string, children: XmlNode): string {
  const body = children.map(([n, v]) => render(n, v)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NS}">${body}</${root}>`;
}

/** A repeated element: `each(items, f)` renders one element per item. */
export function each<T>(items: readonly T[], f: (item: T) => XmlNode): Repeat {
  return new Repeat(items.map(f));
}

export function errorDocument(e: S3Error, resource: string, requestId: string): string {
  const children: XmlNode = [['Code', e.code], ['Message', e.message]];
  for (const [k, v] of Object.entries(e.extra)) children.push([k, v]);
  if (!('Key' in e.extra) && !('BucketName' in e.extra)) children.push(['Resource', resource]);
  children.push(['RequestId', requestId], ['HostId', requestId]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${children.map(([n, v]) => render(n, v)).join('')}</Error>`;
}

function unescapeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e] as string;
  });
}

/** The inner XML of every `<name>…</name>` element (namespace prefixes and attributes allowed), in order. */
export function elements(xml: string, name: string): string[] {
  const re = new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:\\w+:)?${name}>`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1] as string);
}

/** The text of the first `<name>` element, unescaped; undefined when absent. */
export function text(xml: string, name: string): string | undefined {
  const first = elements(xml, name)[0];
  return first === undefined ? undefined : unescapeXml(first);
}

/** S3's timestamp form in XML: ISO 8601 with milliseconds. */
export function isoDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}
