import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { DockerRuntime } from '../containers/docker-runtime.js';
import { CHAOS_TESTS, CLOUD_TESTS, COMPAT_TESTS, DOCKER_TESTS, NO_DOCKER_HOST } from '../vitest.config.js';

const ROOT = resolve(import.meta.dirname, '..');

/** What `vitest list` itself assigns: one {file, projectName} per file and project that includes it. */
function listed(): { file: string; projectName: string }[] {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  const out = execFileSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'list', '--filesOnly', '--json'], {
    cwd: ROOT, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024,
  });
  return (JSON.parse(out) as { file: string; projectName: string }[]).map((e) => ({ ...e, file: relative(ROOT, e.file) }));
}
const entries = listed();

test('every test file belongs to exactly one vitest project (unit, cloud, docker, compat or chaos)', () => {
  const files = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join('test', f))
    .sort();
  const projectsOf = (file: string): string[] => entries.filter((e) => e.file === file).map((e) => e.projectName);
  expect(files.map((f) => [f, projectsOf(f)]).filter(([, p]) => p?.length !== 1)).toEqual([]);
  expect(entries.filter((e) => !files.includes(e.file))).toEqual([]);
  expect(new Set(entries.map((e) => e.projectName))).toEqual(new Set(['unit', 'cloud', 'docker', 'compat', 'chaos']));
});

test('every entry of the docker, cloud, compat and chaos lists names a test file that exists', () => {
  for (const [project, patterns] of [['docker', DOCKER_TESTS], ['cloud', CLOUD_TESTS], ['compat', COMPAT_TESTS], ['chaos', CHAOS_TESTS]] as const) {
    for (const pattern of patterns) {
      const prefix = pattern.split('**')[0]!;
      const found = pattern.includes('*')
        ? entries.some((e) => e.projectName === project && e.file.startsWith(prefix))
        : existsSync(join(ROOT, pattern));
      expect(found, `${pattern} (${project}) matches no test file`).toBe(true);
    }
  }
});

test('the unit project (this file is in it) has no Docker engine to reach', async () => {
  expect(process.env.DOCKER_HOST).toBe(NO_DOCKER_HOST);
  const ping = await new DockerRuntime().ping();
  expect(ping.ok ? 'answered' : ping.error).toMatch(/ENOENT .*nonexistent/);
});
