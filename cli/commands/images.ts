import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerRuntime } from '../../containers/docker-runtime.js';
import { IMAGES_DIR, STAND_INS, TENSORFLOW_IMAGES_SCRIPT, TEST_IMAGES_SCRIPT, standInNamed, type StandIn } from '../../containers/stand-ins.js';
import { EXIT, parse, UsageError, type Command } from '../command.js';
import { dockerDownText, standInBuildCommand } from '../render-refusal.js';

const names = STAND_INS.map((s) => s.name).join(', ');

const usage = `usage: cairn images list [--json]
       cairn images build [--force] [--only NAME] [--json]

cairn's local stand-in images, built offline from Debian's package mirror and PyPI (no container registry needed)
and named cairn-local/…; map an official image to one in ./cairn.json, e.g.
  {"images": {"763104351884.dkr.ecr.*.amazonaws.com/tensorflow-training:*-cpu-*": "cairn-local/tensorflow-training:2.19-cpu-py311"}}

list    each stand-in: name, image, whether it is present (image id, size), and the official image it stands for.
        --json prints {"images":[{"name","image","standsFor","present","id","sizeBytes","buildCommand"}]}
        ("id" and "sizeBytes" are null when the image is missing).
build   builds the stand-ins that are missing (all, or --only NAME and what it is built on), streaming the build
        scripts' output; --force rebuilds them. The TensorFlow stand-ins take a few minutes and ~2 GB the first time.
        --json prints the list's JSON when done (build output then goes to stderr).
NAME is one of: ${names}.`;

export interface StandInStatus {
  name: string;
  image: string;
  standsFor: string;
  present: boolean;
  id: string | null;
  sizeBytes: number | null;
  buildCommand: string;
}

export const imagesCommand: Command = {
  name: 'images',
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      console.log(usage);
      return sub === undefined ? EXIT.invalid : EXIT.ok;
    }
    if (sub === 'list') {
      const a = parse({ usage }, rest, { json: { type: 'boolean' } }, { min: 0, max: 0 });
      if (a.help) { console.log(usage); return EXIT.ok; }
      return list(a.values.json === true);
    }
    if (sub === 'build') {
      const a = parse({ usage }, rest, { json: { type: 'boolean' }, force: { type: 'boolean' }, only: { type: 'string' } }, { min: 0, max: 0 });
      if (a.help) { console.log(usage); return EXIT.ok; }
      const only = a.values.only;
      if (only !== undefined && standInNamed(only) === undefined) throw new UsageError(`there is no stand-in named "${only}"; NAME is one of: ${names}.`);
      return build({ only, force: a.values.force === true, json: a.values.json === true });
    }
    throw new UsageError(`unknown images command "${sub}"; use list or build\n\n${usage}`);
  },
};

export async function standInStatus(runtime: DockerRuntime = new DockerRuntime()): Promise<StandInStatus[]> {
  return Promise.all(
    STAND_INS.map(async (s) => {
      const info = await runtime.inspectImage(s.image);
      return {
        name: s.name,
        image: s.image,
        standsFor: s.standsFor,
        present: info !== undefined,
        id: info?.id ?? null,
        sizeBytes: info?.size ?? null,
        buildCommand: standInBuildCommand(s.name),
      };
    }),
  );
}

async function list(json: boolean): Promise<number> {
  const runtime = new DockerRuntime();
  const ping = await runtime.ping();
  if (!ping.ok) { console.error(dockerDownText(ping.error)); return EXIT.invalid; }
  const images = await standInStatus(runtime);
  if (json) {
    console.log(JSON.stringify({ images }, null, 2));
    return EXIT.ok;
  }
  const rows = images.map((i) => [i.name, i.image, i.present ? 'yes' : 'no', i.id ? i.id.replace(/^sha256:/, '').slice(0, 12) : '-', i.sizeBytes === null ? '-' : `${Math.round(i.sizeBytes / 1e6)} MB`, i.standsFor]);
  const head = ['NAME', 'IMAGE', 'PRESENT', 'ID', 'SIZE', 'STANDS FOR'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  for (const r of [head, ...rows]) console.log(r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '));
  const missing = images.filter((i) => !i.present);
  if (missing.length > 0) console.log(`\n${missing.length} missing; build them with \`cairn images build\` (or --only NAME).`);
  return EXIT.ok;
}

/** Which scripts (with their arguments) build `only` (and what it stands on), or every stand-in. */
export function buildPlan(only: string | undefined, force: boolean): { script: string; args: string[] }[] {
  const f = force ? ['--force'] : [];
  const s: StandIn | undefined = only === undefined ? undefined : standInNamed(only);
  if (s === undefined) return [{ script: TEST_IMAGES_SCRIPT, args: f }, { script: TENSORFLOW_IMAGES_SCRIPT, args: f }];
  if (s.script === TEST_IMAGES_SCRIPT) return [{ script: TEST_IMAGES_SCRIPT, args: f }];
  // The TensorFlow script builds the Debian base itself when it is missing (and only that, not --force'd).
  return [{ script: TENSORFLOW_IMAGES_SCRIPT, args: [...f, '--only', s.name] }];
}

async function build(opts: { only: string | undefined; force: boolean; json: boolean }): Promise<number> {
  const runtime = new DockerRuntime();
  const ping = await runtime.ping();
  if (!ping.ok) { console.error(dockerDownText(ping.error)); return EXIT.invalid; }
  const dir = imagesDir();
  if (dir === undefined) { console.error(`cannot find cairn's ${IMAGES_DIR}/ (the build scripts); reinstall cairn or run it from its checkout.`); return EXIT.invalid; }
  const started = Date.now();
  for (const step of buildPlan(opts.only, opts.force)) {
    const code = await runScript(join(dir, step.script), step.args, opts.json);
    if (code !== 0) {
      console.error(`${IMAGES_DIR}/${step.script} failed (exit ${code}); its output above names the failing step. Fix it and run \`cairn images build${opts.only ? ` --only ${opts.only}` : ''}\` again (finished images are kept).`);
      return EXIT.failed;
    }
  }
  const secs = Math.round((Date.now() - started) / 1000);
  if (opts.json) console.log(JSON.stringify({ images: await standInStatus(runtime), seconds: secs }, null, 2));
  else console.log(`stand-in images ready in ${secs}s; see \`cairn images list\``);
  return EXIT.ok;
}

function runScript(path: string, args: string[], toStderr: boolean): Promise<number> {
  return new Promise((resolveP) => {
    const child = spawn('bash', [path, ...args], { stdio: ['ignore', toStderr ? process.stderr : 'inherit', 'inherit'] });
    const forward = (): void => { child.kill('SIGTERM'); };
    process.once('SIGINT', forward);
    child.on('error', () => resolveP(127));
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward);
      resolveP(code ?? (signal ? 130 : 1));
    });
  });
}

/** containers/images/ of this cairn: found upwards from this module (source checkout, dist/ build or npm install). */
export function imagesDir(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, IMAGES_DIR);
    if (existsSync(join(candidate, TEST_IMAGES_SCRIPT))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
