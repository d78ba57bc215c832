import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processTempDir } from '../../cache/temp-area.js';
import { writeAssets } from '../../cli/write-assets.js';
import { listTree, makeTemp } from '../cache/temp-home.js';

let tmp: ReturnType<typeof makeTemp>;
let home: string;
beforeEach(() => {
  tmp = makeTemp('cairn-assets-');
  home = path.join(tmp.dir, 'home');
  mkdirSync(home);
});
afterEach(() => tmp.cleanup());

describe('writeAssets', () => {
  it('places each asset at its key through <home>/tmp, never with a temp file in the s3/ view', async () => {
    const code = path.join(tmp.dir, 'train.py');
    writeFileSync(code, 'print(1)');
    const r = await writeAssets(home, [{ uri: 's3://b/code/abc/train.py', file: code }, { uri: 's3://b/code/abc/runproc.sh', body: '#!/bin/sh' }]);
    expect(r).toEqual({ ok: true, value: 2 });
    expect(listTree(path.join(home, 's3'))).toEqual(['b/code/abc/runproc.sh', 'b/code/abc/train.py']);
    expect(readFileSync(path.join(home, 's3', 'b/code/abc/train.py'), 'utf8')).toBe('print(1)');
    const mine = await processTempDir(home);
    expect(readdirSync(mine)).toEqual([]);
    // with no temp directory to write in, nothing is placed at all (a temp beside the key would have worked)
    rmSync(mine, { recursive: true });
    writeFileSync(mine, 'in the way');
    const blocked = await writeAssets(home, [{ uri: 's3://b/code/def/x.py', body: 'x' }]);
    expect(blocked.ok).toBe(false);
    expect(listTree(path.join(home, 's3'))).toEqual(['b/code/abc/runproc.sh', 'b/code/abc/train.py']);
    rmSync(mine);
  });
});
