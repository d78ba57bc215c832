import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeTemp } from './temp-home.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

it('a process that ends removes its own temp directory, with what it left in it (needs `npm run build`)', () => {
  const t = makeTemp('cairn-temp-exit-');
  cleanups.push(t.cleanup);
  const mod = path.resolve(import.meta.dirname, '../../dist/cache/temp-area.js');
  const script = `
    const { tempPath } = await import(${JSON.stringify(mod)});
    const p = await tempPath(${JSON.stringify(t.dir)});
    (await import('node:fs')).writeFileSync(p, 'never renamed into place');
    console.log(p);`;
  const left = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
  expect(path.dirname(path.dirname(left))).toBe(path.join(t.dir, 'tmp'));
  expect(existsSync(left)).toBe(false);
  expect(readdirSync(path.join(t.dir, 'tmp'))).toEqual([]);
});
