import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One finished child process (stdout and stderr as text). */
export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Ran {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function must(r: Ran, what: string): Ran {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${String(r.code)}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/**
 * A copy of the repository's tree as git sees it (tracked and new files, nothing ignored: no dist/, no .cairn/), with
 * node_modules linked to the checkout's install, so that a pack builds from the source alone.
 */
export function stageTree(repo: string, dest: string): void {
  const list = must(sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], repo), 'git ls-files').stdout;
  for (const rel of list.split('\0').filter((p) => p !== '' && p !== 'node_modules')) {
    mkdirSync(dirname(join(dest, rel)), { recursive: true });
    try {
      copyFileSync(join(repo, rel), join(dest, rel));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // deleted in the work tree, not yet in git
    }
  }
  symlinkSync(realpathSync(join(repo, 'node_modules')), join(dest, 'node_modules'));
}

/** `npm pack` of `dir` (its prepack script cleans dist/ and builds it) into `out`; returns the tarball's path. */
export function pack(dir: string, out: string): string {
  const r = must(sh('npm', ['pack', '--pack-destination', out, '--loglevel', 'error'], dir), 'npm pack');
  const name = r.stdout.trim().split('\n').at(-1) ?? '';
  if (!name.endsWith('.tgz')) throw new Error(`npm pack printed no tarball name:\n${r.stdout}`);
  return join(out, name);
}

export function tarballFiles(tarball: string): string[] {
  return must(sh('tar', ['-tzf', tarball], dirname(tarball)), 'tar -t').stdout.split('\n').filter((l) => l !== '').map((l) => l.replace(/^package\//, ''));
}

/**
 * Installs `tarball` into the empty project `app` as `npm install <tarball>` would, without the network: the
 * project's lockfile is cairn's own (its production packages, with their registry URLs and integrity hashes), so that
 * `npm ci --offline` takes every package from npm's cache, where the checkout's own install left them. npm's cache
 * holds the packages' tarballs but not their registry metadata, which `npm install --offline <tarball>` would need.
 * Install scripts are skipped: the one that matters, better-sqlite3's native addon, is the checkout's own build
 * (same version, same machine), copied in; without the network its script would compile it for minutes.
 */
export function installOffline(tarball: string, app: string, repo: string): void {
  const spec = `file:${tarball}`;
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  const own = lock.packages[''] ?? {};
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies: { cairn: spec } },
    'node_modules/cairn': { version: own.version, resolved: spec, dependencies: own.dependencies, bin: own.bin, engines: own.engines, license: own.license },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '' && entry.dev !== true && entry.link !== true) packages[path] = entry;
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { cairn: spec } }, null, 2));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages }, null, 2));
  must(sh('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel', 'error'], app), 'npm ci --offline');
  const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
  mkdirSync(dirname(join(app, addon)), { recursive: true });
  copyFileSync(realpathSync(join(repo, addon)), join(app, addon));
}
