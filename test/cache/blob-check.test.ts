import { createHash } from 'node:crypto';
import { chmod, mkdir, rm, truncate, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blobPath } from '../../cache/cas.js';
import { checkBlob, describeBlobState } from '../../cache/blob-check.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { makeTemp } from './temp-home.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function tempHome(): string {
  const t = makeTemp('cairn-blob-');
  cleanups.push(t.cleanup);
  return t.dir;
}

async function putBlob(home: string, bytes: string): Promise<string> {
  const hash = createHash('sha256').update(bytes).digest('hex');
  const p = blobPath(home, hash);
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, bytes);
  await chmod(p, 0o644);
  return hash;
}

describe('checkBlob', () => {
  it('is ok for intact bytes and answers from the stat cache the second time', async () => {
    const home = tempHome();
    const hash = await putBlob(home, 'hello world');
    const cache = new MemoryHashCache();
    expect(await checkBlob(home, hash, 11, cache)).toEqual({ state: 'ok' });
    expect(cache.size).toBe(1);
    expect(await checkBlob(home, hash, undefined, cache)).toEqual({ state: 'ok' });
  });

  it('reports a missing blob, a truncated one and a rewritten one, each with its path', async () => {
    const home = tempHome();
    const cache = new MemoryHashCache();
    const gone = await putBlob(home, 'gone');
    await rm(blobPath(home, gone));
    const missing = await checkBlob(home, gone, 4, cache);
    expect(missing).toEqual({ state: 'missing', path: blobPath(home, gone) });

    const cut = await putBlob(home, '0123456789abcdef');
    await checkBlob(home, cut, 16, cache);
    await truncate(blobPath(home, cut), 10);
    const short = await checkBlob(home, cut, 16, cache);
    expect(short).toEqual({ state: 'damaged', path: blobPath(home, cut), detail: { kind: 'size', expected: 16, actual: 10 } });
    if (short.state === 'ok') throw new Error('unreachable');
    expect(describeBlobState(short)).toBe(`${blobPath(home, cut)} holds 10 bytes, 16 recorded`);

    const zeroed = await putBlob(home, 'abcdefgh');
    expect(await checkBlob(home, zeroed, 8, cache)).toEqual({ state: 'ok' });
    const fh = await open(blobPath(home, zeroed), 'r+');
    await fh.write(Buffer.alloc(3), 0, 3, 2);
    await fh.close();
    const state = await checkBlob(home, zeroed, 8, cache);
    const actual = createHash('sha256').update(Buffer.from('ab\0\0\0fgh', 'latin1')).digest('hex');
    expect(state).toEqual({ state: 'damaged', path: blobPath(home, zeroed), detail: { kind: 'content', actualHash: actual } });
  });

  it('calls a directory in the blob place damaged', async () => {
    const home = tempHome();
    const hash = 'a'.repeat(64);
    await mkdir(blobPath(home, hash), { recursive: true });
    expect(await checkBlob(home, hash, 1, new MemoryHashCache())).toEqual({
      state: 'damaged', path: blobPath(home, hash), detail: { kind: 'not-a-file' },
    });
  });
});
