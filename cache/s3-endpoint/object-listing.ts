/**
 * One page of an S3 listing over keys in S3's order: `prefix`, `delimiter` (keys sharing the part up to the next
 * delimiter after the prefix roll up into one CommonPrefix), resumption strictly after `after` (StartAfter, Marker or
 * the continuation token; a CommonPrefix as marker skips its whole group), and `maxKeys` counting keys and
 * CommonPrefixes together, as S3 does.
 */
export interface ListingPage<T> {
  contents: T[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or CommonPrefix of this page (the next page starts after it), when truncated. */
  last?: string;
}

export function listingPage<T extends { key: string }>(
  sorted: readonly T[], opts: { prefix: string; delimiter?: string; after?: string; maxKeys: number },
): ListingPage<T> {
  const { prefix, delimiter, after, maxKeys } = opts;
  const contents: T[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  const skipGroup = after !== undefined && delimiter !== undefined && delimiter !== '' && after.endsWith(delimiter);
  for (const item of sorted) {
    const key = item.key;
    if (!key.startsWith(prefix)) continue;
    if (after !== undefined && (bytewise(key, after) <= 0 || (skipGroup && key.startsWith(after)))) continue;
    let group: string | undefined;
    if (delimiter !== undefined && delimiter !== '') {
      const at = key.indexOf(delimiter, prefix.length);
      if (at !== -1) group = key.slice(0, at + delimiter.length);
    }
    if (group !== undefined && group === commonPrefixes[commonPrefixes.length - 1]) continue;
    if (contents.length + commonPrefixes.length >= maxKeys) return { contents, commonPrefixes, isTruncated: true, ...(last !== undefined ? { last } : {}) };
    if (group !== undefined) {
      commonPrefixes.push(group);
      last = group;
    } else {
      contents.push(item);
      last = key;
    }
  }
  return { contents, commonPrefixes, isTruncated: false };
}

function bytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The opaque continuation token of ListObjectsV2: the key the next page starts after. */
export function encodeToken(after: string): string {
  return Buffer.from(after, 'utf8').toString('base64url');
}

export function decodeToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  return Buffer.from(token, 'base64url').toString('utf8');
}
