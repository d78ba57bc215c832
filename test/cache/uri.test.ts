import { describe, expect, it } from 'vitest';
import { hostPathToUri, normalizeUri, parseUri, uriToHostPath } from '../../cache/uri.js';

const home = '/h';

describe('uri', () => {
  it('maps s3 URIs into the s3 view', () => {
    expect(uriToHostPath(home, 's3://bucket/a/b.csv')).toEqual({ ok: true, value: '/h/s3/bucket/a/b.csv' });
    expect(uriToHostPath(home, 's3://bucket')).toEqual({ ok: true, value: '/h/s3/bucket' });
    const p = parseUri(home, 's3://bucket/data/');
    expect(p.ok && p.value).toMatchObject({ hostPath: '/h/s3/bucket/data', trailingSlash: true, key: 'data/' });
  });

  it('maps absolute file URIs to host paths', () => {
    expect(uriToHostPath(home, 'file:///data/x')).toEqual({ ok: true, value: '/data/x' });
    expect(uriToHostPath(home, 'file://localhost/data/x/')).toEqual({ ok: true, value: '/data/x' });
  });

  it('rejects relative file URIs, unknown schemes and escaping keys with clear messages', () => {
    const rel = uriToHostPath(home, 'file://data/x');
    expect(!rel.ok && rel.error).toMatch(/file:\/\/data\/x.*absolute/);
    const http = uriToHostPath(home, 'https://example.com/x');
    expect(!http.ok && http.error).toMatch(/"https:".*s3:\/\/.*file:\/\//);
    const bare = uriToHostPath(home, '/tmp/x');
    expect(!bare.ok && bare.error).toMatch(/no scheme/);
    const dots = uriToHostPath(home, 's3://b/a/../../etc');
    expect(!dots.ok && dots.error).toMatch(/"\.\."/);
  });

  it('maps host paths back to URIs and normalises trailing slashes', () => {
    expect(hostPathToUri(home, '/h/s3/bucket/a/b')).toBe('s3://bucket/a/b');
    expect(hostPathToUri(home, '/elsewhere/x')).toBe('file:///elsewhere/x');
    expect(hostPathToUri(home, '/h/s3')).toBeUndefined();
    expect(normalizeUri('s3://b/x//')).toBe('s3://b/x');
    expect(normalizeUri('s3://b/x')).toBe('s3://b/x');
  });
});
