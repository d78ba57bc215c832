import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { planCommand } from '../../cli/commands/plan.js';
import { hostileDefinitions } from './hostile-definitions.js';

/**
 * 1,000 generated hostile definitions through `cairn plan` (in this process, with the real Docker engine for the
 * image checks): every one ends with an exit code (0 planned, 2 refused with a message), never with a throw (what
 * the CLI prints as "internal error"); a definition that is wrong for certain is refused.
 */
let dir: string;
const saved = process.env.CAIRN_HOME;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-hostile-'));
  process.env.CAIRN_HOME = join(dir, '.cairn');
});
afterAll(() => {
  if (saved === undefined) delete process.env.CAIRN_HOME; else process.env.CAIRN_HOME = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('hostile definitions through plan', () => {
  it('1,000 of them: an exit code and words for each, never an internal error', async () => {
    const defs = hostileDefinitions(1000);
    const problems: string[] = [];
    const kinds = new Map<string, number>();
    const said: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { said.push(a.join(' ')); });
    const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { said.push(a.join(' ')); });
    try {
      for (const [i, d] of defs.entries()) {
        kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
        const file = join(dir, `def-${i}.json`);
        writeFileSync(file, d.text);
        said.length = 0;
        let code: number | string;
        try {
          code = await planCommand.run([file, '--json']);
        } catch (e) {
          code = `threw ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e)}`;
        }
        const ok = code === 0 || (code === 2 && said.join('\n').trim() !== '');
        if (!ok || (d.invalid && code !== 2)) problems.push(`${d.kind}: ${typeof code === 'number' ? `exit ${code}` : code.split(':')[0]!} (e.g. #${i})`);
      }
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
    // One line per kind of definition and outcome: how many, and the first definition that showed it.
    const summary = new Map<string, number>();
    for (const p of problems) {
      const key = p.replace(/ \(e\.g\. #\d+\)$/, '');
      summary.set(key, (summary.get(key) ?? 0) + 1);
    }
    expect([...summary].map(([k, n]) => `${n}× ${k} (first: ${problems.find((p) => p.startsWith(k))!.replace(/^.*\(e\.g\. /, '').replace(')', '')})`)).toEqual([]);
    expect(kinds.size).toBeGreaterThanOrEqual(8);
  });
});
